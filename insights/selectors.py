"""Reads for notifications (always per person)."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Notification

BELL_SIZE = 8


def unread_count(user) -> int:
    return Notification.objects.for_user(user).unread().count()


def bell_for_user(user) -> dict:
    """What the navbar bell shows: the unread count and the latest visible notifications."""
    visible = Notification.objects.for_user(user).visible()
    return {"bell_unread": unread_count(user), "bell_items": list(visible[:BELL_SIZE])}


def notifications_for_user(user, *, include_dismissed: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.for_user(user)
    return qs if include_dismissed else qs.visible()
