"""`train_categorizer`: the weekly retrain folds the households' corrections into the global model."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from ml.models import ModelRun
from ml.services.categorizing import categorize_transactions, trained_artifact_path
from ml.services.training import household_corrections
from transactions.models import Transaction
from transactions.tests.factories import CategoryFactory, FinancialAccountFactory, TransactionFactory, system_category

pytestmark = pytest.mark.django_db
Source = Transaction.CategorySource
DESCRIPTOR = "ZORBLAX 4471 QUILLMORE"


@pytest.fixture
def artifact_dir(settings, tmp_path, trained_categorizer):
    """The small session model saved as this test's global artefact."""
    settings.ML_ARTIFACT_DIR = tmp_path
    # Saved as the install's own model, never over the artefact shipped in ml/artifacts.
    trained_categorizer.save(trained_artifact_path())
    return tmp_path


def train(*args) -> dict:
    out = io.StringIO()
    call_command("train_categorizer", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_without_corrections_the_run_is_skipped(artifact_dir, trained_categorizer):
    summary = train()
    assert summary["mode"] == "skipped: no corrections to learn from"
    assert (summary["corrections"], summary["version"]) == (0, trained_categorizer.version)
    run = ModelRun.objects.get(pk=summary["run_id"])
    assert (run.kind, run.status, run.metrics["corrections"]) == (ModelRun.Kind.TRAIN_CATEGORIZER, "ok", 0)


def test_corrections_are_learnt(artifact_dir, trained_categorizer, household):
    account = FinancialAccountFactory(household=household, kind="credit_card")
    pets = system_category("GENERAL_MERCHANDISE_PET_SUPPLIES")
    for store in range(4):
        TransactionFactory(
            household=household, account=account, description=f"{DESCRIPTOR} #{store}", amount=Decimal("-31.20"),
            category=pets, category_source=Source.USER,
        )  # fmt: skip
    assert len(household_corrections().examples) == 4

    summary = train()

    assert summary["mode"] == "with_corrections"
    assert (summary["corrections"], summary["households"]) == (4, 1)
    assert summary["previous_version"] == trained_categorizer.version != summary["version"]
    fresh = TransactionFactory(household=household, account=account, description=f"{DESCRIPTOR} #9", merchant="")
    decision = categorize_transactions(household, [fresh])[fresh.pk]  # the new artefact is picked up
    assert decision.category_code.startswith("GENERAL_MERCHANDISE")
    assert ModelRun.objects.get(pk=summary["run_id"]).model_version == summary["version"]


def test_custom_categories_count_as_their_parent(household):
    mine = CategoryFactory(household=household, parent=system_category("FOOD_AND_DRINK_COFFEE"))
    TransactionFactory(household=household, description="LITTLE CUP", category=mine, category_source=Source.USER)
    TransactionFactory(household=household, description="LITTLE CUP", category=mine, category_source=Source.USER)
    TransactionFactory(household=household, description="BIG CUP", category=mine, category_source=Source.MODEL)
    corrections = household_corrections()
    assert [(e[0], e[3]) for e in corrections.examples] == [("LITTLE CUP", "FOOD_AND_DRINK_COFFEE")]
