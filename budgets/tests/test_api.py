"""/api/v1/budgets/: CRUD through the services, usage, summary, history, suggestions — all household-scoped."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from budgets.models import Budget
from budgets.tests.factories import BudgetFactory
from budgets.tests.ledger import category, txn

pytestmark = pytest.mark.django_db


def test_create_a_category_budget(api_client, household):
    food = category("FOOD_AND_DRINK")

    response = api_client.post(
        "/api/v1/budgets/",
        {"amount": "450.00", "categories": [food.pk], "period": "monthly", "month_start_day": 25},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["amount"], body["categories"], body["label"], body["alert_threshold"]) == (
        "450.00",
        [food.pk],
        "Food and drink",
        80,
    )
    budget = Budget.objects.get(pk=body["id"])
    assert budget.household == household
    assert budget.start_date is not None


def test_invalid_budgets_get_specific_errors(api_client):
    income = category("INCOME_WAGES")

    not_spending = api_client.post("/api/v1/budgets/", {"amount": "10", "categories": [income.pk]}, format="json")
    no_end = api_client.post("/api/v1/budgets/", {"amount": "10", "period": "custom"}, format="json")
    zero = api_client.post("/api/v1/budgets/", {"amount": "0"}, format="json")

    assert not_spending.status_code == 400
    assert "Income and transfers are not spending" in not_spending.json()["error"]["fields"]["categories"][0]
    assert no_end.status_code == 400
    assert no_end.json()["error"]["fields"]["end_date"] == ["A custom budget needs the last day of its range."]
    assert zero.status_code == 400
    assert "amount" in zero.json()["error"]["fields"]


def test_another_households_category_is_refused(api_client, other_household):
    from transactions.models import Category

    theirs = Category.objects.create(
        household=other_household, code="their-pets", name="Pets", primary_code="GENERAL_MERCHANDISE"
    )
    response = api_client.post("/api/v1/budgets/", {"amount": "10", "categories": [theirs.pk]}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["categories"] == ["Choose categories from your own list."]


def test_update_and_delete(api_client, household):
    budget = BudgetFactory(household=household, amount=Decimal("100"))

    patched = api_client.patch(f"/api/v1/budgets/{budget.pk}/", {"amount": "150.50", "rollover": True}, format="json")
    assert patched.status_code == 200, patched.content
    budget.refresh_from_db()
    assert (budget.amount, budget.rollover) == (Decimal("150.50"), True)

    assert api_client.delete(f"/api/v1/budgets/{budget.pk}/").status_code == 204
    assert not Budget.objects.filter(pk=budget.pk).exists()


def test_list_is_scoped_to_the_household(api_client, household, other_household):
    mine = BudgetFactory(household=household)
    BudgetFactory(household=other_household)

    response = api_client.get("/api/v1/budgets/")

    assert [b["id"] for b in response.json()["results"]] == [mine.pk]


def test_another_households_budget_is_404(api_client, other_household):
    theirs = BudgetFactory(household=other_household)
    assert api_client.get(f"/api/v1/budgets/{theirs.pk}/").status_code == 404
    assert api_client.get(f"/api/v1/budgets/{theirs.pk}/history/").status_code == 404
    assert api_client.patch(f"/api/v1/budgets/{theirs.pk}/", {"amount": "1"}, format="json").status_code == 404


def test_usage_for_a_given_day(api_client, household):
    budget = BudgetFactory(household=household, amount=Decimal("200"), start_date=date(2026, 1, 1))
    txn(household, date(2026, 2, 3), "-150.00", "FOOD_AND_DRINK_GROCERIES")

    response = api_client.get("/api/v1/budgets/usage/", {"date": "2026-02-14"})

    assert response.status_code == 200
    [row] = response.json()
    assert row["budget"] == budget.pk
    usage = row["usage"]
    assert usage["period"] == {"start": "2026-02-01", "end": "2026-02-28", "days": 28}
    assert (usage["spent"], usage["remaining"], usage["percent"], usage["status"]) == ("150.00", "50.00", "75.0", "ok")


def test_a_bad_date_is_a_400_with_the_field(api_client):
    response = api_client.get("/api/v1/budgets/usage/", {"date": "14/02/2026"})
    assert response.status_code == 400
    assert "date" in response.json()["error"]["fields"]


def test_summary(api_client, household):
    BudgetFactory(household=household, amount=Decimal("300"), categories=[category("FOOD_AND_DRINK")])
    txn(household, date(2026, 2, 1), "2000.00", "INCOME_WAGES")
    txn(household, date(2026, 2, 3), "-150.00", "FOOD_AND_DRINK_GROCERIES")
    txn(household, date(2026, 2, 4), "-350.00", "TRAVEL_FLIGHTS")

    body = api_client.get("/api/v1/budgets/summary/", {"date": "2026-02-10"}).json()

    assert body["period"] == {"start": "2026-02-01", "end": "2026-02-28", "days": 28}
    assert (body["budgeted"], body["spending"], body["income"], body["savings_rate"]) == (
        "300.00",
        "500.00",
        "2000.00",
        "75.0",
    )
    assert body["unbudgeted"] == [{"primary_code": "TRAVEL", "name": "Travel", "spent": "350.00"}]


def test_history(api_client, household):
    budget = BudgetFactory(household=household, amount=Decimal("100"), start_date=date.today())
    body = api_client.get(f"/api/v1/budgets/{budget.pk}/history/").json()
    assert len(body) == 1
    assert body[0]["available"] == "100.00"


def test_suggestions_and_accepting_one(api_client, household):
    today = date.today().replace(day=1)
    for back in range(1, 7):
        month_index = today.year * 12 + today.month - 1 - back
        txn(household, date(month_index // 12, month_index % 12 + 1, 10), "-88.00", "PERSONAL_CARE_HAIR_AND_BEAUTY")

    suggestions = api_client.get("/api/v1/budgets/suggestions/").json()
    assert [(s["primary_code"], s["amount"]) for s in suggestions] == [("PERSONAL_CARE", "90.00")]

    accepted = api_client.post(
        "/api/v1/budgets/suggestions/", {"primary_code": "PERSONAL_CARE", "amount": "90.00"}, format="json"
    )
    assert accepted.status_code == 201
    assert accepted.json()["label"] == "Personal care"
    assert api_client.get("/api/v1/budgets/suggestions/").json() == []

    unknown = api_client.post("/api/v1/budgets/suggestions/", {"primary_code": "NOPE", "amount": "5"}, format="json")
    assert unknown.status_code == 400


def test_anonymous_requests_are_refused(client):
    assert client.get("/api/v1/budgets/").status_code in (401, 403)
