"""The webhook endpoint: Plaid-Verification (ES256 JWT) checks, then what each webhook does."""

from __future__ import annotations

import hashlib
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from django.urls import reverse

from insights.models import Notification
from transactions.models import PlaidItem, Transaction
from transactions.plaid.models import PlaidWebhookEvent, PlaidWebhookKey
from transactions.plaid.services import plaid_webhook_process

from .fake_plaid import plaid_transaction

pytestmark = pytest.mark.django_db

KEY_GET = "/webhook_verification_key/get"


@pytest.fixture
def post_webhook(client, django_capture_on_commit_callbacks):
    """POST a body with a Plaid-Verification header, running what it queues (tasks are eager in tests)."""

    def post(body: bytes, token: str | None):
        headers = {"HTTP_PLAID_VERIFICATION": token} if token is not None else {}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("plaid:webhook"), data=body, content_type="application/json", **headers)

    return post


def _item(linked) -> PlaidItem:
    return PlaidItem.objects.get(pk=linked.item.pk)


class TestVerification:
    def test_a_valid_signature_is_accepted_and_the_sync_runs(self, linked, fake_plaid, post_webhook):
        linked.fake.add(plaid_transaction(linked.fake.account_id()))
        body = fake_plaid.webhook(linked.fake, "TRANSACTIONS", "SYNC_UPDATES_AVAILABLE", initial_update_complete=True)

        response = post_webhook(body, fake_plaid.sign(body))

        assert response.status_code == 200
        event = PlaidWebhookEvent.objects.get()
        assert (event.webhook_code, event.item_id, event.status, event.outcome) == (
            "SYNC_UPDATES_AVAILABLE",
            linked.item.pk,
            "processed",
            "sync queued",
        )
        assert Transaction.objects.count() == 1
        assert PlaidWebhookKey.objects.get().kid == fake_plaid.current_kid

    def test_the_key_is_fetched_once_then_cached(self, linked, fake_plaid, post_webhook):
        for _ in range(3):
            body = fake_plaid.webhook(linked.fake, "ITEM", "WEBHOOK_UPDATE_ACKNOWLEDGED")
            assert post_webhook(body, fake_plaid.sign(body)).status_code == 200

        assert len(fake_plaid.calls(KEY_GET)) == 1

    def _assert_rejected(self, response, linked, fake_plaid):
        assert response.status_code == 401
        assert response.json() == {"error": "webhook could not be verified"}
        assert not PlaidWebhookEvent.objects.exists()
        assert fake_plaid.calls("/transactions/sync") == []
        assert _item(linked).status == PlaidItem.Status.ACTIVE

    def test_a_forged_signature_is_refused(self, linked, fake_plaid, post_webhook):
        body = fake_plaid.webhook(linked.fake, "ITEM", "ERROR", error={"error_code": "ITEM_LOGIN_REQUIRED"})
        forged = fake_plaid.sign(body, key=ec.generate_private_key(ec.SECP256R1()))  # right kid, wrong key

        self._assert_rejected(post_webhook(body, forged), linked, fake_plaid)

    def test_a_stale_webhook_is_refused(self, linked, fake_plaid, post_webhook):
        body = fake_plaid.webhook(linked.fake, "TRANSACTIONS", "SYNC_UPDATES_AVAILABLE")

        self._assert_rejected(post_webhook(body, fake_plaid.sign(body, iat=time.time() - 6 * 60)), linked, fake_plaid)

    def test_a_body_that_does_not_match_the_signed_hash_is_refused(self, linked, fake_plaid, post_webhook):
        signed = fake_plaid.webhook(linked.fake, "TRANSACTIONS", "SYNC_UPDATES_AVAILABLE")
        tampered = fake_plaid.webhook(linked.fake, "ITEM", "USER_PERMISSION_REVOKED")

        self._assert_rejected(post_webhook(tampered, fake_plaid.sign(signed)), linked, fake_plaid)

    def test_a_missing_header_is_refused(self, linked, fake_plaid, post_webhook):
        body = fake_plaid.webhook(linked.fake, "TRANSACTIONS", "SYNC_UPDATES_AVAILABLE")

        self._assert_rejected(post_webhook(body, None), linked, fake_plaid)

    def test_another_algorithm_is_refused(self, linked, fake_plaid, post_webhook):
        body = fake_plaid.webhook(linked.fake, "TRANSACTIONS", "SYNC_UPDATES_AVAILABLE")
        claims = {"iat": int(time.time()), "request_body_sha256": hashlib.sha256(body).hexdigest()}
        hmac_token = jwt.encode(
            claims, "a-secret-anyone-could-have-chosen", algorithm="HS256", headers={"kid": fake_plaid.current_kid}
        )

        self._assert_rejected(post_webhook(body, hmac_token), linked, fake_plaid)

    def test_an_unknown_key_is_refused_and_remembered(self, linked, fake_plaid, post_webhook):
        body = fake_plaid.webhook(linked.fake, "TRANSACTIONS", "SYNC_UPDATES_AVAILABLE")
        signed = fake_plaid.sign(body, kid="notakey", key=ec.generate_private_key(ec.SECP256R1()))

        self._assert_rejected(post_webhook(body, signed), linked, fake_plaid)
        self._assert_rejected(post_webhook(body, signed), linked, fake_plaid)
        assert len(fake_plaid.calls(KEY_GET)) == 1

    def test_an_expired_key_is_refused(self, linked, fake_plaid, post_webhook):
        kid = fake_plaid.new_signing_key(expired=True)
        body = fake_plaid.webhook(linked.fake, "TRANSACTIONS", "SYNC_UPDATES_AVAILABLE")

        self._assert_rejected(post_webhook(body, fake_plaid.sign(body, kid=kid)), linked, fake_plaid)

    def test_a_verified_body_that_is_not_json_is_a_bad_request(self, fake_plaid, post_webhook):
        body = b"not json"

        response = post_webhook(body, fake_plaid.sign(body))

        assert response.status_code == 400
        assert not PlaidWebhookEvent.objects.exists()


