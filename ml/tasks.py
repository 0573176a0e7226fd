"""Celery tasks of the ML engine: thin, idempotent wrappers that call one service each and return its summary.

Batch tasks take an optional list of household ids (all households when omitted), so the beat schedule runs them
for everyone and other code can refresh one household. The slow per-household batches (anomalies, forecasts) fan
out for the whole install: one task per `FAN_OUT_HOUSEHOLDS` households, which the workers run in parallel (each
records its own ModelRun). Services are imported inside the tasks: the model code (scikit-learn, Prophet) loads
only in the process that runs them, not in every web process that queues one.
"""

from __future__ import annotations

from celery import group, shared_task
from django.db import OperationalError

from accounts.models import Household

RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": True, "retry_jitter": True, "max_retries": 3}
FAN_OUT_HOUSEHOLDS = 100


def _fan_out(task, household_ids: list[int] | None) -> dict | None:
    """For a whole-install run with more than one chunk of households, queue one task per chunk and say so."""
    if household_ids is not None:
        return None
    from .services.reading import chunks, households_to_run

    parts = list(chunks(households_to_run(), FAN_OUT_HOUSEHOLDS))
    if len(parts) <= 1:
        return None
    group(task.s(part) for part in parts).apply_async()
    return {"dispatched": len(parts), "households": sum(len(part) for part in parts)}


@shared_task(name="ml.train_categorizer", **RETRY)
def train_categorizer() -> dict:
    from .services.training import categorizer_train

    return categorizer_train()


@shared_task(name="ml.detect_recurring", **RETRY)
def detect_recurring(household_ids: list[int] | None = None) -> dict:
    from .services.recurring import recurring_detect

    return recurring_detect(household_ids)


@shared_task(name="ml.detect_anomalies", **RETRY)
def detect_anomalies(household_ids: list[int] | None = None) -> dict:
    from .services.anomalies import anomalies_detect

    return _fan_out(detect_anomalies, household_ids) or anomalies_detect(household_ids)


@shared_task(name="ml.cluster_personas", **RETRY)
def cluster_personas(household_ids: list[int] | None = None) -> dict:
    from .services.personas import personas_assign

    return personas_assign(household_ids)


@shared_task(name="ml.forecast_balances", **RETRY)
def forecast_balances(household_ids: list[int] | None = None) -> dict:
    from .services.forecasts import balance_forecasts_refresh

    return _fan_out(forecast_balances, household_ids) or balance_forecasts_refresh(household_ids)


@shared_task(name="ml.check_anomalies", **RETRY)
def check_anomalies(household_id: int, transaction_ids: list[int]) -> int:
    """Check freshly written transactions for anomalies (the cheap path after an import or sync)."""
    from .services.anomalies import anomalies_check_new

    household = Household.objects.filter(pk=household_id).first()
    if household is None:
        return 0
    return len(anomalies_check_new(household, transaction_ids))
