"""The insights page, feedback on an insight, and the ask page (HTMX fragments and full pages)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import MembershipFactory
from insights.models import Insight
from ml.tests.factories import AnomalyFactory, BalanceForecastFactory, PersonaAssignmentFactory, RecurringSeriesFactory

from .coach_factories import InsightFactory, txn

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_insights_page_shows_persona_forecast_anomalies_subscriptions_and_insights(member_client, member, household):
    PersonaAssignmentFactory(
        household=household,
        name="Weekend spender",
        confidence=0.82,
        top_features=[
            {"feature": "weekend_share", "label": "Weekend share of spending", "value": "61%", "direction": "high"}
        ],
        tips=["Plan one weekend treat instead of several."],
    )
    today = timezone.localdate()
    points = [
        {"date": (today + timedelta(days=d)).isoformat(), "yhat": y, "lower": "0", "upper": "900"}
        for d, y in enumerate(["800.00", "150.00", "400.00"])
    ]
    BalanceForecastFactory(
        household=household,
        points=points,
        low_balance_threshold=Decimal("200.00"),
        low_points=[{"date": points[1]["date"], "yhat": "150.00"}],
    )
    AnomalyFactory(
        household=household, transaction=txn(household, today, "-890.00", "GENERAL_MERCHANDISE", merchant="Gadget Hut")
    )
    RecurringSeriesFactory(household=household, merchant="Streamflix", amount=Decimal("-15.99"))
    InsightFactory(user=member, title="Rent due tomorrow", kind="bill_reminder", is_alert=True)

    page = member_client.get(reverse("insights:insight_list")).content.decode()

    assert "Weekend spender" in page and "82% match" in page and "Weekend share of spending" in page
    assert "Plan one weekend treat" in page
    assert "Low balance ahead" in page and "$150.00" in page
    assert 'data-source="forecast-chart"' in page
    assert "Gadget Hut" in page and "4.1× your usual Shopping spend" in page
    assert "Streamflix" in page and "$15.99" in page
    assert "Rent due tomorrow" in page


def test_filters_return_the_list_fragment_for_htmx(member_client, member):
    InsightFactory(user=member, title="An alert", kind="bill_reminder", is_alert=True)
    InsightFactory(user=member, title="Some coaching", kind="spending_pace")
    InsightFactory(user=member, title="Gone", dismissed_at=timezone.now())

    alerts = member_client.get(reverse("insights:insight_list"), {"type": "alerts"}, **HTMX)
    dismissed = member_client.get(reverse("insights:insight_list"), {"status": "dismissed"}, **HTMX)

    assert "<html" not in alerts.content.decode()
    assert "An alert" in alerts.content.decode() and "Some coaching" not in alerts.content.decode()
    assert "Gone" in dismissed.content.decode() and "An alert" not in dismissed.content.decode()
    assert alerts["Vary"] == "HX-Request" or "HX-Request" in alerts["Vary"]


def test_marking_an_insight_helpful(member_client, member):
    insight = InsightFactory(user=member)

    response = member_client.post(reverse("insights:insight_feedback", args=[insight.pk]), {"helpful": "yes"}, **HTMX)

    assert response.status_code == 200
    assert "we'll show more like this" in response.content.decode()
    insight.refresh_from_db()
    assert insight.helpful is True and insight.feedback_at is not None and insight.read_at is not None


def test_marking_an_insight_not_helpful_and_bad_input(member_client, member):
    insight = InsightFactory(user=member)
    url = reverse("insights:insight_feedback", args=[insight.pk])

    assert member_client.post(url, {"helpful": "maybe"}).status_code == 400
    member_client.post(url, {"helpful": "no"})

    insight.refresh_from_db()
    assert insight.helpful is False


def test_dismissing_an_insight(member_client, member):
    insight = InsightFactory(user=member)
    response = member_client.post(reverse("insights:insight_dismiss", args=[insight.pk]), **HTMX)
    assert response.status_code == 200
    assert Insight.objects.get(pk=insight.pk).dismissed_at is not None


def test_opening_an_insight_marks_it_acted_on_and_follows_its_link(member_client, member):
    insight = InsightFactory(user=member, action_url="/budgets/")
    response = member_client.get(reverse("insights:insight_open", args=[insight.pk]))
    assert response.status_code == 302 and response["Location"] == "/budgets/"
    insight.refresh_from_db()
    assert insight.acted_at is not None and insight.read_at is not None

    elsewhere = InsightFactory(user=member, action_url="https://evil.example/")
    response = member_client.get(reverse("insights:insight_open", args=[elsewhere.pk]))
    assert response["Location"] == reverse("insights:insight_list")


def test_another_members_insight_is_a_404_even_in_the_same_household(member_client, household):
    partner = MembershipFactory(household=household).user
    theirs = InsightFactory(user=partner, household=household)

    assert (
        member_client.post(reverse("insights:insight_feedback", args=[theirs.pk]), {"helpful": "yes"}).status_code
        == 404
    )
    assert member_client.get(reverse("insights:insight_open", args=[theirs.pk])).status_code == 404


def test_ask_page_answers_with_the_disclaimer(member_client):
    page = member_client.get(reverse("insights:ask"))
    assert page.status_code == 200 and 'name="question"' in page.content.decode()

    response = member_client.post(reverse("insights:ask"), {"question": "What subscriptions do we have?"}, **HTMX)

    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert "No subscriptions have been detected yet." in body
    assert "Educational information from your own data, not financial advice." in body


def test_ask_page_declines_product_picks_and_rejects_empty_questions(member_client):
    declined = member_client.post(reverse("insights:ask"), {"question": "Which ETF should I buy?"}, **HTMX)
    empty = member_client.post(reverse("insights:ask"), {"question": "  "}, **HTMX)

    assert "recommend specific investments" in declined.content.decode()
    assert empty.status_code == 400 and "Ask a question" in empty.content.decode()


def test_pages_need_a_login(client):
    for name in ("insights:insight_list", "insights:ask"):
        assert client.get(reverse(name)).status_code == 302
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    ("feature", "shown"),
    [
        ({"label": "share spent on rent and utilities", "value": 0.6585}, "66%"),
        ({"label": "average purchase", "value": 102.2305}, "102"),
        ({"label": "purchases per week", "value": 3.5}, "3.5"),
        ({"label": "busiest day", "value": "Saturday"}, "Saturday"),
    ],
)
def test_persona_features_are_shown_readably(feature, shown):
    from insights.templatetags.coach_tags import feature_value

    assert feature_value(feature) == shown
