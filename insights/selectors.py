from __future__ import annotations

from .models import Notification

BELL_SIZE = 8


def bell_for_user(user) -> dict:
    qs = Notification.objects.for_user(user)
    return {"bell_unread": qs.unread().count(), "bell_items": list(qs.visible()[:BELL_SIZE])}


def notifications_for_user(user, *, include_dismissed: bool = False):
    qs = Notification.objects.for_user(user)
    return qs if include_dismissed else qs.visible()
