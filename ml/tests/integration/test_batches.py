"""The batch plumbing: Celery task names, the beat schedule, the demo hook and `ml_report`."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from fincoach.demo import DemoContext
from ml import demo, tasks
from ml.models import Anomaly, BalanceForecast, ModelRun, PersonaAssignment, RecurringSeries
from ml.tests.factories import synthetic_household_in_db

pytestmark = pytest.mark.django_db
BATCH_TASKS = ("ml.train_categorizer", "ml.detect_recurring", "ml.detect_anomalies", "ml.cluster_personas",
               "ml.forecast_balances")  # fmt: skip


def test_beat_schedule_has_every_batch():
    call_command("setup_periodic_tasks", stdout=io.StringIO())
    scheduled = dict(PeriodicTask.objects.filter(task__startswith="ml.").values_list("task", "crontab__hour"))
    assert set(scheduled) == set(BATCH_TASKS)
    assert scheduled["ml.detect_recurring"] < scheduled["ml.forecast_balances"]  # the forecast uses the series


def test_tasks_run_their_service(household):
    synthetic_household_in_db(household, seed=3, months=12)
    result = tasks.detect_recurring.delay([household.pk]).get()
    assert result["series"] == RecurringSeries.objects.count() > 0
    assert tasks.detect_recurring.name == "ml.detect_recurring"
    assert ModelRun.objects.filter(kind="detect_recurring", status="ok").count() == 1


def test_a_failed_batch_is_recorded(monkeypatch, household):
    from ml.services import recurring

    def broken(frame):
        raise RuntimeError("model exploded")

    monkeypatch.setattr(recurring.detection, "detect_recurring", broken)
    synthetic_household_in_db(household, seed=3, months=2)
    with pytest.raises(RuntimeError):
        recurring.recurring_detect([household.pk])
    run = ModelRun.objects.get(kind="detect_recurring")
    assert (run.status, run.error) == ("failed", "RuntimeError: model exploded")
    assert run.finished_at is not None


def test_demo_gives_every_page_something_true(household, member):
    from transactions import demo as money_demo

    context = DemoContext(household=household, user=member, months=12, index=0, seed=1000)
    money_demo.seed_demo(context)
    first = demo.seed_demo(context)
    again = demo.seed_demo(context)

    assert first == again  # idempotent
    assert first["recurring series"] == RecurringSeries.objects.for_household(household).count() > 3
    assert first["persona"] == PersonaAssignment.objects.for_household(household).count() == 1
    assert first["anomalies"] == Anomaly.objects.for_household(household).count()
    assert BalanceForecast.objects.for_household(household).filter(is_current=True).count() == first["forecasts"] > 0
    assert RecurringSeries.objects.for_household(household).filter(is_subscription=True).exists()


REPORT = {
    "seed": 0,
    "categorizer": {"accuracy": 0.9312, "examples": 8873, "per_category": {}},
    "forecast": {"mae": {"naive": 1502.92, "cashflow": 416.4, "prophet": 718.25, "chosen": 416.4}},
    "personas": {"k": 4, "silhouette": 0.1914},
    "anomalies": {"precision": 0.7258, "recall": 0.75},
    "recurring": {"precision": 0.997, "recall": 0.9851},
}


def test_ml_report(monkeypatch):
    """The command prints `ml.evaluation.evaluate_all` (which takes a minute; its figures are tested there)."""
    import ml.evaluation

    monkeypatch.setattr(ml.evaluation, "evaluate_all", lambda seed: {**REPORT, "seed": seed})
    out = io.StringIO()
    call_command("ml_report", "--json", "--seed", "3", stdout=out)
    assert json.loads(out.getvalue()) == {**REPORT, "seed": 3}
    out = io.StringIO()
    call_command("ml_report", stdout=out)
    assert out.getvalue().splitlines() == [
        "Categoriser: 93.1% top-1 accuracy on 8,873 held-out examples",
        "Forecast 30-day MAE: naive 1,502.92, cashflow 416.40, prophet 718.25, chosen 416.40",
        "Personas: k=4, silhouette 0.191",
        "Anomalies: precision 0.7258, recall 0.75",
        "Recurring: precision 0.997, recall 0.9851",
    ]


def test_whole_install_runs_fan_out_in_chunks(monkeypatch, household, other_household):
    from accounts.models import Household

    monkeypatch.setattr(tasks, "FAN_OUT_HOUSEHOLDS", 1)
    households = Household.objects.count()
    result = tasks.forecast_balances.delay().get()
    assert result == {"dispatched": households, "households": households}
    runs = ModelRun.objects.filter(kind="forecast_balances")
    assert runs.count() == households and set(runs.values_list("households", flat=True)) == {1}
