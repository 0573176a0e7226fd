"""The Connections page (HTMX) and its actions."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from transactions.models import FinancialAccount, PlaidItem, Transaction
from transactions.plaid.services import plaid_item_connect

from .factories import PlaidItemFactory
from .fake_plaid import plaid_account, plaid_transaction

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
LINK_SCRIPT = "https://cdn.plaid.com/link/v2/stable/link-initialize.js"


class TestConnectionsPage:
    def test_without_plaid_it_explains_how_to_configure_it(self, member_client, plaid_unconfigured):
        response = member_client.get(reverse("plaid:connections"))

        html = response.content.decode()
        assert response.status_code == 200
        for setting in ("PLAID_CLIENT_ID", "PLAID_SECRET", "PLAID_ENV", "PLAID_WEBHOOK_URL"):
            assert setting in html
        assert "import CSV, OFX or QIF files" in html
        assert LINK_SCRIPT not in html
        assert "data-plaid-connect" not in html

    def test_with_plaid_it_loads_link_and_lists_each_bank(self, member_client, linked):
        linked.fake.add(plaid_transaction(linked.fake.account_id()))
        PlaidItem.objects.filter(pk=linked.item.pk).update(
            last_synced_at=timezone.now(),
            status=PlaidItem.Status.LOGIN_REQUIRED,
            error_message="Your bank needs you to sign in again.",
        )

        response = member_client.get(reverse("plaid:connections"))

        html = response.content.decode()
        assert html.count(LINK_SCRIPT) == 1
        assert "data-plaid-connect" in html
        assert "First Platypus Bank" in html
        assert 'data-status="login_required"' in html
        assert "Needs re-authentication" in html
        assert "Your bank needs you to sign in again." in html
        assert "Plaid Checking" in html and "••0000" in html
        assert "USD 1,000.00" in html
        assert "Fix connection" in html
        assert "HX-Request" in response["Vary"]

    def test_query_count_does_not_grow_with_banks(self, member_client, household, django_assert_max_num_queries):
        for _ in range(6):
            item = PlaidItemFactory(household=household)
            for n in range(3):
                FinancialAccount.objects.create(household=household, name=f"{item.pk}-{n}", plaid_item=item)

        with django_assert_max_num_queries(12):
            response = member_client.get(reverse("plaid:connections"), **HTMX)

        assert response.content.decode().count('class="card mb-3 connection"') == 6

    def test_htmx_gets_the_list_only(self, member_client, linked):
        response = member_client.get(reverse("plaid:connections"), **HTMX)

        assert "<html" not in response.content.decode()
        assert f'id="connection-{linked.item.pk}"' in response.content.decode()

    def test_another_households_bank_is_not_listed(self, client, other_member, linked):
        client.force_login(other_member)

        response = client.get(reverse("plaid:connections"))

        assert "First Platypus Bank" not in response.content.decode()


class TestLinking:
    def test_link_token(self, member_client, fake_plaid):
        response = member_client.post(reverse("plaid:link_token"))

        assert response.status_code == 200
        assert response.json()["link_token"].startswith("link-sandbox-")

    def test_link_token_without_plaid(self, member_client, plaid_unconfigured):
        response = member_client.post(reverse("plaid:link_token"))

        assert response.status_code == 503

    def test_exchange_links_the_bank_and_shows_it(self, member_client, fake_plaid, household):
        fake_item = fake_plaid.add_item([plaid_account("Everyday Checking", mask="1111")])

        response = member_client.post(reverse("plaid:exchange"), {"public_token": fake_item.public_token}, **HTMX)

        html = response.content.decode()
        assert response.status_code == 200
        assert "First Platypus Bank is connected." in html
        assert "Everyday Checking" in html
        assert fake_item.access_token not in html
        assert PlaidItem.objects.for_household(household).count() == 1

    def test_a_failed_exchange_says_why(self, member_client, fake_plaid):
        response = member_client.post(reverse("plaid:exchange"), {"public_token": "public-sandbox-expired"}, **HTMX)

        assert response.status_code == 502
        assert "The bank could not be connected" in response.content.decode()
        assert not PlaidItem.objects.exists()

    def test_an_empty_exchange_is_a_bad_request(self, member_client, fake_plaid):
        response = member_client.post(reverse("plaid:exchange"), {}, **HTMX)

        assert response.status_code == 400


class TestItemActions:
    def test_sync_now_syncs_and_returns_the_fresh_card(self, member_client, linked, django_capture_on_commit_callbacks):
        linked.fake.add(plaid_transaction(linked.fake.account_id()))

        with django_capture_on_commit_callbacks(execute=True):
            response = member_client.post(reverse("plaid:item_sync", args=[linked.item.pk]), **HTMX)

        assert response.status_code == 200
        assert f'id="connection-{linked.item.pk}"' in response.content.decode()
        assert "not yet" not in response.content.decode()  # the card shows the sync that just ran
        assert Transaction.objects.count() == 1

    def test_fix_returns_an_update_mode_token(self, member_client, linked, fake_plaid):
        response = member_client.post(reverse("plaid:item_fix", args=[linked.item.pk]))

        assert response.json()["link_token"].startswith("link-sandbox-")
        assert fake_plaid.calls("/link/token/create")[-1]["access_token"] == linked.fake.access_token

    def test_repaired_reactivates(self, member_client, linked, django_capture_on_commit_callbacks):
        PlaidItem.objects.filter(pk=linked.item.pk).update(status=PlaidItem.Status.LOGIN_REQUIRED)

        with django_capture_on_commit_callbacks(execute=True):
            response = member_client.post(reverse("plaid:item_repaired", args=[linked.item.pk]), **HTMX)

        assert 'data-status="active"' in response.content.decode()
        assert PlaidItem.objects.get(pk=linked.item.pk).status == PlaidItem.Status.ACTIVE

    def test_disconnect_asks_then_keeps_history(self, member_client, linked, household):
        url = reverse("plaid:item_disconnect", args=[linked.item.pk])

        form = member_client.get(url)
        response = member_client.post(url, {"history": "keep"})

        assert "Keep its accounts and transactions" in form.content.decode()
        assert response.status_code == 302
        assert not PlaidItem.objects.exists()
        assert FinancialAccount.objects.for_household(household).count() == 1
        assert linked.fake.removed_at_plaid

    def test_disconnect_can_delete_history(self, member_client, linked, household):
        response = member_client.post(
            reverse("plaid:item_disconnect", args=[linked.item.pk]), {"history": "delete"}, **HTMX
        )

        assert "Its accounts and transactions were deleted." in response.content.decode()
        assert not FinancialAccount.objects.for_household(household).exists()

    def test_disconnect_needs_a_choice(self, member_client, linked):
        response = member_client.post(reverse("plaid:item_disconnect", args=[linked.item.pk]), {})

        assert response.status_code == 400
        assert PlaidItem.objects.filter(pk=linked.item.pk).exists()

    @pytest.mark.parametrize("name", ["item_sync", "item_fix", "item_repaired", "item_disconnect"])
    def test_another_households_bank_is_a_404(self, client, other_member, linked, name):
        client.force_login(other_member)

        assert client.post(reverse(f"plaid:{name}", args=[linked.item.pk]), {"history": "delete"}).status_code == 404
        assert PlaidItem.objects.filter(pk=linked.item.pk, status="active").exists()

    def test_pages_need_a_login(self, client):
        response = client.get(reverse("plaid:connections"))

        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_linking_twice_from_the_page_reports_no_duplicates(member_client, fake_plaid, member):
    first = fake_plaid.add_item()
    plaid_item_connect(member, first.public_token)

    response = member_client.post(
        reverse("plaid:exchange"), {"public_token": fake_plaid.relink(first).public_token}, **HTMX
    )

    assert "It was already linked, so nothing is duplicated." in response.content.decode()
    assert FinancialAccount.objects.count() == 1
