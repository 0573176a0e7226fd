import pytest

from accounts.tests.factories import MembershipFactory

from .coach_factories import InsightFactory

pytestmark = pytest.mark.django_db


def test_lists_only_the_callers_own_insights(api_client, member, household, other_member):
    mine = InsightFactory(user=member, title="Mine", kind="bill_reminder", is_alert=True)
    InsightFactory(user=member, title="Coaching", kind="spending_pace")
    InsightFactory(user=MembershipFactory(household=household).user, household=household, title="Partner's")
    InsightFactory(user=other_member, title="Other household")

    response = api_client.get("/api/v1/insights/")
    alerts = api_client.get("/api/v1/insights/", {"type": "alerts"})

    assert response.status_code == 200
    assert sorted(i["title"] for i in response.json()["results"]) == ["Coaching", "Mine"]
    assert [i["id"] for i in alerts.json()["results"]] == [mine.pk]


def test_feedback_and_dismiss(api_client, member):
    insight = InsightFactory(user=member)

    liked = api_client.post(f"/api/v1/insights/{insight.pk}/feedback/", {"helpful": True}, format="json")
    dismissed = api_client.post(f"/api/v1/insights/{insight.pk}/dismiss/")
    bad = api_client.post(f"/api/v1/insights/{insight.pk}/feedback/", {}, format="json")

    assert liked.status_code == 200 and liked.json()["helpful"] is True
    assert dismissed.status_code == 200 and dismissed.json()["dismissed_at"] is not None
    assert bad.status_code == 400


def test_someone_elses_insight_is_a_404(api_client, other_member):
    theirs = InsightFactory(user=other_member)
    assert api_client.get(f"/api/v1/insights/{theirs.pk}/").status_code == 404
    assert (
        api_client.post(f"/api/v1/insights/{theirs.pk}/feedback/", {"helpful": True}, format="json").status_code == 404
    )


def test_ask_the_coach(api_client):
    response = api_client.post("/api/v1/coach/ask/", {"question": "What are our budgets?"}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["engine"] == "rules" and body["intent"] == "budgets"
    assert body["answer"].startswith("You have no budgets yet.")
    assert body["disclaimer"] == "Educational information from your own data, not financial advice."


def test_ask_needs_a_question(api_client):
    assert api_client.post("/api/v1/coach/ask/", {"question": ""}, format="json").status_code == 400


def test_anonymous_callers_are_refused(client):
    assert client.get("/api/v1/insights/").status_code in (401, 403)
