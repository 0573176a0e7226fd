"""Every batch writes a ModelRun: what ran, for how many households, how well, and how it ended."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.utils import timezone

from ml.models import ModelRun


@dataclass
class RunRecorder:
    """Filled in by the batch while it runs; saved on the ModelRun when it ends."""

    run: ModelRun
    metrics: dict = field(default_factory=dict)
    households: int = 0
    model_version: str = ""


@contextmanager
def model_run(kind: str, *, model_version: str = "") -> Iterator[RunRecorder]:
    """Record a batch as a ModelRun: RUNNING while it works, then OK with its metrics, or FAILED with the error
    (the exception is re-raised so Celery retries and commands exit non-zero)."""
    run = ModelRun.objects.create(kind=kind, model_version=model_version)
    recorder = RunRecorder(run=run, model_version=model_version)
    started = timezone.now()
    try:
        yield recorder
    except Exception as exc:
        _finish(recorder, ModelRun.Status.FAILED, started, error=f"{type(exc).__name__}: {exc}")
        raise
    _finish(recorder, ModelRun.Status.OK, started)


def _finish(recorder: RunRecorder, status: str, started, error: str = "") -> None:
    run = recorder.run
    run.status = status
    run.finished_at = timezone.now()
    run.households = recorder.households
    run.model_version = recorder.model_version[:80]
    run.metrics = {**recorder.metrics, "seconds": round((run.finished_at - started).total_seconds(), 3)}
    run.error = error
    run.save(update_fields=["status", "finished_at", "households", "model_version", "metrics", "error"])