class TestItemWebhooks:
    @pytest.fixture
    def deliver(self, linked, fake_plaid, post_webhook):
        def deliver(webhook_type: str, webhook_code: str, **fields):
            body = fake_plaid.webhook(linked.fake, webhook_type, webhook_code, **fields)
            response = post_webhook(body, fake_plaid.sign(body))
            assert response.status_code == 200
            return PlaidWebhookEvent.objects.get(pk=response.json()["received"])

        return deliver

    def test_error_login_required(self, linked, member, deliver):
        error = {"error_type": "ITEM_ERROR", "error_code": "ITEM_LOGIN_REQUIRED", "error_message": "login changed"}

        event = deliver("ITEM", "ERROR", error=error)

        item = _item(linked)
        assert (event.status, item.status, item.error_code) == ("processed", "login_required", "ITEM_LOGIN_REQUIRED")
        assert Notification.objects.filter(user=member, title="First Platypus Bank needs you to sign in again").exists()

    def test_login_repaired_reactivates_notifies_and_syncs(self, linked, member, deliver):
        PlaidItem.objects.filter(pk=linked.item.pk).update(
            status=PlaidItem.Status.LOGIN_REQUIRED, error_code="ITEM_LOGIN_REQUIRED"
        )
        linked.fake.add(plaid_transaction(linked.fake.account_id()))

        deliver("ITEM", "LOGIN_REPAIRED")

        assert (_item(linked).status, _item(linked).error_code) == ("active", "")
        assert Notification.objects.filter(user=member, title="First Platypus Bank is connected again").exists()
        assert Transaction.objects.count() == 1

    def test_pending_expiration_records_when(self, linked, member, deliver):
        deliver("ITEM", "PENDING_EXPIRATION", consent_expiration_time="2026-12-01T00:00:00Z")

        item = _item(linked)
        assert item.status == "pending_expiration"
        assert item.consent_expires_at.isoformat() == "2026-12-01T00:00:00+00:00"
        assert Notification.objects.filter(user=member, title="First Platypus Bank access expires soon").exists()

    def test_pending_disconnect(self, linked, member, deliver):
        deliver("ITEM", "PENDING_DISCONNECT", reason="INSTITUTION_MIGRATION")

        assert _item(linked).status == "pending_disconnect"
        assert Notification.objects.filter(user=member, title="First Platypus Bank will disconnect soon").exists()

    def test_user_permission_revoked(self, linked, member, deliver):
        deliver("ITEM", "USER_PERMISSION_REVOKED", error={"error_code": "USER_PERMISSION_REVOKED"})

        assert _item(linked).status == "revoked"
        assert Notification.objects.filter(user=member, title="First Platypus Bank access was revoked").exists()

    def test_new_accounts_available(self, linked, member, deliver):
        deliver("ITEM", "NEW_ACCOUNTS_AVAILABLE")
        deliver("ITEM", "NEW_ACCOUNTS_AVAILABLE")

        assert _item(linked).new_accounts_available
        assert Notification.objects.filter(user=member, kind="plaid_connection").count() == 1

    def test_an_unknown_item_is_acknowledged_and_ignored(self, fake_plaid, post_webhook):
        body = fake_plaid.webhook(None, "TRANSACTIONS", "SYNC_UPDATES_AVAILABLE")

        response = post_webhook(body, fake_plaid.sign(body))

        assert response.status_code == 200
        event = PlaidWebhookEvent.objects.get()
        assert (event.status, event.outcome) == ("ignored", "unknown item")

    def test_processing_is_idempotent(self, linked, member, deliver):
        event = deliver("ITEM", "ERROR", error={"error_code": "ITEM_LOGIN_REQUIRED"})

        assert plaid_webhook_process(event.pk) == "processed"
        assert Notification.objects.filter(user=member, kind="plaid_connection").count() == 1
