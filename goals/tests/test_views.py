"""Goal pages: overview, detail (chart, projection, payoff plan), forms, contributions over HTMX."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from budgets.tests.ledger import account, txn
from goals.models import Goal, GoalContribution
from goals.tests.factories import GoalContributionFactory, GoalFactory
from transactions.models import FinancialAccount

pytestmark = pytest.mark.django_db


def test_overview_lists_goals_with_progress(member_client, household):
    goal = GoalFactory(household=household, name="New laptop", target_amount=Decimal("2000"))
    GoalContributionFactory(household=household, goal=goal, amount=Decimal("500"))

    response = member_client.get("/goals/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "New laptop" in html
    assert 'aria-valuenow="25"' in html
    assert '$500.00</span> of <span class="amount">$2,000.00' in html


def test_overview_query_count_does_not_grow_with_goals(member_client, household, django_assert_max_num_queries):
    savings = account(household, "Savings", FinancialAccount.Kind.SAVINGS)
    for index in range(8):
        goal = GoalFactory(household=household, linked_account=savings if index % 2 else None)
        GoalContributionFactory(household=household, goal=goal)

    # 10 today: session, user, preferences, membership and the bell's two; goals with their contribution totals,
    # recent contributions, and the two of the emergency-fund suggestion; linked accounts add their balances and
    # recent transactions — whatever the number of goals (one spare for the shell)
    with django_assert_max_num_queries(13):
        response = member_client.get("/goals/")
    assert response.status_code == 200


def test_emergency_fund_suggestion_links_to_a_prefilled_form(member_client, household):
    first_of_month = date.today().replace(day=1)
    txn(household, first_of_month - timedelta(days=20), "-1000.00", "RENT_AND_UTILITIES_RENT")

    html = member_client.get("/goals/").content.decode()

    assert "Start with 3 months" in html
    assert "target_amount=3000.00" in html
    form = member_client.get("/goals/new/?kind=emergency_fund&name=Emergency%20fund&target_amount=3000.00")
    assert 'value="3000.00"' in form.content.decode()


def test_debt_comparison_on_the_overview_and_its_htmx_refresh(member_client, household):
    for name, balance, apr in (("Card", "500", "24"), ("Loan from a friend", "200", "0")):
        GoalFactory(
            household=household,
            name=name,
            kind=Goal.Kind.DEBT_PAYOFF,
            target_amount=Decimal(balance),
            apr=Decimal(apr),
            minimum_payment=Decimal("25"),
        )

    page = member_client.get("/goals/?extra=50").content.decode()
    fragment = member_client.get("/goals/?extra=50", HTTP_HX_REQUEST="true").content.decode()

    assert "avalanche" in page.lower()
    assert fragment.lstrip().startswith('<section id="debt-comparison"')
    assert "$42.10" in fragment and "$53.35" in fragment
    assert 'saves <span class="amount">$11.25</span>' in fragment


def test_create_a_debt_goal_and_see_its_payoff_plan(member_client, household):
    response = member_client.post(
        "/goals/new/",
        {
            "name": "Credit card",
            "kind": "debt_payoff",
            "target_amount": "1000.00",
            "priority": "1",
            "apr": "12",
            "minimum_payment": "100",
        },
    )
    assert response.status_code == 302
    goal = Goal.objects.get(household=household)
    assert (goal.kind, goal.apr, goal.minimum_payment, goal.started_on) == (
        "debt_payoff",
        Decimal("12.00"),
        Decimal("100.00"),
        date.today(),
    )

    detail = member_client.get(f"/goals/{goal.pk}/").content.decode()
    assert 'in 11 months, with <span class="amount">$58.98</span> of interest' in detail
    assert "goal-chart-data" in detail


def test_form_errors(member_client, household):
    response = member_client.post(
        "/goals/new/", {"name": "", "kind": "savings", "target_amount": "-5", "priority": "2"}
    )
    assert response.status_code == 200
    assert not Goal.objects.exists()
    assert "This field is required." in response.content.decode()


def test_contribute_over_htmx_returns_the_refreshed_body(member_client, household):
    goal = GoalFactory(household=household, target_amount=Decimal("400"))

    response = member_client.post(
        f"/goals/{goal.pk}/contributions/",
        {"amount": "100", "date": "2026-04-01", "note": "tax refund"},
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="goal-body">')
    assert "tax refund" in html
    assert 'aria-valuenow="25"' in html
    assert GoalContribution.objects.get(goal=goal).amount == Decimal("100.00")


def test_contribution_errors_stay_on_the_form(member_client, household):
    goal = GoalFactory(household=household)
    response = member_client.post(f"/goals/{goal.pk}/contributions/", {"amount": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Say how much to put toward the goal" in response.content.decode()
    assert not GoalContribution.objects.exists()


def test_contribution_linked_to_a_transaction_through_the_form(member_client, household):
    goal = GoalFactory(household=household)
    transfer = txn(household, date.today(), "-75.00", "TRANSFER_OUT_SAVINGS")
    response = member_client.post(f"/goals/{goal.pk}/contributions/", {"transaction": transfer.pk})
    assert response.status_code == 302
    assert GoalContribution.objects.get(goal=goal).amount == Decimal("75.00")


def test_remove_a_contribution(member_client, household):
    contribution = GoalContributionFactory(household=household)
    response = member_client.post(f"/goals/contributions/{contribution.pk}/delete/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert not GoalContribution.objects.exists()


def test_completed_goal_shows_a_celebration(member_client, household):
    goal = GoalFactory(household=household, status=Goal.Status.COMPLETED)
    assert "Goal reached!" in member_client.get(f"/goals/{goal.pk}/").content.decode()


def test_edit_and_delete(member_client, household):
    goal = GoalFactory(household=household, name="Old name")
    response = member_client.post(
        f"/goals/{goal.pk}/edit/",
        {"name": "New name", "kind": "purchase", "target_amount": "1500", "priority": "3", "status": "paused"},
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.name, goal.kind, goal.status) == ("New name", "purchase", "paused")
    assert member_client.get(f"/goals/{goal.pk}/delete/").status_code == 200
    assert member_client.post(f"/goals/{goal.pk}/delete/").status_code == 302
    assert not Goal.objects.exists()
