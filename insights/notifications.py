"""The notification platform: store, push live on commit, e-mail if the person chose it.

Channels follow the person's preferences: with in-app notifications on, a notification bumps the bell and pops up
live; with them off it is still kept in the list (already marked read) so nothing is lost. E-mail copies are sent
by a Celery task after commit.
"""

from __future__ import annotations

import logging
from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from fincoach.realtime import push_to_user

from .models import Notification
from .selectors import unread_count

logger = logging.getLogger(__name__)


def _event(notification: Notification) -> dict:
    return {
        "kind": "notification",
        "id": notification.pk,
        "title": notification.title,
        "body": notification.body,
        "link": notification.link,
        "priority": notification.priority,
        "unread": unread_count(notification.user_id),
        "html": render_to_string("insights/partials/notification_item.html", {"n": notification}),
    }


def _check_link(link: str) -> str:
    # Links are rendered as hrefs: only paths on this site, never `javascript:` or another host.
    if link and (not link.startswith("/") or link.startswith("//")):
        raise ValueError(f"notification links must be paths on this site, got {link!r}")
    return link


def notify_user(
    user,
    *,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    priority: int = Notification.Priority.NORMAL,
    dedupe_key: str = "",
    household=None,
) -> Notification | None:
    """Store a notification and push it live. With a dedupe key, the same notification is sent only once:
    returns None when it already exists."""
    from accounts.selectors import household_for_user

    household = household or household_for_user(user)
    prefs = getattr(user, "preferences", None)
    in_app = prefs is None or prefs.notify_in_app
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user,
                household=household,
                kind=kind,
                title=title[:120],
                body=body,
                link=_check_link(link),
                priority=priority,
                dedupe_key=dedupe_key[:200],
                read_at=None if in_app else timezone.now(),
            )
    except IntegrityError:
        if dedupe_key:
            return None
        raise
    if in_app:
        push_to_user(user.pk, _event(notification))
    if prefs is not None and prefs.notify_email:
        nid = notification.pk
        transaction.on_commit(lambda: _queue_email(nid))
    return notification


def notify_household(household, **kwargs) -> list[Notification]:
    """Notify every member of a household (same dedupe key per member)."""
    from accounts.models import Membership

    sent = []
    for membership in Membership.objects.filter(household=household).select_related("user", "user__preferences"):
        n = notify_user(membership.user, household=household, **kwargs)
        if n is not None:
            sent.append(n)
    return sent


def _queue_email(notification_id: int) -> None:
    from .tasks import send_notification_email

    send_notification_email.delay(notification_id)


def notification_send_email(notification_id: int) -> bool:
    """Send the e-mail copy once (idempotent for task retries)."""
    with transaction.atomic():
        n = Notification.objects.select_for_update().select_related("user").filter(pk=notification_id).first()
        if n is None or n.emailed_at is not None:
            return False
        link = urljoin(settings.FINCOACH_BASE_URL, n.link) if n.link else ""
        send_mail(
            subject=f"[fincoach] {n.title}",
            message=f"{n.body}\n\n{link}".strip(),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[n.user.email],
        )
        n.emailed_at = timezone.now()
        n.save(update_fields=["emailed_at"])
    return True


def _push_unread_count(user) -> None:
    push_to_user(user.pk, {"kind": "unread", "unread": unread_count(user)})


@transaction.atomic
def notification_mark_read(user, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    _push_unread_count(user)
    return notification


@transaction.atomic
def notification_dismiss(user, notification: Notification) -> Notification:
    now = timezone.now()
    notification.dismissed_at = now
    notification.read_at = notification.read_at or now
    notification.save(update_fields=["dismissed_at", "read_at"])
    _push_unread_count(user)
    return notification


@transaction.atomic
def notifications_mark_all_read(user) -> int:
    count = Notification.objects.for_user(user).unread().update(read_at=timezone.now())
    _push_unread_count(user)
    return count
