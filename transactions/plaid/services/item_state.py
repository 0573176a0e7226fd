"""A Plaid item's health: status changes from sync errors and webhooks, and the notices they send.

The household is told once per change of state (not on every failed sync), by the notification platform.
"""

from __future__ import annotations

from django.urls import reverse

from insights.models import Notification
from insights.notifications import notify_household
from transactions.models import PlaidItem

from ..client import PlaidError

Status = PlaidItem.Status

# Statuses that need the person to act; the Connections page says what to do.
NEEDS_ATTENTION = frozenset(
    {Status.LOGIN_REQUIRED, Status.PENDING_EXPIRATION, Status.PENDING_DISCONNECT, Status.REVOKED, Status.ERROR}
)
# Changes the household hears about (and, from any of these back to ACTIVE, that it is repaired).
_ANNOUNCED = NEEDS_ATTENTION | {Status.DISCONNECTED}
# Repaired in Plaid Link's update mode, with the item's existing access token.
FIXABLE_IN_LINK = frozenset({Status.LOGIN_REQUIRED, Status.PENDING_EXPIRATION, Status.PENDING_DISCONNECT, Status.ERROR})
# Worth a background sync: the others would fail until the person acts.
SYNCABLE = frozenset({Status.ACTIVE, Status.PENDING_EXPIRATION, Status.PENDING_DISCONNECT, Status.ERROR})

_LOGIN_REQUIRED_CODES = frozenset(
    {
        "ITEM_LOGIN_REQUIRED",
        "INVALID_CREDENTIALS",
        "INVALID_MFA",
        "INVALID_UPDATED_USERNAME",
        "INSUFFICIENT_CREDENTIALS",
        "ITEM_LOCKED",
        "MFA_NOT_SUPPORTED",
        "USER_SETUP_REQUIRED",
        "PASSWORD_RESET_REQUIRED",
    }
)
_REVOKED_CODES = frozenset({"USER_PERMISSION_REVOKED", "ACCESS_NOT_GRANTED"})

_NOTICES: dict[str, tuple[str, str, int]] = {
    Status.LOGIN_REQUIRED: (
        "{bank} needs you to sign in again",
        "Syncing is paused. Open Connections and choose Fix connection.",
        Notification.Priority.HIGH,
    ),
    Status.PENDING_EXPIRATION: (
        "{bank} access expires soon",
        "Choose Fix connection on the Connections page to renew it and keep syncing.",
        Notification.Priority.NORMAL,
    ),
    Status.PENDING_DISCONNECT: (
        "{bank} will disconnect soon",
        "Choose Fix connection on the Connections page to keep syncing.",
        Notification.Priority.NORMAL,
    ),
    Status.REVOKED: (
        "{bank} access was revoked",
        "Connect the bank again to resume syncing; your history is kept.",
        Notification.Priority.HIGH,
    ),
    Status.ERROR: ("{bank} connection has a problem", "{error}", Notification.Priority.HIGH),
    Status.DISCONNECTED: (
        "{bank} was disconnected",
        "Plaid no longer knows this connection. Connect the bank again to resume syncing; your history is kept.",
        Notification.Priority.HIGH,
    ),
    Status.ACTIVE: ("{bank} is connected again", "Syncing has resumed.", Notification.Priority.LOW),
}


def status_for_error(exc: PlaidError) -> str | None:
    """The item status a Plaid error puts the item in; None when the item itself is fine (outage, our config)."""
    if exc.error_code in _LOGIN_REQUIRED_CODES:
        return Status.LOGIN_REQUIRED
    if exc.error_code in _REVOKED_CODES:
        return Status.REVOKED
    if exc.error_code == "ITEM_NOT_FOUND":
        return Status.DISCONNECTED
    if exc.error_type == "ITEM_ERROR" or exc.error_code == "INVALID_ACCESS_TOKEN":
        return Status.ERROR
    return None


def locked_items():
    """Items to change under a row lock (with what notices need). Only the item row is locked: PostgreSQL cannot
    lock the nullable side of the institution join."""
    return PlaidItem.objects.select_for_update(of=("self",)).select_related("institution", "household")


def bank_name(item: PlaidItem) -> str:
    return item.institution.name if item.institution_id else "Your bank"


def connections_url() -> str:
    return reverse("plaid:connections")


def item_set_status(
    item: PlaidItem, status: str, *, error_code: str = "", error_message: str = "", notify: bool = True
) -> bool:
    """Record the item's status (saved) and tell the household when it changed. Call inside a transaction with the
    item row locked, so concurrent webhooks cannot both announce the same change. Returns True on a change."""
    previous = item.status
    item.status = status
    item.error_code = error_code[:64]
    item.error_message = error_message
    item.save(update_fields=["status", "error_code", "error_message"])
    if previous == status:
        return False
    repaired = status == Status.ACTIVE and previous in NEEDS_ATTENTION
    if notify and (status in _ANNOUNCED or repaired):
        _announce(item, status, error_message)
    return True


def item_announce_new_accounts(item: PlaidItem) -> None:
    """Plaid found accounts the person has not shared yet: offer to add them (Link update mode)."""
    if item.new_accounts_available:
        return
    item.new_accounts_available = True
    item.save(update_fields=["new_accounts_available"])
    notify_household(
        item.household,
        kind="plaid_connection",
        title=f"{bank_name(item)} has new accounts you can add",
        body="Choose Add accounts on the Connections page to start syncing them.",
        link=connections_url(),
        priority=Notification.Priority.NORMAL,
    )


def _announce(item: PlaidItem, status: str, error_message: str) -> None:
    title, body, priority = _NOTICES[status]
    bank = bank_name(item)
    notify_household(
        item.household,
        kind="plaid_connection",
        title=title.format(bank=bank),
        body=body.format(bank=bank, error=error_message or "Syncing is paused until the connection is fixed."),
        link=connections_url(),
        priority=priority,
    )
