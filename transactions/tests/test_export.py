"""Export: formula-safe cells, the household's own categories and tags, filters."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from transactions.models import Transaction
from transactions.selectors.transactions import TransactionFilters, household_transactions
from transactions.services.categories import category_rename
from transactions.services.exporting import transactions_export_csv
from transactions.services.transactions import transactions_bulk_tag

pytestmark = pytest.mark.django_db


def export(household, queryset=None) -> list[list[str]]:
    stream = io.StringIO()
    transactions_export_csv(
        household=household,
        queryset=Transaction.objects.for_household(household) if queryset is None else queryset,
        stream=stream,
    )
    return list(csv.reader(io.StringIO(stream.getvalue())))


@pytest.mark.parametrize("dangerous", ["=SUM(A1:A9)", "+1+1", "-2+3", "@cmd", "\tTAB"])
def test_cells_that_a_spreadsheet_would_evaluate_are_escaped(household, make_txn, dangerous):
    make_txn(description=dangerous, merchant=dangerous)
    row = export(household)[1]
    assert row[1] == "'" + dangerous
    assert row[2] == "'" + dangerous


def test_amounts_stay_plain_numbers_and_categories_use_the_households_names(household, make_txn, cat):
    coffee = cat("FOOD_AND_DRINK_COFFEE")
    category_rename(household=household, category=coffee, name="Caffeine")
    txn = make_txn(description="BLUE BOTTLE", amount="-4.50", category=coffee)
    transactions_bulk_tag(household, [txn.pk], "work")

    header, row = export(household)
    record = dict(zip(header, row, strict=True))

    assert record["Amount"] == "-4.50"
    assert record["Category"] == "Caffeine"
    assert record["Tags"] == "work"
    assert record["Id"] == str(txn.pk)


def test_filtered_export_and_other_households_are_left_out(household, other_household, make_txn):
    make_txn(description="BIG", amount="-500.00")
    make_txn(description="SMALL", amount="-5.00")
    from transactions.tests.factories import TransactionFactory

    TransactionFactory(household=other_household, description="NOT MINE")
    filtered = household_transactions(household=household, filters=TransactionFilters(amount_max=Decimal("-100")))

    rows = export(household, filtered)

    assert [r[1] for r in rows[1:]] == ["BIG"]
    assert "NOT MINE" not in {r[1] for r in export(household)[1:]}
