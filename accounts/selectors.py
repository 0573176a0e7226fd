"""Reads for people and households."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .keys import digest
from .models import ApiToken, Household, Invitation, Membership, Preferences


def household_for_user(user) -> Household | None:
    """The one household a signed-in person belongs to (cached on the user object for the request)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_household_cache", None)
    if cached is not None:
        return cached
    membership = Membership.objects.select_related("household").filter(user=user).first()
    household = membership.household if membership else None
    user._household_cache = household
    return household


def membership_for_user(user) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.select_related("household").filter(user=user).first()


def household_members(household: Household) -> QuerySet[Membership]:
    return Membership.objects.for_household(household).select_related("user").order_by("joined_at", "id")


def is_sole_member(membership: Membership) -> bool:
    """Whether nobody else is in this person's household (leaving it would leave it empty)."""
    return not Membership.objects.filter(household_id=membership.household_id).exclude(pk=membership.pk).exists()


def open_invitations(household: Household) -> QuerySet[Invitation]:
    return (
        Invitation.objects.for_household(household)
        .filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .select_related("invited_by")
        .order_by("-created_at")
    )


def invitation_for_token(token: str) -> Invitation | None:
    """The open invitation a link's token opens, or None (unknown, expired, revoked or used)."""
    invitation = Invitation.objects.select_related("household", "invited_by").filter(token_hash=digest(token)).first()
    return invitation if invitation is not None and invitation.is_open else None


def preferences_for_user(user) -> Preferences:
    """The person's preferences; an unsaved default row if they have none yet (the update service creates it)."""
    return Preferences.objects.filter(user=user).first() or Preferences(user=user)


def api_tokens_for_user(user) -> QuerySet[ApiToken]:
    """Active tokens first, then revoked ones (newest first within each)."""
    return ApiToken.objects.filter(user=user).order_by(F("revoked_at").asc(nulls_first=True), "-created_at")


@dataclass(frozen=True)
class MfaStatus:
    enabled: bool
    backup_codes_left: int


def mfa_status(user) -> MfaStatus:
    enabled = is_mfa_enabled(user)
    codes_left = StaticToken.objects.filter(device__user=user, device__confirmed=True).count() if enabled else 0
    return MfaStatus(enabled=enabled, backup_codes_left=codes_left)


def is_mfa_enabled(user) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()
