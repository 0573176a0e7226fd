"""Writes for people and households. Each is atomic; side effects go on commit."""

from __future__ import annotations

from django.db import transaction

from .models import Household, Membership, Preferences, User


@transaction.atomic
def household_create_for_user(user: User, name: str | None = None) -> Household:
    """Give a person their own household (idempotent: an existing membership is kept)."""
    existing = Membership.objects.filter(user=user).select_related("household").first()
    if existing:
        return existing.household
    household = Household.objects.create(name=name or f"{user.get_short_name().title()}'s household")
    Membership.objects.create(user=user, household=household, role=Membership.Role.OWNER)
    Preferences.objects.get_or_create(user=user)
    user._household_cache = household
    return household
