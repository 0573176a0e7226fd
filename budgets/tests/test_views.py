"""Budget pages: overview (progress, pace, summary, suggestions), detail, create/edit/delete, HTMX fragment."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from budgets.models import Budget
from budgets.tests.factories import BudgetFactory
from budgets.tests.ledger import category, txn

pytestmark = pytest.mark.django_db


def test_overview_shows_progress_and_pace(member_client, household):
    today = date.today()
    first = today.replace(day=1)
    BudgetFactory(
        household=household,
        name="Food",
        amount=Decimal("300"),
        categories=[category("FOOD_AND_DRINK")],
        start_date=first,
    )
    txn(household, first, "-240.00", "FOOD_AND_DRINK_GROCERIES")

    response = member_client.get("/budgets/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Food" in html
    assert 'aria-valuenow="80"' in html
    assert '$240.00</span> of <span class="amount">$300.00' in html
    if today.day < 28:  # the pace sentence is left out on a period's last day
        assert "At this pace you will spend" in html
    assert "budget-history-data" in html
    assert "vendor/chart.umd.min.js" in html
    assert response.headers["Vary"].count("HX-Request") == 1


def test_overview_query_count_does_not_grow_with_budgets(member_client, household, django_assert_max_num_queries):
    for code in ("FOOD_AND_DRINK", "TRAVEL", "ENTERTAINMENT", "MEDICAL", "GENERAL_MERCHANDISE", "PERSONAL_CARE"):
        BudgetFactory(household=household, categories=[category(code)], rollover=True)
    txn(household, date.today(), "-12.00", "FOOD_AND_DRINK_GROCERIES")

    # 13 today: session, user, preferences, membership and the bell's two; then budgets + their categories, and
    # one aggregated query each for usage, the month's spending, its income, the monthly history and suggestions —
    # whatever the number of budgets (one spare for the shell)
    with django_assert_max_num_queries(14):
        response = member_client.get("/budgets/")
    assert response.status_code == 200


def test_htmx_refresh_gets_the_live_fragment(member_client, household):
    BudgetFactory(household=household, name="Everything")
    response = member_client.get("/budgets/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="budget-live"')
    assert "<html" not in html


def test_create_through_the_form(member_client, household):
    food = category("FOOD_AND_DRINK")
    response = member_client.post(
        "/budgets/new/",
        {
            "name": "",
            "categories": [food.pk],
            "amount": "320.00",
            "period": "monthly",
            "month_start_day": "25",
            "alert_threshold": "75",
        },
    )
    assert response.status_code == 302
    budget = Budget.objects.get(household=household)
    assert (budget.amount, budget.month_start_day, budget.alert_threshold, budget.label) == (
        Decimal("320.00"),
        25,
        75,
        "Food and drink",
    )


def test_form_errors_are_shown_on_the_form(member_client, household):
    response = member_client.post(
        "/budgets/new/",
        {"amount": "50", "period": "custom", "month_start_day": "1", "alert_threshold": "80", "rollover": "on"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Custom dates need an end date" in html or "A custom budget needs the last day of its range." in html
    assert not Budget.objects.exists()


def test_edit_and_delete(member_client, household):
    budget = BudgetFactory(household=household, amount=Decimal("100"), categories=[category("TRAVEL")])

    page = member_client.get(f"/budgets/{budget.pk}/edit/")
    assert page.status_code == 200
    edited = member_client.post(
        f"/budgets/{budget.pk}/edit/",
        {
            "name": "Trips",
            "categories": [category("TRAVEL").pk],
            "amount": "140",
            "period": "yearly",
            "month_start_day": "1",
            "alert_threshold": "90",
        },
    )
    assert edited.status_code == 302
    budget.refresh_from_db()
    assert (budget.name, budget.amount, budget.period) == ("Trips", Decimal("140.00"), "yearly")

    assert member_client.get(f"/budgets/{budget.pk}/delete/").status_code == 200
    assert member_client.post(f"/budgets/{budget.pk}/delete/").status_code == 302
    assert not Budget.objects.filter(pk=budget.pk).exists()


def test_detail_shows_history(member_client, household):
    budget = BudgetFactory(household=household, amount=Decimal("100"), start_date=date.today())
    response = member_client.get(f"/budgets/{budget.pk}/")
    assert response.status_code == 200
    assert "budget-detail-data" in response.content.decode()


def test_accepting_a_suggestion_in_one_click(member_client, household):
    response = member_client.post("/budgets/suggestions/accept/", {"primary_code": "MEDICAL", "amount": "60.00"})
    assert response.status_code == 302
    budget = Budget.objects.get(household=household)
    assert (budget.label, budget.amount, budget.period) == ("Medical", Decimal("60.00"), "monthly")


def test_a_bad_suggestion_is_explained(member_client, household):
    response = member_client.post(
        "/budgets/suggestions/accept/", {"primary_code": "INCOME", "amount": "60"}, follow=True
    )
    assert "could not be accepted" in response.content.decode()
    assert not Budget.objects.exists()


def test_pages_need_a_login(client):
    assert client.get("/budgets/").status_code == 302
