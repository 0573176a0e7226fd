"""/api/v1: accounts, categories, transactions (filters, bulk, split, export), rules, imports."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from transactions.models import FinancialAccount, ImportBatch, Rule, Transaction
from transactions.tests.factories import TransactionFactory

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


def test_accounts_with_balances_and_close(api_client, household, account, make_txn):
    make_txn(amount="-30.00")
    listed = api_client.get("/api/v1/accounts/").json()
    assert listed["results"][0]["balance"] == "-30.00"

    created = api_client.post("/api/v1/accounts/", {"name": "Visa", "kind": "credit_card", "currency": "usd"})
    assert created.status_code == 201 and created.json()["currency"] == "USD"
    duplicate = api_client.post("/api/v1/accounts/", {"name": "visa", "kind": "credit_card"})
    assert duplicate.status_code == 400 and "name" in duplicate.json()["error"]["fields"]

    closed = api_client.post(f"/api/v1/accounts/{created.json()['id']}/close/")
    assert closed.json()["is_active"] is False
    assert api_client.delete(f"/api/v1/accounts/{account.pk}/").status_code == 405


def test_categories_rename_hide_and_custom(api_client, household, cat):
    coffee = cat("FOOD_AND_DRINK_COFFEE")
    listed = api_client.get("/api/v1/categories/").json()
    assert len(listed) > 100 and {"id", "code", "name", "is_hidden", "is_custom"} <= set(listed[0])

    renamed = api_client.patch(f"/api/v1/categories/{coffee.pk}/", {"name": "Caffeine", "is_hidden": True})
    assert (renamed.json()["name"], renamed.json()["is_hidden"]) == ("Caffeine", True)

    custom = api_client.post("/api/v1/categories/", {"name": "Brunch", "parent_id": cat("FOOD_AND_DRINK").pk})
    assert custom.status_code == 201 and custom.json()["is_custom"] is True
    assert api_client.delete(f"/api/v1/categories/{custom.json()['id']}/").status_code == 204
    assert api_client.delete(f"/api/v1/categories/{coffee.pk}/").status_code == 400


def test_transactions_filters_create_update_and_hand_edits(api_client, household, account, cat):
    for i in range(5):
        TransactionFactory(household=household, account=account, description=f"SHOP {i}", amount=Decimal(f"-{i}1.00"))
    filtered = api_client.get("/api/v1/transactions/", {"amount_max": "-20", "sort": "amount"}).json()
    assert [r["amount"] for r in filtered["results"]] == ["-41.00", "-31.00", "-21.00"]
    assert api_client.get("/api/v1/transactions/", {"date_from": "not a date"}).status_code == 400

    created = api_client.post(
        "/api/v1/transactions/",
        {"account": account.pk, "date": "2025-06-01", "amount": "-9.99", "description": "Book", "tag_names": ["gift"]},
    )
    assert created.status_code == 201 and created.json()["tags"] == ["gift"]
    updated = api_client.patch(
        f"/api/v1/transactions/{created.json()['id']}/",
        {"category": cat("GENERAL_MERCHANDISE_BOOKSTORES_AND_NEWSSTANDS").pk},
    )
    assert updated.json()["category_source"] == "user" and "category" in updated.json()["user_edited"]


def test_transactions_of_another_household_are_invisible(api_client, other_household, account):
    theirs = TransactionFactory(household=other_household)
    assert api_client.get(f"/api/v1/transactions/{theirs.pk}/").status_code == 404
    bad = api_client.post(
        "/api/v1/transactions/",
        {"account": theirs.account_id, "date": "2025-01-01", "amount": "-1", "description": "x"},
    )
    assert bad.status_code == 400


def test_bulk_split_confirm_and_export(api_client, household, make_txn, cat):
    a, b = make_txn(description="A"), make_txn(description="B", amount="-50.00")
    bulk = api_client.post(
        "/api/v1/transactions/bulk/", {"action": "categorize", "ids": [a.pk, b.pk], "category": cat("TRAVEL").pk}
    )
    assert bulk.json() == {"action": "categorize", "count": 2}

    split = api_client.post(
        f"/api/v1/transactions/{b.pk}/split/",
        {
            "parts": [
                {"category": cat("TRAVEL").pk, "amount": "-20.00"},
                {"category": cat("MEDICAL").pk, "amount": "-20.00"},
            ]
        },
    )
    assert split.status_code == 400 and "left to assign" in str(split.json())
    split = api_client.post(
        f"/api/v1/transactions/{b.pk}/split/",
        {
            "parts": [
                {"category": cat("TRAVEL").pk, "amount": "-30.00"},
                {"category": cat("MEDICAL").pk, "amount": "-20.00"},
            ]
        },
    )
    assert len(split.json()["splits"]) == 2

    confirm = api_client.post(f"/api/v1/transactions/{a.pk}/confirm/")
    assert confirm.status_code == 200
    export = api_client.get("/api/v1/transactions/export/", {"q": "B"})
    assert export["Content-Type"].startswith("text/csv") and len(export.content.decode().strip().splitlines()) == 2


def test_rules_crud_preview_and_apply(api_client, household, make_txn, cat):
    make_txn(description="UBER TRIP")
    created = api_client.post(
        "/api/v1/rules/",
        {
            "match_field": "description",
            "match_type": "contains",
            "match_value": "uber",
            "set_category": cat("TRANSPORTATION").pk,
            "add_tag_name": "rides",
        },
    )
    assert created.status_code == 201 and created.json()["add_tag"] == "rides"
    rule_id = created.json()["id"]
    assert api_client.get(f"/api/v1/rules/{rule_id}/preview/").json()["total"] == 1
    assert api_client.post(f"/api/v1/rules/{rule_id}/apply/").json() == {"changed": 1}
    bad = api_client.post(
        "/api/v1/rules/",
        {"match_field": "description", "match_type": "regex", "match_value": "(", "mark_excluded": True},
    )
    assert bad.status_code == 400 and "match_value" in bad.json()["error"]["fields"]
    assert api_client.delete(f"/api/v1/rules/{rule_id}/").status_code == 204
    assert not Rule.objects.exists()


def test_import_upload_status_and_undo(api_client, household):
    upload = SimpleUploadedFile("chase.csv", (FIXTURES / "chase_checking.csv").read_bytes(), "text/csv")
    response = api_client.post("/api/v1/imports/", {"file": upload, "account_name": "Chase"}, format="multipart")

    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["imported"], body["error_count"], body["progress"]) == ("done", 5, 1, 100)
    assert FinancialAccount.objects.get(household=household).name == "Chase"
    assert api_client.get(f"/api/v1/imports/{body['id']}/").json()["imported"] == 5

    undone = api_client.post(f"/api/v1/imports/{body['id']}/undo/").json()
    assert (undone["removed"], undone["status"]) == (5, "undone")
    assert not Transaction.objects.exists()


def test_import_of_an_unreadable_file_is_a_400(api_client, account):
    upload = SimpleUploadedFile("x.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "text/csv")
    response = api_client.post("/api/v1/imports/", {"file": upload, "account": account.pk}, format="multipart")
    assert response.status_code == 400 and "PNG" in str(response.json())
    assert not ImportBatch.objects.exclude(status="draft").exists()


def test_import_with_options(api_client, account):
    upload = SimpleUploadedFile("x.csv", b"a,b,c\n2025-01-02,Shop,5.00\n", "text/csv")
    response = api_client.post(
        "/api/v1/imports/",
        {
            "file": upload,
            "account": account.pk,
            "options": '{"columns": {"date": 0, "description": 1, "amount": 2}, "header_row": 1, "sign": "inverted"}',
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert Transaction.objects.get().amount == Decimal("-5.00")
