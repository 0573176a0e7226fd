"""The money-in pages: full pages and HTMX fragments, inline category change, bulk actions, forms, and a fixed
number of queries for the list whatever the page size."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from transactions.models import FinancialAccount, ImportBatch, Rule, Tag, Transaction
from transactions.tests.factories import TransactionFactory

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def many(household, account, cat):
    coffee = cat("FOOD_AND_DRINK_COFFEE")
    return [
        TransactionFactory(
            household=household,
            account=account,
            date=dt.date(2025, 1, 1) + dt.timedelta(days=i),
            description=f"SHOP {i}",
            amount=Decimal(f"-{i + 1}.00"),
            category=coffee if i % 2 else None,
        )
        for i in range(30)
    ]


def test_list_page_and_fragment(member_client, many):
    page = member_client.get(reverse("transactions:index"))
    fragment = member_client.get(reverse("transactions:index"), {"q": "SHOP 2"}, **HX)

    assert page.status_code == 200 and b"<html" in page.content and b'id="filters"' in page.content
    assert fragment.status_code == 200 and b"<html" not in fragment.content
    assert "HX-Request" in fragment["Vary"]
    assert fragment.content.count(b'<tr id="txn-') == 1 + 10  # SHOP 2 and SHOP 20..29


def test_filters_and_sorting(member_client, many, cat):
    url = reverse("transactions:index")
    only_uncategorised = member_client.get(url, {"uncategorised": "on"}, **HX)
    assert only_uncategorised.content.count(b'<tr id="txn-') == 15
    by_primary = member_client.get(url, {"category": cat("FOOD_AND_DRINK").pk}, **HX)
    assert by_primary.content.count(b'<tr id="txn-') == 15, "a primary category includes its sub-categories"
    amounts = member_client.get(url, {"amount_min": "-3", "amount_max": "-2", "sort": "amount"}, **HX)
    assert amounts.content.count(b'<tr id="txn-') == 2
    assert amounts.content.index(b"SHOP 2") < amounts.content.index(b"SHOP 1<")
    dated = member_client.get(url, {"date_from": "2025-01-05", "date_to": "2025-01-06"}, **HX)
    assert dated.content.count(b'<tr id="txn-') == 2


def test_keyset_pages_cover_everything_once(member_client, many):
    url = reverse("transactions:index")
    seen: list[bytes] = []
    params = {"page_size": "7"}
    for _ in range(10):
        response = member_client.get(url, params, **HX)
        rows = [line for line in response.content.split(b"\n") if b'<tr id="txn-' in line]
        seen += rows
        if b'id="load-more"' not in response.content:
            break
        params = {"page_size": "7", "cursor": response.context["page"].next_cursor}
    assert len(seen) == len(set(seen)) == 30


@pytest.mark.parametrize("page_size", [5, 100])
def test_the_list_costs_the_same_number_of_queries_whatever_the_page_size(
    member_client, household, account, page_size, django_assert_max_num_queries
):
    tag = Tag.objects.create(household=household, name="x")
    for i in range(120):
        TransactionFactory(household=household, account=account, description=f"ROW {i}").tags.add(tag)
    member_client.get(reverse("transactions:index"))  # warm the session and caches
    with django_assert_max_num_queries(11):
        response = member_client.get(reverse("transactions:index"), {"page_size": page_size})
    assert response.content.count(b'<tr id="txn-') == page_size


def test_query_count_is_identical_for_small_and_large_pages(member_client, household, account, cat):
    tag = Tag.objects.create(household=household, name="x")
    for i in range(60):
        txn = TransactionFactory(household=household, account=account, description=f"ROW {i}", category=cat("TRAVEL"))
        txn.tags.add(tag)
    counts = []
    for size in (5, 60):
        member_client.get(reverse("transactions:index"), {"page_size": size})
        with CaptureQueriesContext(connection) as queries:
            member_client.get(reverse("transactions:index"), {"page_size": size})
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_inline_category_change_offers_an_always_rule(member_client, household, make_txn, cat):
    txn = make_txn(description="SQ *BLUE BOTTLE", merchant="Blue Bottle Coffee")
    picker = member_client.get(reverse("transactions:transaction_category", args=[txn.pk]), **HX)
    assert b"<select" in picker.content and b"Coffee" in picker.content

    response = member_client.post(
        reverse("transactions:transaction_category", args=[txn.pk]), {"category": cat("FOOD_AND_DRINK_COFFEE").pk}, **HX
    )

    assert response.status_code == 200
    assert response.content.lstrip().startswith(b"<tr")
    assert b"Always use" in response.content and b"Blue Bottle Coffee" in response.content
    always = member_client.post(reverse("transactions:transaction_always", args=[txn.pk]), **HX)
    assert b"Rule saved" in always.content
    assert Rule.objects.get(household=household).match_value == "Blue Bottle Coffee"


def test_confirm_a_suggestion(member_client, make_txn, cat):
    txn = make_txn(category=cat("TRAVEL"), category_source="model", category_suggested=True)
    page = member_client.get(reverse("transactions:index"), {"suggested": "on"}, **HX)
    assert b"Confirm" in page.content
    member_client.post(reverse("transactions:transaction_confirm", args=[txn.pk]), **HX)
    txn.refresh_from_db()
    assert (txn.category_source, txn.category_suggested) == ("user", False)


def test_bulk_categorise_keeps_the_filters(member_client, many, cat):
    ids = [t.pk for t in many[:3]]
    response = member_client.post(
        reverse("transactions:transaction_bulk"),
        {"bulk_action": "categorize", "ids": ids, "bulk_category": cat("TRAVEL").pk, "q": "SHOP 1"},
        **HX,
    )
    assert response.status_code == 200
    assert Transaction.objects.filter(pk__in=ids, category__code="TRAVEL").count() == 3
    assert response.content.count(b'<tr id="txn-') == 11  # the search "SHOP 1" still applies


def test_bulk_without_selection_explains(member_client, many):
    response = member_client.post(reverse("transactions:transaction_bulk"), {"bulk_action": "delete"}, **HX)
    assert response.status_code == 200
    assert Transaction.objects.count() == 30


def test_add_edit_and_delete_by_hand(member_client, household, account, cat):
    response = member_client.post(
        reverse("transactions:transaction_create"),
        {
            "account": account.pk,
            "date": "2025-05-01",
            "amount": "-42.10",
            "description": "Farmers market",
            "category": cat("FOOD_AND_DRINK_GROCERIES").pk,
            "tags": "market, cash",
        },
    )
    assert response.status_code == 302
    txn = Transaction.objects.get(description="Farmers market")
    assert sorted(txn.tags.values_list("name", flat=True)) == ["cash", "market"]

    member_client.post(
        reverse("transactions:transaction_edit", args=[txn.pk]),
        {
            "account": account.pk,
            "date": "2025-05-02",
            "amount": "-40.00",
            "description": "Farmers market",
            "category": "",
            "notes": "cheaper than thought",
        },
    )
    txn.refresh_from_db()
    assert (txn.amount, txn.category, txn.notes) == (Decimal("-40.00"), None, "cheaper than thought")

    invalid = member_client.post(
        reverse("transactions:transaction_create"),
        {"account": account.pk, "date": "2025-05-01", "amount": "0", "description": "Nothing"},
    )
    assert invalid.status_code == 200 and b"cannot be zero" in invalid.content

    member_client.post(reverse("transactions:transaction_delete", args=[txn.pk]), **HX)
    assert not Transaction.objects.filter(pk=txn.pk).exists()


def test_split_editor(member_client, make_txn, cat):
    txn = make_txn(amount="-100.00")
    page = member_client.get(reverse("transactions:transaction_splits", args=[txn.pk]))
    assert page.status_code == 200 and b"Left to assign" in page.content
    data = {
        "parts-TOTAL_FORMS": "2",
        "parts-INITIAL_FORMS": "0",
        "parts-MIN_NUM_FORMS": "2",
        "parts-MAX_NUM_FORMS": "20",
        "parts-0-category": cat("FOOD_AND_DRINK_GROCERIES").pk,
        "parts-0-amount": "-60",
        "parts-1-category": cat("MEDICAL").pk,
        "parts-1-amount": "-30",
    }
    wrong = member_client.post(reverse("transactions:transaction_splits", args=[txn.pk]), data, **HX)
    assert b"left to assign" in wrong.content and not txn.splits.exists()
    data["parts-1-amount"] = "-40"
    member_client.post(reverse("transactions:transaction_splits", args=[txn.pk]), data, **HX)
    assert txn.splits.count() == 2


def test_accounts_page_and_forms(member_client, household, make_txn, account):
    make_txn(amount="-25.00")
    page = member_client.get(reverse("transactions:account_list"))
    assert b"Everyday checking" in page.content and b"-$25.00" in page.content
    assert f'href="{reverse("plaid:connections")}"'.encode() in page.content, "banks are linked from here"

    member_client.post(
        reverse("transactions:account_create"),
        {"name": "Visa", "kind": "credit_card", "currency": "USD", "opening_balance": "0"},
    )
    visa = FinancialAccount.objects.get(name="Visa")
    member_client.post(
        reverse("transactions:account_edit", args=[visa.pk]),
        {"name": "Visa Signature", "kind": "credit_card", "currency": "USD", "opening_balance": "-10"},
    )
    member_client.post(reverse("transactions:account_close", args=[visa.pk]))
    visa.refresh_from_db()
    assert (visa.name, visa.is_active) == ("Visa Signature", False)
    duplicate = member_client.post(
        reverse("transactions:account_create"),
        {"name": "everyday checking", "kind": "checking", "currency": "USD", "opening_balance": "0"},
    )
    assert b"already have an account" in duplicate.content


def test_upload_preview_change_mapping_import_and_undo(member_client, household, account):
    upload = SimpleUploadedFile("chase.csv", (FIXTURES / "chase_checking.csv").read_bytes(), "text/csv")
    response = member_client.post(reverse("transactions:import_list"), {"file": upload, "account": account.pk})
    batch = ImportBatch.objects.get(household=household)
    assert response.status_code == 302 and response["Location"] == reverse(
        "transactions:import_detail", args=[batch.pk]
    )

    preview = member_client.get(response["Location"])
    assert b"Chase (checking)" in preview.content and b"BLUE BOTTLE" in preview.content
    assert b"line 7:" in preview.content

    columns = {
        f"col_{role}": ""
        for role in ("payee", "debit", "credit", "direction", "currency", "external_id", "authorized_date", "status")
    }
    mapping = {
        **columns,
        "col_date": "1",
        "col_description": "0",
        "col_amount": "3",
        "sign": "inverted",
        "date_format": "%m/%d/%Y",
    }
    changed = member_client.get(reverse("transactions:import_preview", args=[batch.pk]), mapping, **HX)
    assert b"DEBIT" in changed.content and b"+$4.50" not in changed.content and b"$4.50" in changed.content

    mapping["col_description"] = "2"
    done = member_client.post(reverse("transactions:import_confirm", args=[batch.pk]), mapping)
    batch.refresh_from_db()
    assert done.status_code == 302 and batch.status == "done" and batch.imported == 5
    assert Transaction.objects.get(description__startswith="ACME").amount == Decimal("-2500.00"), "sign was inverted"

    summary = member_client.get(reverse("transactions:import_progress", args=[batch.pk]), **HX)
    assert summary.status_code == 286 and b'data-testid="imported">5<' in summary.content

    member_client.post(reverse("transactions:import_undo", args=[batch.pk]))
    assert not Transaction.objects.exists()


def test_upload_of_a_pdf_explains(member_client, account):
    upload = SimpleUploadedFile("statement.pdf", b"%PDF-1.4 \x00\x01", "application/pdf")
    response = member_client.post(reverse("transactions:import_list"), {"file": upload, "account": account.pk})
    assert response.status_code == 200 and b"PDF" in response.content
    assert not ImportBatch.objects.exists()


def test_upload_into_a_new_account(member_client, household):
    upload = SimpleUploadedFile("chase.csv", (FIXTURES / "chase_checking.csv").read_bytes(), "text/csv")
    member_client.post(
        reverse("transactions:import_list"), {"file": upload, "account": "new", "new_account_name": "Joint"}
    )
    assert ImportBatch.objects.get().account.name == "Joint"


def test_rules_pages(member_client, household, make_txn, cat):
    make_txn(description="NETFLIX.COM")
    response = member_client.post(
        reverse("transactions:rule_create"),
        {
            "match_field": "description",
            "match_type": "contains",
            "match_value": "netflix",
            "set_category": cat("ENTERTAINMENT_TV_AND_MOVIES").pk,
            "is_active": "on",
        },
    )
    rule = Rule.objects.get()
    assert response["Location"] == reverse("transactions:rule_preview", args=[rule.pk])
    preview = member_client.get(response["Location"])
    assert b"Apply to 1 transaction" in preview.content
    member_client.post(reverse("transactions:rule_apply", args=[rule.pk]))
    assert Transaction.objects.get().category.code == "ENTERTAINMENT_TV_AND_MOVIES"
    assert b"netflix" in member_client.get(reverse("transactions:rule_list")).content
    bad = member_client.post(
        reverse("transactions:rule_create"),
        {"match_field": "description", "match_type": "regex", "match_value": "(", "mark_excluded": "on"},
    )
    assert b"not a valid pattern" in bad.content


def test_categories_page(member_client, household, cat):
    coffee = cat("FOOD_AND_DRINK_COFFEE")
    member_client.post(reverse("transactions:category_rename", args=[coffee.pk]), {"name": "Caffeine"})
    member_client.post(reverse("transactions:category_create"), {"parent": cat("FOOD_AND_DRINK").pk, "name": "Brunch"})
    page = member_client.get(reverse("transactions:category_list"))
    assert b"Caffeine" in page.content and b"Brunch" in page.content


def test_export_follows_the_filters(member_client, many):
    response = member_client.get(reverse("transactions:transaction_export"), {"q": "SHOP 2"})
    assert response["Content-Type"].startswith("text/csv")
    assert len(response.content.decode().strip().splitlines()) == 1 + 11


def test_pages_need_a_login(client):
    response = client.get(reverse("transactions:index"))
    assert response.status_code == 302


def test_totals_follow_the_filters(member_client, many):
    response = member_client.get(reverse("transactions:transaction_totals"), {"q": "SHOP 2"}, **HX)
    assert response.status_code == 200
    assert b"11 transactions" in response.content and b"-$258.00" in response.content  # SHOP 2 and SHOP 20-29
    everything = member_client.get(reverse("transactions:transaction_totals"))
    assert b"30 transactions" in everything.content
