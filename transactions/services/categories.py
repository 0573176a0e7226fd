"""A household's view of the category taxonomy: rename or hide system categories, add and remove its own
sub-categories."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from transactions.models import Category, CategoryPreference, Rule, Transaction, TransactionSplit

MAX_NAME = 80


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "The name cannot be empty."})
    if len(name) > MAX_NAME:
        raise ValidationError({"name": f"Keep the name under {MAX_NAME} characters."})
    return name


def _own_or_system(household, category: Category) -> None:
    if category.household_id not in (None, household.pk):
        raise ValidationError("That category belongs to another household.")


@transaction.atomic
def category_rename(*, household, category: Category, name: str) -> None:
    """Rename for this household: a preference for a system category, the category itself for a custom one.

    Renaming a system category back to its own name removes the override.
    """
    _own_or_system(household, category)
    name = _clean_name(name)
    if not category.is_system:
        category.name = name
        category.save(update_fields=["name"])
        return
    preference, _ = CategoryPreference.objects.get_or_create(household=household, category=category)
    preference.custom_name = "" if name == category.name else name
    _save_or_drop(preference)


@transaction.atomic
def category_set_hidden(*, household, category: Category, hidden: bool) -> None:
    """Hide a category from the pickers (existing transactions keep it)."""
    _own_or_system(household, category)
    preference, _ = CategoryPreference.objects.get_or_create(household=household, category=category)
    preference.is_hidden = hidden
    _save_or_drop(preference)


def _save_or_drop(preference: CategoryPreference) -> None:
    if not preference.custom_name and not preference.is_hidden:
        preference.delete()
    else:
        preference.save()


@transaction.atomic
def category_create(*, household, parent: Category, name: str, colour: str | None = None) -> Category:
    """A household's own sub-category under a primary category (custom categories are never primaries)."""
    _own_or_system(household, parent)
    if parent.parent_id is not None:
        parent = parent.parent
    name = _clean_name(name)
    siblings = Category.objects.for_household(household).filter(parent=parent)
    if siblings.filter(name__iexact=name).exists():
        raise ValidationError({"name": f"“{parent.name}” already has a sub-category called “{name}”."})
    base = f"custom-{slugify(name)[:60] or 'category'}"
    code, n = base, 1
    while Category.objects.filter(household=household, code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return Category.objects.create(
        household=household,
        code=code,
        name=name,
        parent=parent,
        primary_code=parent.primary_code,
        colour=colour or parent.colour,
        icon=parent.icon,
        is_system=False,
    )


@transaction.atomic
def category_delete(*, household, category: Category) -> int:
    """Delete a custom sub-category; its transactions, splits and rules move to the parent. Returns the number of
    transactions moved."""
    if category.is_system or category.household_id != household.pk:
        raise ValidationError("Only your own categories can be deleted; hide system categories instead.")
    parent = category.parent
    moved = Transaction.objects.for_household(household).filter(category=category).update(category=parent)
    TransactionSplit.objects.for_household(household).filter(category=category).update(category=parent)
    Rule.objects.for_household(household).filter(set_category=category).update(set_category=parent)
    category.delete()
    return moved
