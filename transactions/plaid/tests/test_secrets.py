"""Access tokens never leave the database unencrypted: not in logs, the admin, the API or error messages."""

from __future__ import annotations

import json
import logging

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.views.debug import ExceptionReporter
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.tests.factories import UserFactory
from transactions.models import PlaidItem
from transactions.plaid.models import PlaidSyncRun
from transactions.plaid.services import linking, plaid_item_connect, plaid_item_sync

from .fake_plaid import plaid_transaction

pytestmark = pytest.mark.django_db


def test_not_in_logs_even_at_debug_level(caplog, fake_plaid, member):
    caplog.set_level(logging.DEBUG)
    fake_item = fake_plaid.add_item()
    fake_item.add(plaid_transaction(fake_item.account_id()))

    item = plaid_item_connect(member, fake_item.public_token).item
    plaid_item_sync(item.pk)
    fake_plaid.fail_next("/transactions/sync", "INTERNAL_SERVER_ERROR", status=500, error_type="API_ERROR")
    plaid_item_sync(item.pk)

    assert not logging.getLogger("plaid.rest").isEnabledFor(logging.DEBUG)  # it would log response bodies
    assert "retrying" in caplog.text  # the run was logged…
    assert fake_item.access_token not in caplog.text  # …without the token
    assert fake_item.public_token not in caplog.text


def test_not_in_error_messages_even_when_plaid_echoes_it(linked, fake_plaid, caplog):
    token = linked.fake.access_token
    fake_plaid.fail_next(
        "/transactions/sync", "INVALID_ACCESS_TOKEN", error_type="INVALID_INPUT", message=f"bad {token}"
    )

    result = plaid_item_sync(linked.item.pk)

    item = PlaidItem.objects.get(pk=linked.item.pk)
    run = PlaidSyncRun.objects.get(pk=result.run_id)
    texts = [result.error_message, item.error_message, run.error_message, caplog.text, json.dumps(result.as_dict())]
    assert all(token not in text for text in texts)
    assert "access-sandbox-[redacted]" in run.error_message


@pytest.fixture
def admin_client_with_otp(client):
    """A superuser whose session passed two-factor authentication (the admin requires it)."""
    staff = UserFactory(is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    client.force_login(staff)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def test_not_in_the_admin(admin_client_with_otp, linked):
    client = admin_client_with_otp

    pages = [
        client.get(reverse("admin:transactions_plaiditem_changelist")),
        client.get(reverse("admin:transactions_plaiditem_change", args=[linked.item.pk])),
    ]

    for page in pages:
        assert page.status_code == 200
        html = page.content.decode()
        assert "First Platypus Bank" in html
        assert linked.fake.access_token not in html
        assert "access_token" not in html


def test_not_in_error_reports(settings, fake_plaid, member, monkeypatch):
    """Django's error reports (500 e-mails, logs) hide the token variables of the linking code."""
    settings.DEBUG = False
    fake_item = fake_plaid.add_item()

    def crash(*args, **kwargs):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(linking, "link_item_accounts", crash)
    with pytest.raises(RuntimeError) as failure:
        plaid_item_connect(member, fake_item.public_token)
    report = ExceptionReporter(None, failure.type, failure.value, failure.tb).get_traceback_data()

    frame = next(f for f in report["frames"] if f["function"] == "plaid_item_connect")
    shown = dict(frame["vars"])
    assert {"access_token", "public_token", "exchange", "household"} <= set(shown)
    assert fake_item.access_token not in str(shown)
    assert fake_item.public_token not in str(shown)


class TestKeyRotation:
    def test_rotation_re_encrypts_with_the_newest_key(self, settings, linked):
        old_keys = list(settings.FIELD_ENCRYPTION_KEYS)
        new_key = Fernet.generate_key().decode()
        settings.FIELD_ENCRYPTION_KEYS = [new_key, *old_keys]

        out = _call("rotate_encryption_keys", "--json")

        assert json.loads(out)["rotated"]["transactions.PlaidItem.access_token"] == 1
        settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key is gone…
        assert PlaidItem.objects.get(pk=linked.item.pk).access_token == linked.fake.access_token  # …and not needed

    def test_a_secret_no_key_can_read_stops_with_a_clear_error(self, settings, linked):
        settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]  # the key it was written with is lost

        with pytest.raises(CommandError, match=r"transactions.PlaidItem \d+: cannot be decrypted with any key"):
            _call("rotate_encryption_keys")


def _call(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()
