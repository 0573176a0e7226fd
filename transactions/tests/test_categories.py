"""Categories: renames and hiding per household, custom sub-categories."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from transactions.models import CategoryPreference, Rule
from transactions.selectors.categories import category_tree
from transactions.services.categories import category_create, category_delete, category_rename, category_set_hidden
from transactions.tests.factories import RuleFactory, TransactionSplitFactory

pytestmark = pytest.mark.django_db


def test_the_taxonomy_is_loaded_as_system_categories(household):
    tree = category_tree(household=household)
    primaries = [c for c in tree.items if c.is_primary]
    assert len(primaries) == 16
    assert tree.label(next(c.id for c in tree.items if c.code == "FOOD_AND_DRINK_COFFEE")) == "Food and drink › Coffee"


def test_rename_is_per_household_and_renaming_back_drops_the_override(household, other_household, cat):
    coffee = cat("FOOD_AND_DRINK_COFFEE")
    category_rename(household=household, category=coffee, name="  Caffeine  ")

    assert category_tree(household=household).lookup[coffee.pk].name == "Caffeine"
    assert category_tree(household=other_household).lookup[coffee.pk].name == "Coffee"
    category_rename(household=household, category=coffee, name="Coffee")
    assert not CategoryPreference.objects.filter(household=household).exists()


def test_hidden_categories_leave_the_pickers(household, cat):
    travel = cat("TRAVEL")
    category_set_hidden(household=household, category=travel, hidden=True)
    visible = {c.primary_code for c in category_tree(household=household).visible()}
    assert "TRAVEL" not in visible, "hiding a primary hides its sub-categories too"
    category_set_hidden(household=household, category=travel, hidden=False)
    assert "TRAVEL" in {c.primary_code for c in category_tree(household=household).visible()}


def test_custom_sub_categories(household, other_household, cat):
    food = cat("FOOD_AND_DRINK")
    brunch = category_create(household=household, parent=cat("FOOD_AND_DRINK_RESTAURANT"), name="Brunch")

    assert (brunch.parent, brunch.primary_code, brunch.is_system) == (food, "FOOD_AND_DRINK", False)
    assert brunch.pk in category_tree(household=household).lookup
    assert brunch.pk not in category_tree(household=other_household).lookup
    with pytest.raises(ValidationError):
        category_create(household=household, parent=food, name="brunch")


def test_deleting_a_custom_category_moves_its_transactions_splits_and_rules_to_the_parent(household, make_txn, cat):
    food = cat("FOOD_AND_DRINK")
    brunch = category_create(household=household, parent=food, name="Brunch")
    txn = make_txn(category=brunch)
    split = TransactionSplitFactory(household=household, transaction=txn, category=brunch)
    rule = RuleFactory(household=household, set_category=brunch)

    assert category_delete(household=household, category=brunch) == 1

    txn.refresh_from_db()
    split.refresh_from_db()
    assert txn.category == food and split.category == food
    assert Rule.objects.get(pk=rule.pk).set_category == food


def test_system_categories_cannot_be_deleted(household, cat):
    with pytest.raises(ValidationError):
        category_delete(household=household, category=cat("TRAVEL"))


def test_another_households_category_cannot_be_renamed(household, other_household, cat):
    theirs = category_create(household=other_household, parent=cat("TRAVEL"), name="Ski trips")
    with pytest.raises(ValidationError):
        category_rename(household=household, category=theirs, name="Mine now")
