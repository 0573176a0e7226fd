"""`sync_plaid`, `plaid_connect`, the Celery tasks, the beat schedule and record retention."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from fincoach.celery import app as celery_app
from fincoach.management.commands.setup_periodic_tasks import collect_specs
from transactions.models import PlaidItem, Transaction
from transactions.plaid import tasks
from transactions.plaid.models import PlaidSyncPage, PlaidSyncRun, PlaidWebhookEvent
from transactions.plaid.services import plaid_records_purge

from .factories import PlaidSyncPageFactory, PlaidSyncRunFactory, PlaidWebhookEventFactory
from .fake_plaid import plaid_transaction

pytestmark = pytest.mark.django_db


def _call(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


class TestSyncPlaid:
    def test_one_item_as_json(self, linked):
        linked.fake.add(*(plaid_transaction(linked.fake.account_id()) for _ in range(2)))

        summary = json.loads(_call("sync_plaid", "--item", str(linked.item.pk), "--json"))

        assert (summary["added"], summary["failed"]) == (2, 0)
        assert summary["items"][0]["item_id"] == linked.item.pk
        assert summary["items"][0]["status"] == "succeeded"
        assert PlaidSyncRun.objects.get().trigger == PlaidSyncRun.Trigger.COMMAND

    def test_all_syncable_items(self, linked, fake_plaid, member):
        from transactions.plaid.services import plaid_item_connect

        other = plaid_item_connect(member, fake_plaid.add_item().public_token).item
        PlaidItem.objects.filter(pk=other.pk).update(status=PlaidItem.Status.LOGIN_REQUIRED)

        out = _call("sync_plaid", "--all")

        assert f"item {linked.item.pk}: succeeded" in out
        assert f"item {other.pk}" not in out  # waits for its person to fix it
        assert "1 item(s) synced, 0 failed." in out

    def test_a_failure_is_reported_and_exits_non_zero(self, linked, fake_plaid):
        fake_plaid.fail_next("/transactions/sync", "ITEM_LOGIN_REQUIRED")

        with pytest.raises(CommandError, match="1 of 1 item"):
            _call("sync_plaid", "--item", str(linked.item.pk))

    def test_an_unknown_item(self, fake_plaid):
        with pytest.raises(CommandError, match="no Plaid item with id 999"):
            _call("sync_plaid", "--item", "999")

    def test_item_or_all_is_required(self):
        with pytest.raises(CommandError, match="one of the arguments --item --all is required"):
            _call("sync_plaid")


class TestPlaidConnect:
    def test_links_the_bank(self, fake_plaid, member, household):
        fake_item = fake_plaid.add_item()

        summary = json.loads(
            _call("plaid_connect", "--user", member.email.upper(), "--public-token", fake_item.public_token, "--json")
        )

        assert summary["institution"] == "First Platypus Bank"
        assert (summary["accounts_created"], summary["accounts_adopted"]) == (1, 0)
        assert PlaidItem.objects.for_household(household).get().pk == summary["item"]

    def test_errors_are_clear(self, fake_plaid, member):
        with pytest.raises(CommandError, match=r"no user with e-mail nobody@example\.com"):
            _call("plaid_connect", "--user", "nobody@example.com", "--public-token", "x")
        with pytest.raises(CommandError, match="linking failed: Plaid INVALID_PUBLIC_TOKEN"):
            _call("plaid_connect", "--user", member.email, "--public-token", "public-sandbox-nope")

    def test_without_plaid(self, plaid_unconfigured, member):
        with pytest.raises(CommandError, match="Plaid is not configured"):
            _call("plaid_connect", "--user", member.email, "--public-token", "x")


class TestTasksAndSchedule:
    def test_tasks_are_registered_under_their_names(self):
        for name in ("plaid.sync_item", "plaid.sync_all", "plaid.process_webhook", "plaid.purge_records"):
            assert name in celery_app.tasks

    def test_the_beat_syncs_every_four_hours(self):
        specs = {spec.task: spec for spec in collect_specs()}

        assert specs["plaid.sync_all"].crontab == "0 */4 * * *"
        assert "plaid.purge_records" in specs

    def test_sync_all_syncs_every_syncable_item(self, linked):
        linked.fake.add(plaid_transaction(linked.fake.account_id()))

        assert tasks.sync_all.delay().get() == 1
        assert Transaction.objects.count() == 1
        assert PlaidSyncRun.objects.get().trigger == PlaidSyncRun.Trigger.SCHEDULE

    def test_sync_item_returns_a_json_summary(self, linked):
        summary = tasks.sync_item.delay(linked.item.pk).get()

        assert json.loads(json.dumps(summary))["status"] == "succeeded"


def test_old_records_are_purged(settings):
    settings.PLAID_SYNC_PAGE_RETENTION_DAYS = 7
    settings.PLAID_HISTORY_RETENTION_DAYS = 90
    now = timezone.now()
    recent_run = PlaidSyncRunFactory()
    old_page = PlaidSyncPageFactory(run=recent_run, received_at=now - dt.timedelta(days=8))
    recent_page = PlaidSyncPageFactory(run=recent_run, received_at=now - dt.timedelta(days=6))
    ancient_run = PlaidSyncRunFactory(started_at=now - dt.timedelta(days=91))
    PlaidSyncPageFactory(run=ancient_run, received_at=now - dt.timedelta(days=1))
    PlaidWebhookEventFactory(received_at=now - dt.timedelta(days=91))
    kept_event = PlaidWebhookEventFactory()

    assert plaid_records_purge() == {"pages": 2, "runs": 1, "webhook_events": 1}
    assert list(PlaidSyncPage.objects.all()) == [recent_page]
    assert list(PlaidSyncRun.objects.all()) == [recent_run]
    assert list(PlaidWebhookEvent.objects.all()) == [kept_event]
    assert not PlaidSyncPage.objects.filter(pk=old_page.pk).exists()
