"""The nightly ML batches end to end through the database: recurring, anomalies, forecasts and personas for N
households (default 1,000) with a year of generated history each.

Run: .venv/bin/python bench/nightly_batches.py [--households 1000] [--workers 2]
     (DATABASE_URL=postgres://... to measure on PostgreSQL; default: a SQLite file in var/)

The households are generated and bulk-inserted once (not timed; reused on the next run). Each batch is then
timed as the beat runs it - for every household - with its query count, and the time spent in the transactions
query and frame building ("read"). With `--workers N`, anomalies and forecasts also run as the Celery fan-out
does: the households in chunks of `ml.tasks.FAN_OUT_HOUSEHOLDS` shared by N worker processes.

Besides wall time, CPU seconds are printed (this process's, or the workers' together): on a shared machine the wall
time also measures the neighbours, the CPU time does not.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fincoach.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-nightly.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import Household  # noqa: E402
from ml.services import anomalies, forecasts, personas, reading, recurring  # noqa: E402
from ml.services.reading import chunks  # noqa: E402
from ml.synthetic import DEFAULT_START, generate_household  # noqa: E402
from ml.tasks import FAN_OUT_HOUSEHOLDS  # noqa: E402
from ml.tests.factories import synthetic_household_in_db  # noqa: E402

PREFIX = "bench-nightly-"
BATCHES = ("recurring", "anomalies", "forecasts", "personas")
FANNED_OUT = ("anomalies", "forecasts")


def seed(count: int) -> list[int]:
    have = list(Household.objects.filter(name__startswith=PREFIX).order_by("pk").values_list("pk", flat=True))
    started = time.perf_counter()
    for i in range(len(have), count):
        household = Household.objects.create(name=f"{PREFIX}{i}")
        synthetic_household_in_db(household, seed=50_000 + i, months=12, descriptors=False)
        have.append(household.pk)
        if (i + 1) % 100 == 0:
            print(f"  seeded {i + 1:,} households ({time.perf_counter() - started:.0f} s)", flush=True)
    return have[:count]


class ReadTimer:
    """Adds up the time spent in `reading.transaction_frames` (the query and the frames) during a batch."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._original = reading.transaction_frames

    def __enter__(self) -> ReadTimer:
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return self._original(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started

        for module in (reading, recurring, anomalies, forecasts):
            module.transaction_frames = timed
        return self

    def __exit__(self, *exc) -> None:
        for module in (reading, recurring, anomalies, forecasts):
            module.transaction_frames = self._original


def _run_part(job: tuple[str, list[int], object]) -> int:
    name, part, as_of = job
    if name == "anomalies":
        anomalies.anomalies_detect(part)
    else:
        forecasts.balance_forecasts_refresh(part, as_of=as_of)
    return len(part)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def fanned_out(name: str, ids: list[int], as_of, workers: int) -> tuple[float, float]:
    """Wall seconds and the workers' CPU seconds for the batch split in chunks over `workers` processes (as Celery
    workers run the fan-out)."""
    connections.close_all()  # each forked worker opens its own connection
    cpu, started = _children_cpu(), time.perf_counter()
    pool = multiprocessing.get_context("fork").Pool(workers)
    done = sum(pool.map(_run_part, [(name, part, as_of) for part in chunks(ids, FAN_OUT_HOUSEHOLDS)]))
    pool.close()
    pool.join()  # the workers exit and are waited for: their CPU time is counted
    assert done == len(ids)
    return time.perf_counter() - started, _children_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--households", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2, help="processes for the fanned-out batches (0: skip)")
    parser.add_argument("--only", nargs="*", choices=BATCHES, default=BATCHES, help="run only these batches")
    parser.add_argument("--fanned-only", action="store_true", help="skip the one-process runs of fanned-out batches")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    print(f"database       {connection.vendor}")
    ids = seed(args.households)
    as_of = generate_household(50_000, months=12, descriptors=False).end
    assert as_of.year == DEFAULT_START.year
    batches = (
        ("recurring", lambda: recurring.recurring_detect(ids)),
        ("anomalies", lambda: anomalies.anomalies_detect(ids)),
        ("forecasts", lambda: forecasts.balance_forecasts_refresh(ids, as_of=as_of)),
        ("personas", lambda: personas.personas_assign(ids, as_of=as_of)),
    )
    total = 0.0
    for name, run in batches:
        if name not in args.only or (args.fanned_only and args.workers > 1 and name in FANNED_OUT):
            continue
        reset_queries()
        with CaptureQueriesContext(connection) as queries, ReadTimer() as read:
            started, cpu = time.perf_counter(), time.process_time()
            summary = run()
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        total += seconds
        figures = {k: v for k, v in summary.items() if isinstance(v, int | float) and k != "run_id"}
        print(
            f"{name:<14} {len(ids):,} households in {seconds:6.1f} s, CPU {cpu:6.1f} s  ({len(queries):,} queries, "
            f"read {read.seconds:.1f} s)  {figures}",
            flush=True,
        )
    print(f"all batches    {total:.1f} s (one process)")
    if args.workers > 1:
        for name in (n for n in FANNED_OUT if n in args.only):
            seconds, cpu = fanned_out(name, ids, as_of, args.workers)
            print(
                f"{name:<14} {len(ids):,} households in {seconds:6.1f} s on {args.workers} worker processes "
                f"(CPU {cpu:.1f} s in all)",
                flush=True,
            )


if __name__ == "__main__":
    main()
