"""What the user says about the models' findings: subscriptions they rename, cancel or reject, anomalies they
dismiss or confirm. Detection runs respect these marks (`recurring.py`, `anomalies.py`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from ml.models import Anomaly, DismissedAnomalyPattern, RecurringSeries

MAX_NAME = RecurringSeries._meta.get_field("display_name").max_length


def _check_household(household, obj) -> None:
    if obj.household_id != household.pk:
        raise ValidationError("That item belongs to another household.")


@transaction.atomic
def recurring_series_rename(household, series: RecurringSeries, name: str) -> RecurringSeries:
    """Give the series the user's own name (an empty name goes back to the merchant's)."""
    _check_household(household, series)
    name = " ".join((name or "").split())
    if len(name) > MAX_NAME:
        raise ValidationError({"display_name": f"Keep the name under {MAX_NAME} characters."})
    series.display_name = name
    series.save(update_fields=["display_name", "updated_at"])
    return series


@transaction.atomic
def recurring_series_mark_not_subscription(household, series: RecurringSeries, value: bool = True) -> RecurringSeries:
    """'This is not a subscription' (or undo it): the nightly detection keeps the user's word."""
    _check_household(household, series)
    series.user_marked_not_subscription = value
    series.save(update_fields=["user_marked_not_subscription", "updated_at"])
    return series


@transaction.atomic
def recurring_series_mark_cancelled(household, series: RecurringSeries, value: bool = True) -> RecurringSeries:
    """The user cancelled it (or undoes that): it leaves the monthly cost and the forecast. A new charge after the
    mark shows the cancellation did not happen; the detection then reactivates the series."""
    _check_household(household, series)
    series.user_cancelled = value
    series.status = RecurringSeries.Status.CANCELLED if value else RecurringSeries.Status.ACTIVE
    series.save(update_fields=["user_cancelled", "status", "updated_at"])
    return series


@transaction.atomic
def anomaly_dismiss(household, anomaly: Anomaly) -> Anomaly:
    """'This is normal': closes the anomaly and remembers each of its (merchant, reason) patterns so they are never
    flagged again for this household; other open anomalies those patterns fully explain are closed with it."""
    from ml.anomalies import TRIGGERS

    _check_household(household, anomaly)
    anomaly.status = Anomaly.Status.DISMISSED
    anomaly.save(update_fields=["status"])
    merchant = anomaly.transaction.merchant
    if not merchant:  # no pattern to learn: the dismissed row itself keeps the transaction from being flagged again
        return anomaly
    kinds = {reason["kind"] for reason in anomaly.reasons}
    DismissedAnomalyPattern.objects.bulk_create(
        (DismissedAnomalyPattern(household=household, merchant=merchant, reason_kind=kind) for kind in kinds),
        ignore_conflicts=True,
    )
    explained = [
        other.pk
        for other in Anomaly.objects.for_household(household).filter(
            status=Anomaly.Status.OPEN, transaction__merchant=merchant
        )
        if not any(r["kind"] in TRIGGERS and r["kind"] not in kinds for r in other.reasons)
    ]
    Anomaly.objects.filter(pk__in=explained).update(status=Anomaly.Status.DISMISSED)
    return anomaly


@transaction.atomic
def anomaly_confirm(household, anomaly: Anomaly) -> Anomaly:
    """'Yes, this was wrong' (a charge to dispute): kept as confirmed for the record and the coach."""
    _check_household(household, anomaly)
    anomaly.status = Anomaly.Status.CONFIRMED
    anomaly.save(update_fields=["status"])
    return anomaly
