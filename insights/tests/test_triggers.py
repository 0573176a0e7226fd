"""When the coach runs: after imports and syncs (hooks), every morning at the user's local hour (beat), on demand
(command), and for the demo."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Preferences
from accounts.tests.factories import UserFactory
from fincoach.hooks import transactions_changed
from insights import demo, schedules
from insights.facts.cache import household_version
from insights.models import Insight
from insights.services.generation import users_at_morning_hour
from ml.tests.factories import RecurringSeriesFactory

from .coach_factories import alert_candidate, coaching_candidate, txn

pytestmark = pytest.mark.django_db


def test_an_import_brings_event_insights_and_refreshes_the_figures(
    member, household, rules, django_capture_on_commit_callbacks
):
    rules(bill_reminder=[alert_candidate("bill:1")])
    before = household_version(household.pk)
    new = txn(household, date(2026, 3, 1), "-10.00", "ENTERTAINMENT")

    with django_capture_on_commit_callbacks(execute=True):
        transactions_changed(household.pk, [new.pk], "import")

    assert household_version(household.pk) != before
    insight = Insight.objects.get(user=member)
    assert insight.trigger == "event" and insight.dedupe_key == "bill:1"


def test_manual_edits_only_refresh_the_figures(member, household, rules, django_capture_on_commit_callbacks):
    rules(bills=[alert_candidate("bill:1")])
    before = household_version(household.pk)

    with django_capture_on_commit_callbacks(execute=True):
        transactions_changed(household.pk, [], "manual")

    assert household_version(household.pk) != before
    assert not Insight.objects.exists()


def test_event_runs_use_the_event_rules_only(member, household, monkeypatch):
    from types import SimpleNamespace

    from insights.services import generation

    seen = []
    fake = {name: SimpleNamespace(evaluate=lambda ctx, name=name: seen.append(name) or []) for name in generation.RULES}
    monkeypatch.setattr(generation, "RULES", fake)

    generation.insights_generate_for_household(household, trigger="event")

    assert "weekly_summary" not in seen and "savings_opportunity" not in seen
    assert {"low_balance", "anomaly", "budget_alert", "bill_reminder"} <= set(seen)


def test_morning_is_each_users_own_seven_oclock(settings):
    settings.INSIGHTS_MORNING_HOUR = 7
    tokyo = UserFactory()
    Preferences.objects.filter(user=tokyo).update(timezone="Asia/Tokyo")
    london = UserFactory()
    Preferences.objects.filter(user=london).update(timezone="Europe/London")
    utc = UserFactory()

    at_22_utc = datetime(2026, 1, 14, 22, 5, tzinfo=UTC)  # 07:05 in Tokyo
    at_7_utc = datetime(2026, 1, 15, 7, 5, tzinfo=UTC)  # 07:05 in London (winter) and UTC

    assert set(users_at_morning_hour(at_22_utc)) == {tokyo}
    assert set(users_at_morning_hour(at_7_utc)) == {london, utc}


def test_the_morning_task_generates_daily_insights(member, rules, monkeypatch):
    from insights import tasks
    from insights.services import generation

    monkeypatch.setattr(generation, "users_at_morning_hour", lambda: type(member).objects.filter(pk=member.pk))
    rules(pace=[coaching_candidate("pace")])

    assert tasks.generate_morning_insights() == 1
    assert Insight.objects.get(user=member).trigger == "daily"


def test_the_beat_schedule_runs_hourly():
    [spec] = schedules.PERIODIC_TASKS
    assert spec.task == "insights.generate_morning"
    assert spec.crontab == "5 * * * *"


def test_generate_insights_command_prints_a_json_summary(member, household, today):
    RecurringSeriesFactory(
        household=household,
        merchant="Rent",
        amount=-1450,
        next_amount=-1450,
        next_date=date.today() + timedelta(days=1),
        is_subscription=False,
    )
    out = StringIO()

    call_command("generate_insights", "--json", stdout=out)

    summary = json.loads(out.getvalue())
    assert summary["households"] >= 1 and summary["users"] >= 1
    assert summary["by_kind"] == {"bill_reminder": 1}
    assert summary["created"] == 1 and summary["failed_rules"] == []

    again = StringIO()
    call_command("generate_insights", "--json", "--household", str(household.pk), stdout=again)
    assert json.loads(again.getvalue())["created"] == 0  # no repeats


def test_generate_insights_command_reports_unknown_targets(db):
    with pytest.raises(CommandError, match="no user with the e-mail address"):
        call_command("generate_insights", "--user", "nobody@example.com")
    with pytest.raises(CommandError, match="no household with id"):
        call_command("generate_insights", "--household", "999999")


def test_demo_seeding_is_idempotent(member, household, rules):
    from fincoach.demo import DemoContext

    rules(bills=[alert_candidate("bill:1")], pace=[coaching_candidate("pace")])
    context = DemoContext(household=household, user=member, months=3, index=0, seed=1)

    assert demo.DEMO_ORDER == 50
    assert demo.seed_demo(context) == {"insights": 2}
    assert demo.seed_demo(context) == {"insights": 0}


def test_new_ml_results_refresh_the_figures_and_bring_event_insights(member, household, rules):
    from insights.hooks import on_ml_results_changed

    rules(anomaly=[alert_candidate("anomaly:7")])
    before = household_version(household.pk)

    on_ml_results_changed(household)

    assert household_version(household.pk) != before
    assert Insight.objects.get(user=member).dedupe_key == "anomaly:7"


def test_every_event_rule_is_a_rule():
    from insights.rules import EVENT_RULES, RULES

    assert set(EVENT_RULES) <= set(RULES)
    assert all(callable(getattr(module, "evaluate", None)) for module in RULES.values())
