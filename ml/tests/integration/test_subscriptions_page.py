"""The subscriptions page: monthly and yearly cost, next charges, and the user's marks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from ml.models import RecurringSeries
from ml.selectors import monthly_cost, subscriptions_overview
from ml.tests.factories import RecurringSeriesFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 6, 20)


@pytest.fixture
def series(household):
    return {
        "netflix": RecurringSeriesFactory(
            household=household, merchant="Netflix", amount=Decimal("-15.49"), next_amount=Decimal("-17.99"),
            next_date=TODAY + dt.timedelta(days=5),
        ),
        "prime": RecurringSeriesFactory(
            household=household, merchant="Amazon Prime", cadence=RecurringSeries.Cadence.YEARLY,
            amount=Decimal("-139.00"), next_amount=Decimal("-139.00"), next_date=dt.date(2026, 1, 3),
        ),
        "rent": RecurringSeriesFactory(
            household=household, merchant="Oak Street Rent", amount=Decimal("-1850.00"),
            next_amount=Decimal("-1850.00"), is_subscription=False, next_date=TODAY + dt.timedelta(days=11),
        ),
        "salary": RecurringSeriesFactory(
            household=household, merchant="Acme Payroll", cadence=RecurringSeries.Cadence.BIWEEKLY,
            amount=Decimal("2400.00"), next_amount=Decimal("2400.00"), is_income=True, is_subscription=False,
        ),
    }  # fmt: skip


def test_monthly_cost_uses_the_latest_price_and_the_cadence(series):
    assert monthly_cost(series["netflix"]) == Decimal("17.99")
    assert monthly_cost(series["prime"]) == Decimal("11.58")  # 139 / 12
    assert monthly_cost(series["salary"]) == Decimal("5200.00")  # 26 pays a year


def test_overview_totals_and_next_charges(household, series):
    overview = subscriptions_overview(household=household, today=TODAY)
    assert [s.merchant for s in overview.subscriptions] == ["Netflix", "Amazon Prime"]
    assert [s.merchant for s in overview.bills] == ["Oak Street Rent"]
    assert [s.merchant for s in overview.income] == ["Acme Payroll"]
    assert overview.monthly_total == Decimal("29.57")
    assert overview.yearly_total == Decimal("354.84")
    assert [s.merchant for s in overview.upcoming] == ["Netflix", "Oak Street Rent"]


def test_possibly_cancelled_is_listed_but_not_counted(household, series):
    RecurringSeries.objects.filter(pk=series["prime"].pk).update(status=RecurringSeries.Status.POSSIBLY_CANCELLED)
    overview = subscriptions_overview(household=household, today=TODAY)
    assert "Amazon Prime" in [s.merchant for s in overview.subscriptions]
    assert overview.monthly_total == Decimal("17.99")


def test_page_shows_costs(member_client, series):
    response = member_client.get(reverse("ml:subscription_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Netflix" in html and "Oak Street Rent" in html
    assert "$29.57" in html and "$354.84" in html
    netflix = series["netflix"].pk
    assert f'action="/subscriptions/{netflix}/cancelled/"' in html and 'aria-label="I cancelled Netflix"' in html
    assert f'action="/subscriptions/{netflix}/not-subscription/"' in html


def test_page_for_a_new_household_says_nothing_found(member_client):
    response = member_client.get(reverse("ml:subscription_list"))
    assert "No recurring payments found yet" in response.content.decode()


def test_list_query_count_does_not_grow_with_rows(member_client, household, django_assert_max_num_queries):
    RecurringSeriesFactory.create_batch(30, household=household)
    with django_assert_max_num_queries(10):
        assert member_client.get(reverse("ml:subscription_list")).status_code == 200


def test_mark_not_a_subscription_moves_it_to_bills_and_back(member_client, household, series):
    netflix = series["netflix"]
    url = reverse("ml:subscription_not_subscription", args=[netflix.pk])
    response = member_client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in response.content.decode()  # the fragment only
    overview = subscriptions_overview(household=household, today=TODAY)
    assert [s.merchant for s in overview.bills] == ["Netflix", "Oak Street Rent"]
    assert overview.monthly_total == Decimal("11.58")
    member_client.post(url, {"value": "0"})
    assert "Netflix" in [s.merchant for s in subscriptions_overview(household=household, today=TODAY).subscriptions]


def test_cancel_then_undo(member_client, household, series):
    prime = series["prime"]
    response = member_client.post(reverse("ml:subscription_cancelled", args=[prime.pk]))
    assert (response.status_code, response["Location"]) == (302, "/subscriptions/")  # a plain form post
    prime.refresh_from_db()
    assert prime.user_cancelled and prime.status == RecurringSeries.Status.CANCELLED
    overview = subscriptions_overview(household=household, today=TODAY)
    assert [s.merchant for s in overview.inactive] == ["Amazon Prime"]
    assert overview.monthly_total == Decimal("17.99")
    member_client.post(reverse("ml:subscription_cancelled", args=[prime.pk]), {"value": "0"})
    prime.refresh_from_db()
    assert not prime.user_cancelled and prime.status == RecurringSeries.Status.ACTIVE


def test_rename_and_reject_a_too_long_name(member_client, series):
    netflix = series["netflix"]
    url = reverse("ml:subscription_rename", args=[netflix.pk])
    member_client.post(url, {"display_name": "  Family   movies "})
    netflix.refresh_from_db()
    assert netflix.display_name == "Family movies"
    response = member_client.post(url, {"display_name": "x" * 201}, HTTP_HX_REQUEST="true")
    assert "Keep the name under 200 characters." in response.content.decode()
    netflix.refresh_from_db()
    assert netflix.display_name == "Family movies"


def test_marks_need_post(member_client, series):
    url = reverse("ml:subscription_cancelled", args=[series["netflix"].pk])
    assert member_client.get(url).status_code == 405
