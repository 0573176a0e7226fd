from __future__ import annotations

from .models import Household, Membership


def household_for_user(user) -> Household | None:
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


def household_members(household: Household):
    return Membership.objects.filter(household=household).select_related("user").order_by("joined_at")
