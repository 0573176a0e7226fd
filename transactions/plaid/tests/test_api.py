"""/api/v1/plaid/items/: list, connect, sync, Link tokens, disconnect."""

from __future__ import annotations

import pytest

from transactions.models import FinancialAccount, PlaidItem, Transaction

from .fake_plaid import plaid_transaction

pytestmark = pytest.mark.django_db

ITEMS = "/api/v1/plaid/items/"


def test_lists_the_households_banks_with_their_accounts(api_client, linked):
    response = api_client.get(ITEMS)

    assert response.status_code == 200
    (item,) = response.json()["results"]
    assert (item["id"], item["institution"], item["status"]) == (linked.item.pk, "First Platypus Bank", "active")
    assert [(a["name"], a["mask"], a["kind"], a["reported_balance"]) for a in item["accounts"]] == [
        ("Plaid Checking", "0000", "checking", "1000.00")
    ]
    assert "access_token" not in item
    assert linked.fake.access_token not in response.content.decode()


def test_another_households_bank_is_invisible(api_client, other_member, fake_plaid):
    from transactions.plaid.services import plaid_item_connect

    theirs = plaid_item_connect(other_member, fake_plaid.add_item().public_token).item

    assert api_client.get(ITEMS).json()["results"] == []
    assert api_client.get(f"{ITEMS}{theirs.pk}/").status_code == 404
    assert api_client.post(f"{ITEMS}{theirs.pk}/sync/").status_code == 404
    assert api_client.delete(f"{ITEMS}{theirs.pk}/").status_code == 404


def test_connect_with_a_public_token(api_client, fake_plaid, household):
    fake_item = fake_plaid.add_item()

    response = api_client.post(ITEMS, {"public_token": fake_item.public_token}, format="json")

    assert response.status_code == 201
    assert response.json()["institution"] == "First Platypus Bank"
    assert PlaidItem.objects.for_household(household).get().plaid_item_id == fake_item.item_id
    assert fake_item.access_token not in response.content.decode()


def test_a_refused_public_token_is_a_clear_502(api_client, fake_plaid):
    response = api_client.post(ITEMS, {"public_token": "public-sandbox-unknown"}, format="json")

    assert response.status_code == 502
    assert response.json()["error"] == {
        "code": "plaid_error",
        "message": "provided public token is expired (INVALID_PUBLIC_TOKEN)",
        "status": 502,
    }


def test_sync_now(api_client, linked, django_capture_on_commit_callbacks):
    linked.fake.add(plaid_transaction(linked.fake.account_id()))

    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(f"{ITEMS}{linked.item.pk}/sync/")

    assert (response.status_code, response.json()) == (202, {"queued": True})
    assert Transaction.objects.count() == 1


def test_link_tokens(api_client, linked, fake_plaid):
    new = api_client.post(f"{ITEMS}link-token/")
    update = api_client.post(f"{ITEMS}{linked.item.pk}/link-token/")

    assert new.json()["link_token"].startswith("link-sandbox-")
    assert update.json()["link_token"].startswith("link-sandbox-")
    assert fake_plaid.calls("/link/token/create")[1]["access_token"] == linked.fake.access_token


def test_without_plaid_link_tokens_are_unavailable(api_client, plaid_unconfigured):
    response = api_client.post(f"{ITEMS}link-token/")

    assert (response.status_code, response.json()["error"]["code"]) == (503, "plaid_not_configured")


def test_disconnect_deleting_history(api_client, linked, household):
    response = api_client.delete(f"{ITEMS}{linked.item.pk}/?keep_history=false")

    assert response.status_code == 204
    assert not PlaidItem.objects.exists()
    assert not FinancialAccount.objects.for_household(household).exists()
