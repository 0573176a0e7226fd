"""/api/v1/goals/ and /api/v1/goal-contributions/."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from budgets.tests.ledger import account, txn
from goals.models import Goal, GoalContribution
from goals.tests.factories import GoalContributionFactory, GoalFactory
from transactions.models import FinancialAccount

pytestmark = pytest.mark.django_db


def test_create_update_delete_a_goal(api_client, household):
    savings = account(household, "Savings", FinancialAccount.Kind.SAVINGS)

    created = api_client.post(
        "/api/v1/goals/",
        {"name": "Emergency fund", "kind": "emergency_fund", "target_amount": "9000.00", "linked_account": savings.pk},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["target_amount"], body["linked_account"], body["status"], body["priority"]) == (
        "9000.00",
        savings.pk,
        "active",
        2,
    )
    goal_id = body["id"]

    patched = api_client.patch(f"/api/v1/goals/{goal_id}/", {"status": "paused"}, format="json")
    assert patched.json()["status"] == "paused"
    assert api_client.delete(f"/api/v1/goals/{goal_id}/").status_code == 204
    assert not Goal.objects.exists()


def test_another_households_account_cannot_be_linked(api_client, other_household):
    theirs = account(other_household, "Their savings", FinancialAccount.Kind.SAVINGS)
    response = api_client.post(
        "/api/v1/goals/", {"name": "x", "target_amount": "10", "linked_account": theirs.pk}, format="json"
    )
    assert response.status_code == 400
    assert "linked_account" in response.json()["error"]["fields"]


def test_goals_are_scoped_to_the_household(api_client, household, other_household):
    mine = GoalFactory(household=household)
    theirs = GoalFactory(household=other_household)

    assert [g["id"] for g in api_client.get("/api/v1/goals/").json()["results"]] == [mine.pk]
    assert api_client.get(f"/api/v1/goals/{theirs.pk}/").status_code == 404
    assert api_client.get(f"/api/v1/goals/{theirs.pk}/progress/").status_code == 404


def test_progress(api_client, household):
    goal = GoalFactory(household=household, target_amount=Decimal("400"))
    GoalContributionFactory(household=household, goal=goal, amount=Decimal("100"))

    one = api_client.get(f"/api/v1/goals/{goal.pk}/progress/").json()
    every = api_client.get("/api/v1/goals/progress/").json()

    assert (one["saved"], one["remaining"], one["percent"], one["projection"]["status"]) == (
        "100.00",
        "300.00",
        25,
        "no_deadline",
    )
    assert [p["goal"] for p in every] == [goal.pk]


def test_payoff_schedule_and_strategies(api_client, household):
    card = GoalFactory(
        household=household,
        name="Card",
        kind=Goal.Kind.DEBT_PAYOFF,
        target_amount=Decimal("1000"),
        apr=Decimal("12"),
        minimum_payment=Decimal("100"),
    )

    schedule = api_client.get(f"/api/v1/goals/{card.pk}/payoff-schedule/").json()
    assert (schedule["months"], schedule["total_interest"], schedule["total_paid"]) == (11, "58.98", "1058.98")
    assert schedule["schedule"][0] == {
        "month": 1,
        "payment": "100.00",
        "interest": "10.00",
        "principal": "90.00",
        "balance": "910.00",
    }
    faster = api_client.get(f"/api/v1/goals/{card.pk}/payoff-schedule/", {"extra": "100"}).json()
    assert faster["months"] == 6

    assert api_client.get("/api/v1/goals/debt-strategies/").json() == []  # one debt: nothing to compare
    GoalFactory(
        household=household,
        name="Store card",
        kind=Goal.Kind.DEBT_PAYOFF,
        target_amount=Decimal("300"),
        apr=Decimal("25"),
        minimum_payment=Decimal("30"),
    )
    strategies = api_client.get("/api/v1/goals/debt-strategies/", {"extra": "50"}).json()
    assert [s["strategy"] for s in strategies] == ["avalanche", "snowball"]
    assert strategies[0]["order"][0] == "Store card"

    bad = api_client.get("/api/v1/goals/debt-strategies/", {"extra": "-5"})
    assert bad.status_code == 400


def test_payoff_schedule_needs_a_debt_goal(api_client, household):
    goal = GoalFactory(household=household)
    response = api_client.get(f"/api/v1/goals/{goal.pk}/payoff-schedule/")
    assert response.status_code == 400
    assert "debt payoff goal" in response.json()["error"]["fields"]["goal"][0]


def test_emergency_fund(api_client, household):
    assert api_client.get("/api/v1/goals/emergency-fund/").status_code == 204
    first = date.today().replace(day=1)
    txn(
        household,
        date(first.year - 1 if first.month == 1 else first.year, 12 if first.month == 1 else first.month - 1, 3),
        "-1200.00",
        "RENT_AND_UTILITIES_RENT",
    )
    body = api_client.get("/api/v1/goals/emergency-fund/").json()
    assert (body["monthly_essentials"], body["low"], body["high"]) == ("1200.00", "3600.00", "7200.00")


def test_contributions(api_client, household, other_household):
    goal = GoalFactory(household=household)
    transfer = txn(household, date(2026, 3, 2), "-60.00", "TRANSFER_OUT_SAVINGS")

    manual = api_client.post(
        "/api/v1/goal-contributions/", {"goal": goal.pk, "amount": "40.00", "date": "2026-03-01"}, format="json"
    )
    linked = api_client.post(
        "/api/v1/goal-contributions/", {"goal": goal.pk, "transaction": transfer.pk}, format="json"
    )
    assert manual.status_code == 201, manual.content
    assert linked.status_code == 201, linked.content
    assert linked.json()["amount"] == "60.00"
    duplicate = api_client.post(
        "/api/v1/goal-contributions/", {"goal": goal.pk, "transaction": transfer.pk}, format="json"
    )
    assert duplicate.status_code == 400
    assert "already counts" in duplicate.json()["error"]["fields"]["transaction"][0]

    listed = api_client.get("/api/v1/goal-contributions/", {"goal": goal.pk}).json()["results"]
    assert sorted(c["amount"] for c in listed) == ["40.00", "60.00"]

    their_goal = GoalFactory(household=other_household)
    refused = api_client.post("/api/v1/goal-contributions/", {"goal": their_goal.pk, "amount": "5"}, format="json")
    assert refused.status_code == 400
    theirs = GoalContributionFactory(household=other_household)
    assert api_client.delete(f"/api/v1/goal-contributions/{theirs.pk}/").status_code == 404

    assert api_client.delete(f"/api/v1/goal-contributions/{manual.json()['id']}/").status_code == 204
    assert GoalContribution.objects.filter(goal=goal).count() == 1
