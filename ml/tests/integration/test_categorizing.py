"""Who decides a category (authority order), the confidence tiers, and learning from a correction."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ml.models import MerchantCategoryMemory, SuggestionOutcome
from ml.selectors import category_suggestions, suggestion_acceptance
from ml.services import categorize_transactions, category_correction_record, category_corrections_record
from ml.tests.factories import MerchantCategoryMemoryFactory
from transactions.models import Transaction
from transactions.tests.factories import CategoryFactory, FinancialAccountFactory, TransactionFactory, system_category

pytestmark = pytest.mark.django_db
Source = Transaction.CategorySource


@pytest.fixture
def account(household):
    return FinancialAccountFactory(household=household, kind="credit_card")


def txn(account, description: str, merchant: str = "", **fields) -> Transaction:
    return TransactionFactory(
        household=account.household,
        account=account,
        description=description,
        merchant=merchant or description,
        **fields,
    )


def test_confidence_tiers(scripted_categorizer, household, account):
    scripted_categorizer.answers = {
        "BLUE BOTTLE": ("FOOD_AND_DRINK_COFFEE", 0.93),
        "ZEPHYR GOODS": ("GENERAL_MERCHANDISE", 0.71),
        "QX 4471": ("TRAVEL", 0.42),
    }
    sure, medium, unsure = (txn(account, d) for d in scripted_categorizer.answers)
    decisions = categorize_transactions(household, [sure, medium, unsure])

    assert decisions[sure.pk].category_id == system_category("FOOD_AND_DRINK_COFFEE").pk  # the detailed code
    assert (decisions[sure.pk].source, decisions[sure.pk].suggested) == (Source.MODEL, False)
    assert decisions[sure.pk].confidence == Decimal("0.930")
    assert decisions[medium.pk].category_code == "GENERAL_MERCHANDISE"
    assert decisions[medium.pk].suggested is True
    assert unsure.pk not in decisions  # left uncategorised


def test_suggestions_for_an_uncategorised_row(scripted_categorizer, household, account):
    scripted_categorizer.answers = {"QX 4471": ("TRAVEL", 0.42)}
    row = txn(account, "QX 4471")
    suggestions = category_suggestions(household=household, transactions=[row])[row.pk]
    assert [(s.category.code, s.confidence) for s in suggestions] == [
        ("TRAVEL", 0.42),
        ("GENERAL_SERVICES", 0.29),
        ("BANK_FEES", 0.29),
    ]


def test_authority_order(scripted_categorizer, household, account):
    """user > rule > household memory > bank > model."""
    scripted_categorizer.answers = dict.fromkeys(("USER", "RULE", "BANK", "MEMO", "MODEL"), ("ENTERTAINMENT", 0.99))
    groceries = system_category("FOOD_AND_DRINK_GROCERIES")
    by_user = txn(account, "USER", category=groceries, category_source=Source.USER, user_edited=["category"])
    by_rule = txn(account, "RULE", merchant="Corner Shop", category=groceries, category_source=Source.RULE)
    by_bank = txn(account, "BANK", category=groceries, category_source=Source.BANK)
    bank_but_taught = txn(account, "MEMO", merchant="Corner Shop", category=groceries, category_source=Source.BANK)
    by_model = txn(account, "MODEL", category=groceries, category_source=Source.MODEL)
    MerchantCategoryMemoryFactory(household=household, merchant="Corner Shop", category=system_category("MEDICAL"))

    decisions = categorize_transactions(household, [by_user, by_rule, by_bank, bank_but_taught, by_model])

    assert set(decisions) == {bank_but_taught.pk, by_model.pk}
    assert decisions[bank_but_taught.pk].category_code == "MEDICAL"
    assert decisions[bank_but_taught.pk].source == Source.LEARNED
    assert decisions[by_model.pk].category_code == "ENTERTAINMENT"  # a newer prediction may replace the model's


def test_other_households_rows_are_ignored(scripted_categorizer, household, other_household):
    scripted_categorizer.answers = {"NETFLIX": ("ENTERTAINMENT", 0.95)}
    theirs = TransactionFactory(household=other_household, description="NETFLIX")
    assert categorize_transactions(household, [theirs]) == {}


def test_a_correction_is_applied_to_the_next_transaction_of_that_merchant(real_categorizer, household, account):
    first = txn(account, "SQ *LUNA NAIL STUDIO 0412 AUSTIN TX", merchant="Luna Nail Studio")
    hair = system_category("PERSONAL_CARE_HAIR_AND_BEAUTY")
    category_correction_record(household, first, hair)

    memory = MerchantCategoryMemory.objects.get(household=household, merchant="Luna Nail Studio")
    assert memory.category == hair and memory.corrections == 1
    following = txn(account, "SQ *LUNA NAIL STUDIO 0519 AUSTIN TX", merchant="Luna Nail Studio")
    decision = categorize_transactions(household, [following])[following.pk]
    assert (decision.category_id, decision.source, decision.confidence) == (hair.pk, Source.LEARNED, Decimal("1"))

    category_correction_record(household, following, system_category("MEDICAL"))
    memory.refresh_from_db()
    assert memory.category.code == "MEDICAL" and memory.corrections == 2


def test_the_same_merchant_elsewhere_is_not_affected(real_categorizer, household, account, other_household):
    category_correction_record(household, txn(account, "ACME 12", merchant="Acme"), system_category("PERSONAL_CARE"))
    theirs = TransactionFactory(household=other_household, description="ACME 13", merchant="Acme")
    decision = categorize_transactions(other_household, [theirs]).get(theirs.pk)
    assert decision is None or decision.source == Source.MODEL


def test_suggestion_outcomes_and_acceptance_rate(household, account):
    coffee = system_category("FOOD_AND_DRINK_COFFEE")
    kept = txn(account, "JAVA HUT", category=coffee, category_source=Source.MODEL, category_suggested=True)
    changed = txn(account, "JAVA BOOKS", category=coffee, category_source=Source.MODEL, category_suggested=True)
    applied = txn(account, "JAVA CAFE", category=coffee, category_source=Source.MODEL)

    category_correction_record(household, kept, coffee)
    category_corrections_record(household, [changed, applied], system_category("ENTERTAINMENT"))

    outcomes = SuggestionOutcome.objects.for_household(household)
    assert sorted(outcomes.values_list("transaction__description", "accepted")) == [
        ("JAVA BOOKS", False),
        ("JAVA HUT", True),
    ]
    (month,) = suggestion_acceptance(household=household)
    assert (month["decided"], month["accepted"], month["rate"]) == (2, 1, 0.5)


def test_clearing_a_category_remembers_nothing(household, account):
    row = txn(account, "MYSTERY", category=system_category("TRAVEL"), category_source=Source.MODEL)
    assert category_corrections_record(household, [row], None) == 0
    assert not MerchantCategoryMemory.objects.exists()


def test_another_households_category_is_refused(household, account, other_household):
    with pytest.raises(ValueError, match="another household"):
        category_correction_record(household, txn(account, "X"), CategoryFactory(household=other_household))


def test_pipeline_applies_the_categoriser(scripted_categorizer, household, account):
    """The Money-in pipeline calls `categorize_transactions` for what rules, memory and the bank left open."""
    from transactions.services.pipeline import process_new_transactions

    scripted_categorizer.answers = {"NETFLIX.COM": ("ENTERTAINMENT_TV_AND_MOVIES", 0.95), "ZEPHYR": ("TRAVEL", 0.7)}
    sure, medium = txn(account, "NETFLIX.COM"), txn(account, "ZEPHYR")
    process_new_transactions(household, [sure.pk, medium.pk], "manual")
    sure.refresh_from_db()
    medium.refresh_from_db()
    assert (sure.category.code, sure.category_source, sure.category_suggested) == (
        "ENTERTAINMENT_TV_AND_MOVIES",
        Source.MODEL,
        False,
    )
    assert (medium.category.code, medium.category_suggested) == ("TRAVEL", True)
