"""Rules in the database: validation, order, new transactions, preview and apply to the past, "always" rules."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from transactions.models import Rule, Transaction
from transactions.services import rules as service
from transactions.services.transactions import transaction_set_category

pytestmark = pytest.mark.django_db
Source = Transaction.CategorySource


def test_create_validates_and_appends(household, cat, account):
    first = service.rule_create(
        household=household,
        match_field="merchant",
        match_type="equals",
        match_value="Uber",
        set_category=cat("TRANSPORTATION_TAXIS_AND_RIDE_SHARES"),
    )
    second = service.rule_create(
        household=household,
        match_field="description",
        match_type="contains",
        match_value="NETFLIX",
        add_tag_name="subscriptions",
        account=account,
    )
    assert (first.position, second.position, second.add_tag.name) == (0, 1, "subscriptions")

    with pytest.raises(ValidationError) as error:
        service.rule_create(
            household=household,
            match_field="description",
            match_type="regex",
            match_value="(",
            set_category=cat("TRAVEL"),
        )
    assert "not a valid pattern" in error.value.message_dict["match_value"][0]
    with pytest.raises(ValidationError) as error:
        service.rule_create(household=household, match_field="description", match_type="contains", match_value="x")
    assert "at least one thing" in error.value.message_dict["set_category"][0]
    with pytest.raises(ValidationError):
        service.rule_create(
            household=household,
            match_field="description",
            match_type="contains",
            match_value="x",
            amount_min=Decimal("5"),
            amount_max=Decimal("1"),
            mark_excluded=True,
        )


def test_rules_apply_to_new_transactions_with_all_their_actions(household, make_txn, cat):
    coffee = cat("FOOD_AND_DRINK_COFFEE")
    service.rule_create(
        household=household,
        match_field="description",
        match_type="contains",
        match_value="bottle",
        set_category=coffee,
        set_merchant="Blue Bottle",
        add_tag_name="treats",
    )
    txn = make_txn(description="SQ *BLUE BOTTLE COFFEE")

    effects = service.rules_apply(household, [txn.pk])

    txn.refresh_from_db()
    assert len(effects) == 1
    assert (txn.category, txn.category_source, txn.merchant) == (coffee, Source.RULE, "Blue Bottle")
    assert list(txn.tags.values_list("name", flat=True)) == ["treats"]


def test_inactive_rules_do_nothing(household, make_txn, cat):
    service.rule_create(
        household=household,
        match_field="description",
        match_type="contains",
        match_value="x",
        set_category=cat("TRAVEL"),
        is_active=False,
    )
    assert service.rules_apply(household, [make_txn(description="x").pk]) == []


def test_move_changes_which_rule_wins(household, make_txn, cat):
    a = service.rule_create(
        household=household,
        match_field="description",
        match_type="contains",
        match_value="shell",
        set_category=cat("TRANSPORTATION_GAS"),
    )
    b = service.rule_create(
        household=household,
        match_field="description",
        match_type="contains",
        match_value="shell",
        set_category=cat("FOOD_AND_DRINK"),
    )
    service.rule_move(b, up=True)
    txn = make_txn(description="SHELL OIL 123")
    service.rules_apply(household, [txn.pk])
    txn.refresh_from_db()

    assert list(Rule.objects.order_by("position").values_list("pk", flat=True)) == [b.pk, a.pk]
    assert txn.category.code == "FOOD_AND_DRINK"
    service.rule_move(b, up=True)  # already first: nothing moves
    assert Rule.objects.get(pk=b.pk).position == 0


def test_preview_then_apply_to_past_never_over_hand_edits(household, make_txn, cat):
    groceries = cat("FOOD_AND_DRINK_GROCERIES")
    plain = [make_txn(description=f"WHOLEFDS MKT {i}") for i in range(3)]
    by_hand = make_txn(description="WHOLEFDS MKT gift card")
    transaction_set_category(by_hand, cat("GENERAL_MERCHANDISE"))
    make_txn(description="TRADER JOE'S")
    rule = service.rule_create(
        household=household,
        match_field="description",
        match_type="starts_with",
        match_value="wholefds",
        set_category=groceries,
    )

    preview = service.rule_preview(rule)
    assert preview.total == 3
    assert {txn.pk for txn, _ in preview.changes} == {t.pk for t in plain}
    assert Transaction.objects.filter(category=groceries).count() == 0, "a preview changes nothing"

    assert service.rule_apply_to_past(rule) == 3
    assert set(Transaction.objects.filter(category=groceries).values_list("pk", flat=True)) == {t.pk for t in plain}
    assert service.rule_preview(rule).total == 0


def test_always_do_this_for_a_merchant(household, make_txn, cat):
    coffee = cat("FOOD_AND_DRINK_COFFEE")
    corrected = make_txn(description="SQ *BLUE BOTTLE 1", merchant="Blue Bottle Coffee")
    others = [make_txn(description=f"SQ *BLUE BOTTLE {i}", merchant="Blue Bottle Coffee") for i in (2, 3)]
    service.rule_create(
        household=household,
        match_field="description",
        match_type="contains",
        match_value="sq *",
        set_category=cat("GENERAL_MERCHANDISE"),
    )
    transaction_set_category(corrected, coffee)
    corrected.refresh_from_db()

    rule, changed = service.rule_create_for_merchant(corrected)

    assert (rule.position, rule.match_value, rule.set_category) == (0, "Blue Bottle Coffee", coffee)
    assert changed == 2
    for txn in others:
        txn.refresh_from_db()
        assert txn.category == coffee
    assert service.rule_create_for_merchant(corrected) == (rule, 0), "asking twice makes no second rule"
    assert service.rule_for_merchant(corrected) == rule


def test_always_needs_a_merchant_and_a_category(household, make_txn):
    with pytest.raises(ValidationError):
        service.rule_create_for_merchant(make_txn(merchant="Somewhere"))
