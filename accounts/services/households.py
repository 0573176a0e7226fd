"""Households and memberships.

Invariant kept by every service here: each person belongs to exactly one household, and a household with members
always has at least one owner. Someone who leaves (or is removed) gets a fresh household of their own, so
`request.household` is never missing.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import Household, Membership, Preferences, User


def forget_cached_household(user: User) -> None:
    user.__dict__.pop("_household_cache", None)


def lock_household(household: Household) -> Household:
    """Serialise membership changes of one household (the last-owner rule reads, then writes)."""
    return Household.objects.select_for_update().get(pk=household.pk)


def require_owner(actor: User, household: Household) -> Membership:
    membership = Membership.objects.filter(user=actor, household=household).first()
    if membership is None or not membership.is_owner:
        raise PermissionDenied("Only an owner of the household can do that.")
    return membership


def _is_last_owner(membership: Membership) -> bool:
    if not membership.is_owner:
        return False
    others = Membership.objects.filter(household_id=membership.household_id, role=Membership.Role.OWNER)
    return not others.exclude(pk=membership.pk).exists()


def default_household_name(user: User) -> str:
    return f"{user.get_short_name().title()}'s household"


@transaction.atomic
def household_create_for_user(user: User, name: str | None = None) -> Household:
    """Give a person their own household, as its owner (idempotent: an existing membership is kept)."""
    existing = Membership.objects.filter(user=user).select_related("household").first()
    if existing:
        return existing.household
    household = Household.objects.create(name=name or default_household_name(user))
    Membership.objects.create(user=user, household=household, role=Membership.Role.OWNER)
    Preferences.objects.get_or_create(user=user)
    user._household_cache = household
    return household


@transaction.atomic
def household_update(*, household: Household, actor: User, name: str, currency: str) -> Household:
    """Rename the household or change its currency (owners only)."""
    require_owner(actor, household)
    household.name = name.strip()
    household.currency = currency.upper()
    household.full_clean()
    household.save(update_fields=["name", "currency"])
    return household


@transaction.atomic
def membership_set_role(*, membership: Membership, actor: User, role: str) -> Membership:
    """Make a member an owner or an owner a member (owners only; the last owner stays an owner)."""
    if role not in Membership.Role.values:
        raise ValidationError(f"Unknown role {role!r}.")
    lock_household(membership.household)
    require_owner(actor, membership.household)
    membership.refresh_from_db()
    if membership.role == role:
        return membership
    if role == Membership.Role.MEMBER and _is_last_owner(membership):
        raise ValidationError("A household needs at least one owner: make someone else an owner first.")
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


def _rehome(membership: Membership, user: User) -> Household:
    """Move a person out of their household into a fresh one of their own."""
    membership.delete()
    forget_cached_household(user)
    return household_create_for_user(user)


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> Household:
    """An owner removes someone else from the household; that person gets a household of their own."""
    lock_household(membership.household)
    require_owner(actor, membership.household)
    if membership.user_id == actor.pk:
        raise ValidationError("You cannot remove yourself; leave the household instead.")
    return _rehome(membership, membership.user)


@transaction.atomic
def membership_leave(*, user: User) -> Household:
    """Leave the household for a fresh one of your own. The last owner cannot leave, nor can a sole member
    (there would be nothing to leave for)."""
    membership = Membership.objects.get(user=user)
    lock_household(membership.household)
    membership.refresh_from_db()
    if not Membership.objects.filter(household_id=membership.household_id).exclude(pk=membership.pk).exists():
        raise ValidationError("You are the only member of this household, so there is nothing to leave.")
    if _is_last_owner(membership):
        raise ValidationError("You are the last owner: make another member an owner before you leave.")
    return _rehome(membership, user)
