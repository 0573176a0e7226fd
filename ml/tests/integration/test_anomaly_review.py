"""The anomaly review page: dismiss remembers the pattern, confirm keeps it for the record."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ml.models import Anomaly, DismissedAnomalyPattern
from ml.tests.factories import AnomalyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def anomaly(household):
    return AnomalyFactory(
        household=household,
        transaction__merchant="Apex Electronics",
        reasons=[
            {"kind": "amount_vs_category", "text": "4.1× your usual Shopping spend"},
            {"kind": "new_merchant", "text": "First time at this merchant"},
        ],
    )


def test_page_lists_open_anomalies_with_reasons(member_client, anomaly):
    response = member_client.get(reverse("ml:anomaly_list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Apex Electronics" in html
    assert "4.1× your usual Shopping spend" in html and "First time at this merchant" in html


def test_dismiss_stores_each_pattern(member_client, household, anomaly):
    response = member_client.post(reverse("ml:anomaly_dismiss", args=[anomaly.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Apex Electronics" not in response.content.decode()  # gone from the open list
    anomaly.refresh_from_db()
    assert anomaly.status == Anomaly.Status.DISMISSED
    patterns = DismissedAnomalyPattern.objects.for_household(household)
    assert sorted(patterns.values_list("merchant", "reason_kind")) == [
        ("Apex Electronics", "amount_vs_category"),
        ("Apex Electronics", "new_merchant"),
    ]
    # dismissing twice is harmless
    member_client.post(reverse("ml:anomaly_dismiss", args=[anomaly.pk]))
    assert patterns.count() == 2


def test_confirm_keeps_it_under_confirmed(member_client, anomaly):
    response = member_client.post(reverse("ml:anomaly_confirm", args=[anomaly.pk]), {"status": "open"})
    assert (response.status_code, response["Location"]) == (302, "/anomalies/?status=open")
    anomaly.refresh_from_db()
    assert anomaly.status == Anomaly.Status.CONFIRMED
    html = member_client.get(reverse("ml:anomaly_list"), {"status": "confirmed"}).content.decode()
    assert "Apex Electronics" in html


def test_unknown_status_filter_falls_back_to_open(member_client, anomaly):
    response = member_client.get(reverse("ml:anomaly_list"), {"status": "bogus"})
    assert "Apex Electronics" in response.content.decode()


def test_list_query_count_is_fixed(member_client, household, django_assert_max_num_queries):
    AnomalyFactory.create_batch(20, household=household)
    with django_assert_max_num_queries(10):
        assert member_client.get(reverse("ml:anomaly_list")).status_code == 200
