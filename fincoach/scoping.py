"""Household scoping: the security boundary of fincoach.

Every model holding user data inherits `HouseholdScoped`; its default manager has `.for_household(h)`.
Views fetch objects with `get_object_or_404(Model.objects.for_household(h), pk=...)` (or `get_scoped_or_404`), so
another household's object is a 404, never a 403 and never a leak.
"""

from __future__ import annotations

from typing import TypeVar

from django.db import models
from django.shortcuts import get_object_or_404

M = TypeVar("M", bound=models.Model)


class HouseholdQuerySet(models.QuerySet):
    def for_household(self, household) -> HouseholdQuerySet:
        if household is None or getattr(household, "pk", None) is None:
            return self.none()
        return self.filter(household=household)


class HouseholdManager(models.Manager.from_queryset(HouseholdQuerySet)):
    pass


class HouseholdScoped(models.Model):
    household = models.ForeignKey("accounts.Household", on_delete=models.CASCADE, related_name="+")

    objects = HouseholdManager()

    class Meta:
        abstract = True


def get_scoped_or_404(model: type[M], household, **lookup) -> M:
    return get_object_or_404(model.objects.for_household(household), **lookup)
