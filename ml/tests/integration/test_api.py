"""/api/v1/ endpoints of the ML engine: scoped to the household, marks go through the services."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ml.models import Anomaly, DismissedAnomalyPattern, RecurringSeries
from ml.tests.factories import AnomalyFactory, BalanceForecastFactory, PersonaAssignmentFactory, RecurringSeriesFactory

pytestmark = pytest.mark.django_db


def test_recurring_list_and_subscription_filter(api_client, household, other_household):
    RecurringSeriesFactory(household=household, merchant="Spotify", amount=Decimal("-11.99"), next_amount=None)
    RecurringSeriesFactory(household=household, merchant="City Water", is_subscription=False)
    RecurringSeriesFactory(household=other_household, merchant="Not yours")
    rows = api_client.get("/api/v1/recurring/").json()["results"]
    assert sorted(r["merchant"] for r in rows) == ["City Water", "Spotify"]
    subscriptions = api_client.get("/api/v1/recurring/", {"subscriptions": "1"}).json()["results"]
    assert [(r["name"], r["monthly_cost"]) for r in subscriptions] == [("Spotify", "11.99")]


def test_recurring_marks(api_client, household):
    series = RecurringSeriesFactory(household=household, merchant="Gym Plus")
    base = f"/api/v1/recurring/{series.pk}"
    assert api_client.post(f"{base}/rename/", {"display_name": "Gym"}).json()["name"] == "Gym"
    assert api_client.post(f"{base}/not-subscription/", {}).json()["is_subscription"] is False
    body = api_client.post(f"{base}/cancelled/", {"value": True}).json()
    assert body["status"] == RecurringSeries.Status.CANCELLED and body["user_cancelled"] is True
    assert api_client.post(f"{base}/rename/", {"display_name": "x" * 201}).status_code == 400


def test_anomaly_dismiss_and_confirm(api_client, household):
    first = AnomalyFactory(household=household, transaction__merchant="Bolt Rides")
    second = AnomalyFactory(household=household)
    assert api_client.post(f"/api/v1/anomalies/{first.pk}/dismiss/").json()["status"] == Anomaly.Status.DISMISSED
    assert DismissedAnomalyPattern.objects.filter(household=household, merchant="Bolt Rides").exists()
    assert api_client.post(f"/api/v1/anomalies/{second.pk}/confirm/").json()["status"] == Anomaly.Status.CONFIRMED
    open_rows = api_client.get("/api/v1/anomalies/", {"status": "open"}).json()["results"]
    assert open_rows == []


def test_other_households_objects_are_404(api_client, other_household):
    series = RecurringSeriesFactory(household=other_household)
    anomaly = AnomalyFactory(household=other_household)
    persona = PersonaAssignmentFactory(household=other_household)
    forecast = BalanceForecastFactory(household=other_household)
    for path in (
        f"/api/v1/recurring/{series.pk}/",
        f"/api/v1/anomalies/{anomaly.pk}/",
        f"/api/v1/personas/{persona.pk}/",
        f"/api/v1/forecasts/{forecast.pk}/",
    ):
        assert api_client.get(path).status_code == 404, path
    assert api_client.post(f"/api/v1/recurring/{series.pk}/cancelled/", {}).status_code == 404
    assert api_client.post(f"/api/v1/anomalies/{anomaly.pk}/dismiss/").status_code == 404
    anomaly.refresh_from_db()
    assert anomaly.status == Anomaly.Status.OPEN


def test_forecasts_list_only_current(api_client, household):
    BalanceForecastFactory(household=household, is_current=False)
    current = BalanceForecastFactory(household=household)
    rows = api_client.get("/api/v1/forecasts/").json()["results"]
    assert [r["id"] for r in rows] == [current.pk]
    assert rows[0]["model_maes"] == {"cashflow": 42.0, "prophet": 61.5, "naive": 80.2}
