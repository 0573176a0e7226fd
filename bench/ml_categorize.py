"""Categoriser speed: artefact load time, batch throughput and single-call latency.

Run: .venv/bin/python bench/ml_categorize.py [--rows 100000] [--batch 10000]
Descriptions come from the held-out corpus (realistic raw bank text the model has not trained on).
Figures are medians of --repeat runs, wall time and CPU time (the machine is shared: CPU time is the steadier).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ml.categorizer import DEFAULT_ARTIFACT, Categorizer
from ml.corpus import build_holdout_corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000, help="descriptions to categorise")
    parser.add_argument("--batch", type=int, default=10_000, help="descriptions per predict() call")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (medians are printed)")
    args = parser.parse_args()

    loads = [_timed(Categorizer.load) for _ in range(args.repeat)]
    model = Categorizer.load()

    corpus = build_holdout_corpus(seed=1)
    rows = [corpus[i % len(corpus)] for i in range(args.rows)]
    descriptions = [r.description for r in rows]
    amounts = [r.amount for r in rows]
    kinds = [r.account_type for r in rows]

    model.predict(descriptions[:100], amounts[:100], kinds[:100])  # warm-up

    def categorise_all() -> None:
        for start in range(0, args.rows, args.batch):
            stop = start + args.batch
            model.predict(descriptions[start:stop], amounts[start:stop], kinds[start:stop])

    batches = [_timed(categorise_all) for _ in range(args.repeat)]

    latencies = []
    for i in range(200):
        t = time.perf_counter()
        model.predict(descriptions[i : i + 1], amounts[i : i + 1], kinds[i : i + 1])
        latencies.append((time.perf_counter() - t) * 1000)

    print(f"artefact       {DEFAULT_ARTIFACT.name} ({DEFAULT_ARTIFACT.stat().st_size / 1e6:.1f} MB), {model.version}")
    load_wall, load_cpu = _medians(loads)
    batch_wall, batch_cpu = _medians(batches)
    print(f"load           {load_wall * 1000:.0f} ms wall, {load_cpu * 1000:.0f} ms CPU (median of {args.repeat})")
    # The first load in a process also reads the brand lexicon (kept for the process's lifetime).
    print(f"first load     {loads[0][0] * 1000:.0f} ms wall, {loads[0][1] * 1000:.0f} ms CPU (with the brand lexicon)")
    print(
        f"batch          {args.rows:,} descriptions in {batch_wall:.2f} s wall / {batch_cpu:.2f} s CPU "
        f"= {args.rows / batch_wall:,.0f} descriptions/s wall, {args.rows / batch_cpu:,.0f} per CPU-second "
        f"(batches of {args.batch:,}, median of {args.repeat})"
    )
    print(
        f"single call    median {statistics.median(latencies):.2f} ms, "
        f"p95 {statistics.quantiles(latencies, n=20)[-1]:.2f} ms"
    )


def _timed(task) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) taken by `task()`."""
    wall, cpu = time.perf_counter(), time.process_time()
    task()
    return time.perf_counter() - wall, time.process_time() - cpu


def _medians(samples: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples)


if __name__ == "__main__":
    main()
