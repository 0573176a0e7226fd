"""The categorisation pipeline: authority order (user > rules > learned > bank > model), the model's confidence
tiers, transfers, and the hook to the other apps."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from ml.models import MerchantCategoryMemory
from transactions.models import Transaction
from transactions.services import pipeline
from transactions.services.rules import rule_create

pytestmark = pytest.mark.django_db
Source = Transaction.CategorySource


@dataclass
class FakePrediction:
    category_code: str
    confidence: float


@pytest.fixture
def model(monkeypatch):
    """A stand-in categoriser: predictions by description."""
    answers: dict[str, FakePrediction] = {}
    calls: list[list[int]] = []

    def categorize(household, transactions):
        calls.append([t.pk for t in transactions])
        return {t.pk: answers[t.description] for t in transactions if t.description in answers}

    monkeypatch.setattr(pipeline, "ml_service", lambda name: categorize if name == "categorize_transactions" else None)
    categorize.answers, categorize.calls = answers, calls
    return categorize


def test_authority_order(household, make_txn, cat, model):
    coffee, groceries, travel = cat("FOOD_AND_DRINK_COFFEE"), cat("FOOD_AND_DRINK_GROCERIES"), cat("TRAVEL")
    rule_create(
        household=household, match_field="description", match_type="contains", match_value="RULED", set_category=coffee
    )
    MerchantCategoryMemory.objects.create(household=household, merchant="Corner Shop", category=groceries)
    by_rule = make_txn(description="RULED SHOP", merchant="Corner Shop", plaid_category="TRAVEL")
    learned = make_txn(description="CORNER SHOP 12", merchant="Corner Shop", plaid_category="TRAVEL")
    bank = make_txn(description="HOTEL", merchant="Hotel", plaid_category="TRAVEL_LODGING")
    modelled = make_txn(description="MYSTERY")
    by_user = make_txn(
        description="RULED BY HAND", category=travel, category_source=Source.USER, user_edited=["category"]
    )
    model.answers["MYSTERY"] = FakePrediction("FOOD_AND_DRINK_RESTAURANT", 0.91)
    model.answers["HOTEL"] = FakePrediction("FOOD_AND_DRINK", 0.99)

    result = pipeline.process_new_transactions(
        household, [t.pk for t in (by_rule, learned, bank, modelled, by_user)], source="import"
    )

    got = {t.description: (t.category.code, t.category_source) for t in Transaction.objects.select_related("category")}
    assert got == {
        "RULED SHOP": ("FOOD_AND_DRINK_COFFEE", Source.RULE),
        "CORNER SHOP 12": ("FOOD_AND_DRINK_GROCERIES", Source.LEARNED),
        "HOTEL": ("TRAVEL_LODGING", Source.BANK),
        "MYSTERY": ("FOOD_AND_DRINK_RESTAURANT", Source.MODEL),
        "RULED BY HAND": ("TRAVEL", Source.USER),
    }
    assert (result.by_rules, result.learned, result.bank, result.model) == (1, 1, 1, 1)
    assert model.calls == [[modelled.pk]], "the model is only asked about what is still open"


@pytest.mark.parametrize(
    ("confidence", "expected"),
    [(0.85, ("FOOD_AND_DRINK", False)), (0.7, ("FOOD_AND_DRINK", True)), (0.5, (None, False))],
)
def test_model_confidence_tiers(household, make_txn, model, confidence, expected):
    txn = make_txn(description="SOMETHING")
    model.answers["SOMETHING"] = FakePrediction("FOOD_AND_DRINK", confidence)
    pipeline.process_new_transactions(household, [txn.pk], source="import")
    txn.refresh_from_db()
    assert (txn.category.code if txn.category else None, txn.category_suggested) == expected
    if txn.category:
        assert txn.category_confidence == Decimal(str(confidence)).quantize(Decimal("0.001"))


def test_without_a_categoriser_uncategorised_is_honest(household, make_txn, monkeypatch):
    monkeypatch.setattr(pipeline, "ml_service", lambda name: None)
    txn = make_txn(description="UNKNOWN PLACE")
    pipeline.process_new_transactions(household, [txn.pk], source="import")
    txn.refresh_from_db()
    assert txn.category is None and txn.category_source == ""


def test_a_failing_categoriser_does_not_fail_the_import(household, make_txn, monkeypatch):
    def broken(household, transactions):
        raise RuntimeError("model file missing")

    monkeypatch.setattr(pipeline, "ml_service", lambda name: broken)
    txn = make_txn(description="UNKNOWN PLACE")
    pipeline.process_new_transactions(household, [txn.pk], source="import")
    txn.refresh_from_db()
    assert txn.category is None


def test_transactions_of_another_household_are_ignored(household, other_household, make_txn, cat):
    from transactions.tests.factories import TransactionFactory

    rule_create(
        household=household,
        match_field="description",
        match_type="contains",
        match_value="SHOP",
        set_category=cat("TRAVEL"),
    )
    theirs = TransactionFactory(household=other_household, description="SHOP")
    pipeline.process_new_transactions(household, [theirs.pk], source="import")
    theirs.refresh_from_db()
    assert theirs.category is None


def test_the_other_apps_are_told_after_commit(household, make_txn, monkeypatch, django_capture_on_commit_callbacks):
    told = []
    monkeypatch.setattr(
        "fincoach.hooks._run", lambda household_id, ids, source: told.append((household_id, ids, source))
    )
    txn = make_txn()
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.process_new_transactions(household, [txn.pk], source="plaid")
    assert told == [(household.pk, [txn.pk], "plaid")]


def test_transfers_are_linked_by_the_pipeline(household, account, savings, make_txn):
    out = make_txn(description="TRANSFER TO SAVINGS", amount="-10.00")
    arrived = make_txn(account=savings, description="TRANSFER FROM CHECKING", amount="10.00")
    result = pipeline.process_new_transactions(household, [out.pk, arrived.pk], source="import")
    assert result.transfers == 1
