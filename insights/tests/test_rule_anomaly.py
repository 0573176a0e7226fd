from datetime import timedelta
from decimal import Decimal

import pytest

from insights.rules import anomaly
from ml.models import Anomaly
from ml.tests.factories import AnomalyFactory

from .coach_factories import txn

pytestmark = pytest.mark.django_db


def test_recent_open_anomaly_becomes_an_alert_with_its_reason(household, make_ctx, today):
    charge = txn(household, today - timedelta(days=2), "-412.00", "GENERAL_MERCHANDISE", merchant="Best Buy")
    flagged = AnomalyFactory(
        household=household,
        transaction=charge,
        score=0.8,
        reasons=[{"kind": "amount", "text": "3.2× your usual Shopping spend"}],
    )

    [candidate] = anomaly.evaluate(make_ctx())

    assert candidate.is_alert
    assert candidate.title == "Unusual charge at Best Buy"
    assert candidate.message.startswith("$412.00 at Best Buy on Mar 16: 3.2× your usual Shopping spend.")
    assert candidate.dedupe_key == f"anomaly:{flagged.pk}"
    assert candidate.priority == 20


def test_possible_duplicate_charge_is_high_priority(household, make_ctx, today):
    charge = txn(household, today, "-59.99", "ENTERTAINMENT", merchant="Ticketshop")
    AnomalyFactory(
        household=household,
        transaction=charge,
        reasons=[{"kind": "possible_duplicate", "text": "possible duplicate charge: same merchant and amount"}],
    )

    [candidate] = anomaly.evaluate(make_ctx())

    assert candidate.priority == 30
    assert candidate.title == "Possible duplicate at Ticketshop"


def test_reviewed_or_old_anomalies_give_nothing(household, make_ctx, today):
    old = txn(household, today - timedelta(days=40), "-500.00", "TRAVEL")
    AnomalyFactory(household=household, transaction=old)
    dismissed = txn(household, today, "-500.00", "TRAVEL", description="another")
    AnomalyFactory(household=household, transaction=dismissed, status=Anomaly.Status.DISMISSED)
    assert Decimal(old.amount) == Decimal("-500.00")

    assert anomaly.evaluate(make_ctx()) == []
