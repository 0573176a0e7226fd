"""Categoriser speed: artefact load time, batch throughput and single-call latency.

Run: .venv/bin/python bench/ml_categorize.py [--rows 100000] [--batch 10000]
Descriptions come from the held-out corpus (realistic raw bank text the model has not trained on).
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
    args = parser.parse_args()

    started = time.perf_counter()
    model = Categorizer.load()
    load_seconds = time.perf_counter() - started

    corpus = build_holdout_corpus(seed=1)
    rows = [corpus[i % len(corpus)] for i in range(args.rows)]
    descriptions = [r.description for r in rows]
    amounts = [r.amount for r in rows]
    kinds = [r.account_type for r in rows]

    model.predict(descriptions[:100], amounts[:100], kinds[:100])  # warm-up
    started = time.perf_counter()
    for start in range(0, args.rows, args.batch):
        stop = start + args.batch
        model.predict(descriptions[start:stop], amounts[start:stop], kinds[start:stop])
    batch_seconds = time.perf_counter() - started

    latencies = []
    for i in range(200):
        t = time.perf_counter()
        model.predict(descriptions[i : i + 1], amounts[i : i + 1], kinds[i : i + 1])
        latencies.append((time.perf_counter() - t) * 1000)

    print(f"artefact       {DEFAULT_ARTIFACT.name} ({DEFAULT_ARTIFACT.stat().st_size / 1e6:.1f} MB), {model.version}")
    print(f"load           {load_seconds * 1000:.0f} ms")
    print(
        f"batch          {args.rows:,} descriptions in {batch_seconds:.2f} s "
        f"= {args.rows / batch_seconds:,.0f} descriptions/s (batches of {args.batch:,})"
    )
    print(
        f"single call    median {statistics.median(latencies):.2f} ms, "
        f"p95 {statistics.quantiles(latencies, n=20)[-1]:.2f} ms"
    )


if __name__ == "__main__":
    main()
