"""The generation machinery: repeats, caps, frequency, tone, ranking with feedback, delivery.

These run on the real "today": the caps count real creation times."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from accounts.models import Preferences
from insights.models import Insight, Notification
from insights.services import generation, insight_set_helpful, insights_generate_for_user

from .coach_factories import InsightFactory
from .coach_factories import alert_candidate as alert
from .coach_factories import coaching_candidate as coaching

pytestmark = pytest.mark.django_db


def test_insights_are_stored_and_delivered_through_the_bell(member, rules):
    rules(pace=[coaching("pace:1")])

    result = insights_generate_for_user(member)

    [insight] = result.created
    assert insight.title == "Coaching pace:1"
    assert insight.user == member and insight.delivered
    notification = Notification.objects.get(user=member)
    assert insight.notification == notification
    assert notification.kind == "insight"
    assert notification.link == f"/insights/{insight.pk}/open/"
    assert notification.body == insight.message


def test_the_same_insight_is_not_repeated_inside_its_window(member, rules):
    rules(pace=[coaching("pace:weekly", window=timedelta(days=7)), coaching("once")])
    insights_generate_for_user(member)

    again = insights_generate_for_user(member)
    assert again.created == [] and again.repeats == 2

    Insight.objects.filter(dedupe_key="pace:weekly").update(created_at=timezone.now() - timedelta(days=8))
    Insight.objects.filter(dedupe_key="once").update(created_at=timezone.now() - timedelta(days=300))
    later = insights_generate_for_user(member)
    assert [i.dedupe_key for i in later.created] == ["pace:weekly"]  # no window: never again


def test_daily_cap_limits_coaching_but_not_alerts(member, rules, settings):
    settings.INSIGHTS_DAILY_COACHING_CAP = 2
    rules(
        pace=[coaching("a", priority=10), coaching("b", priority=30), coaching("c", priority=20)],
        bills=[alert("bill:1"), alert("bill:2"), alert("bill:3")],
    )

    result = insights_generate_for_user(member)

    keys = {i.dedupe_key for i in result.created}
    assert keys == {"b", "c", "bill:1", "bill:2", "bill:3"}  # the two best coaching ones, every alert
    assert result.over_cap == 1

    rules(pace=[coaching("d", priority=40)], bills=[alert("bill:4")])
    second = insights_generate_for_user(member)
    assert [i.dedupe_key for i in second.created] == ["bill:4"]  # the cap is per day, not per run


def test_records_without_a_notification_do_not_use_the_cap(member, rules, settings):
    settings.INSIGHTS_DAILY_COACHING_CAP = 1
    rules(goals=[coaching("celebration", sentiment="positive", deliver=False)], pace=[coaching("pace")])

    result = insights_generate_for_user(member)

    assert {i.dedupe_key for i in result.created} == {"celebration", "pace"}
    assert Notification.objects.filter(user=member).count() == 1
    assert Insight.objects.get(dedupe_key="celebration").notification is None


def test_alerts_only_frequency_gets_no_coaching(member, rules):
    Preferences.objects.filter(user=member).update(insight_frequency=Preferences.Frequency.ALERTS_ONLY)
    member.refresh_from_db()
    rules(pace=[coaching("pace")], bills=[alert("bill")])

    result = insights_generate_for_user(member)

    assert [i.dedupe_key for i in result.created] == ["bill"]


def test_weekly_frequency_spreads_the_cap_over_seven_days(member, rules, settings):
    settings.INSIGHTS_DAILY_COACHING_CAP = 2
    Preferences.objects.filter(user=member).update(insight_frequency=Preferences.Frequency.WEEKLY)
    member.refresh_from_db()
    InsightFactory(user=member, is_alert=False, created_at=timezone.now() - timedelta(days=3))
    rules(pace=[coaching("x"), coaching("y")])

    result = insights_generate_for_user(member)

    assert len(result.created) == 1


@pytest.mark.parametrize(
    ("tone", "sentiment", "expected"),
    [
        ("gentle", "warning", "A gentle heads-up: You spent $120.00 on t. Small steps add up."),
        ("direct", "warning", "You spent $120.00 on t."),
        ("cheerful", "positive", "Woohoo! You spent $120.00 on t. Keep it up! 🎉"),
    ],
)
def test_wording_follows_the_coaching_tone(member, rules, tone, sentiment, expected):
    Preferences.objects.filter(user=member).update(coaching_tone=tone)
    member.refresh_from_db()
    rules(pace=[coaching("t", sentiment=sentiment)])

    [insight] = insights_generate_for_user(member).created

    assert insight.message == expected


def test_not_helpful_feedback_demotes_a_kind_below_another(member, rules, settings):
    settings.INSIGHTS_DAILY_COACHING_CAP = 1
    pace = [coaching("pace:new", kind="spending_pace", priority=20, relevance=0.6)]
    summary = [coaching("summary:new", kind="weekly_summary", priority=20, relevance=0.4)]
    rules(pace=pace, summary=summary)
    assert [i.kind for i in insights_generate_for_user(member).created] == ["spending_pace"]

    Insight.objects.filter(user=member).delete()
    for _ in range(2):
        insight_set_helpful(member, InsightFactory(user=member, kind="spending_pace"), helpful=False)
    Insight.objects.filter(user=member).update(created_at=timezone.now() - timedelta(days=2))

    [chosen] = insights_generate_for_user(member).created
    assert chosen.kind == "weekly_summary"


def test_helpful_feedback_promotes_a_kind(member, rules, settings):
    settings.INSIGHTS_DAILY_COACHING_CAP = 1
    insight_set_helpful(member, InsightFactory(user=member, kind="weekly_summary"), helpful=True)
    Insight.objects.filter(user=member).update(created_at=timezone.now() - timedelta(days=2))
    rules(
        pace=[coaching("pace:new", kind="spending_pace", priority=20, relevance=0.6)],
        summary=[coaching("summary:new", kind="weekly_summary", priority=20, relevance=0.4)],
    )

    [chosen] = insights_generate_for_user(member).created

    assert chosen.kind == "weekly_summary"


def test_a_failing_rule_does_not_stop_the_others(member, monkeypatch):
    def broken(ctx):
        raise RuntimeError("boom")

    monkeypatch.setattr(
        generation,
        "RULES",
        {"broken": SimpleNamespace(evaluate=broken), "fine": SimpleNamespace(evaluate=lambda ctx: [alert("ok")])},
    )

    result = insights_generate_for_user(member)

    assert result.failed_rules == ["broken"]
    assert [i.dedupe_key for i in result.created] == ["ok"]


def test_every_member_gets_their_own_insights(member, household, rules):
    from accounts.tests.factories import MembershipFactory

    partner = MembershipFactory(household=household).user
    Preferences.objects.get_or_create(user=partner)
    rules(bills=[alert("bill")])

    results = generation.insights_generate_for_household(household)

    assert {r.user_id for r in results} == {member.pk, partner.pk}
    assert Insight.objects.filter(dedupe_key="bill").count() == 2
