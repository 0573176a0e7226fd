"""Bank-file parsing speed and memory.

Generates Chase-checking-style CSVs (realistic descriptions, the bank's trailing empty field), then reports:
  - detect() + parse() time for 100,000 rows (from bytes and from a file on disk), best of three;
  - peak traced memory while streaming 10,000 vs 100,000 rows from a file (flat = streaming works);
  - parse() plus fingerprinting (assign_occurrences), what the import service runs before its inserts;
  - peak RSS of a fresh process streaming 10,000 vs 100,000 rows;
  - normalize_merchant() throughput, uncached and with its cache.

Run: .venv/bin/python bench/parse_csv.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from transactions.importing import assign_occurrences, detect, parse
from transactions.merchants import normalize_merchant

MERCHANTS = [
    "SQ *BLUE BOTTLE COFFEE OAKLAND CA",
    "CHECKCARD {mmdd} PANERA BREAD #{store} PHILADELPHIA PA {ref}",
    "PURCHASE AUTHORIZED ON {mm}/{dd} STARBUCKS STORE {store} SEATTLE WA S{ref} CARD 4821",
    "TST* SHAKE SHACK {store} NEW YORK NY",
    "AMAZON MKTPL*{code} Amzn.com/bill WA",
    "UBER   *TRIP HELP.UBER.COM CA",
    "NETFLIX.COM 866-579-7172 CA",
    "SHELL OIL {store} HOUSTON TX",
    "TRADER JOE S #{store} SAN FRANCISCO CA",
    "WHOLEFDS MKT {store} AUSTIN TX",
    "COSTCO WHSE #{store} SAN JOSE CA",
    "ATM WITHDRAWAL {ref} 1ST AVE NEW YORK NY",
    "PAYPAL *SPOTIFY {ref}",
    "CVS/PHARMACY #{store} BOSTON MA",
    "ZELLE PAYMENT TO JOHN SMITH {ref}",
    "PAYROLL ACME CORP PPD ID: {ref}",
    "COMCAST CABLE COMM 800-266-2278 PA",
    "DEBIT CARD PURCHASE - CHIPOTLE {store} DENVER CO",
]


def generate_csv(rows: int, seed: int = 7) -> bytes:
    """A Chase checking export: header, then rows carrying one more (empty) field than the header."""
    rng = random.Random(seed)
    lines = ["Details,Posting Date,Description,Amount,Type,Balance,Check or Slip #"]
    balance = Decimal("25000.00")
    for _ in range(rows):
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        template = rng.choice(MERCHANTS)
        description = template.format(
            mmdd=f"{month:02d}{day:02d}",
            mm=f"{month:02d}",
            dd=f"{day:02d}",
            store=rng.randint(100, 99999),
            ref=rng.randint(10**9, 10**12),
            code=f"{rng.randint(0, 36**6):X}",
        )
        amount = Decimal(rng.randint(-30000, 4000)) / 100
        balance += amount
        details = "CREDIT" if amount > 0 else "DEBIT"
        lines.append(f'{details},{month:02d}/{day:02d}/2024,"{description}",{amount},ACH,{balance},,')
    return ("\n".join(lines) + "\n").encode()


def cpu_seconds(function, repeat: int = 3) -> float:
    """Best CPU seconds of `repeat` runs (steady on a machine shared with other work)."""
    return min(_run_once(function)[1] for _ in range(repeat))


def _run_once(function) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    function()
    return time.perf_counter() - wall, time.process_time() - cpu


def wall_and_cpu(function, repeat: int = 3) -> str:
    """Best of `repeat` runs as "wall ms (CPU ms)": CPU time shows our own work on a busy machine."""
    wall, cpu = min(_run_once(function) for _ in range(repeat))
    return f"{wall * 1000:7.0f} ms wall ({cpu * 1000:4.0f} ms CPU)"


def consume(data, name: str = "chase.csv") -> int:
    return sum(1 for _ in parse(data, name))


def consume_with_keys(data) -> int:
    return sum(1 for _ in assign_occurrences(parse(data, "chase.csv")))


def traced_peak_mb(path: Path) -> tuple[float, int]:
    """Peak Python allocations while streaming a file from disk."""
    tracemalloc.start()
    with path.open("rb") as handle:
        count = consume(handle)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1024 / 1024, count


def rss_mb_in_fresh_process(path: Path) -> float:
    """Peak RSS of a new interpreter that streams the file (imports included, nothing else)."""
    output = subprocess.run(
        [sys.executable, __file__, "--stream-only", str(path)], check=True, capture_output=True, text=True
    )
    return float(output.stdout.strip())


def merchant_rates(data: bytes) -> tuple[float, float]:
    reader = csv.reader(io.StringIO(data.decode()))
    next(reader)
    descriptions = [row[2] for _, row in zip(range(20_000), reader, strict=False)]
    normalize_merchant.cache_clear()
    uncached = cpu_seconds(lambda: [normalize_merchant(d) for d in descriptions], repeat=1)
    cached = cpu_seconds(lambda: [normalize_merchant(d) for d in descriptions])
    return len(descriptions) / uncached, len(descriptions) / cached


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--stream-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stream_only:
        with args.stream_only.open("rb") as handle:
            consume(handle)
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        return

    data = generate_csv(args.rows)
    print(f"generated {args.rows:,} rows, {len(data) / 1024 / 1024:.1f} MB; best of 3 runs")
    print(f"detect() (layout, preview):              {wall_and_cpu(lambda: detect(data, 'chase.csv'))}")
    print(f"parse(), all rows, from bytes:           {wall_and_cpu(lambda: consume(data))}")
    print(f"parse() + assign_occurrences():          {wall_and_cpu(lambda: consume_with_keys(data))}")

    with tempfile.TemporaryDirectory() as folder:
        small, large = Path(folder, "small.csv"), Path(folder, "large.csv")
        small.write_bytes(generate_csv(args.rows // 10))
        large.write_bytes(data)
        print(f"parse(), all rows, from a file on disk:  {wall_and_cpu(lambda: consume(large.open('rb')))}")
        for path in (small, large):
            peak, count = traced_peak_mb(path)
            rss = rss_mb_in_fresh_process(path)
            print(f"streaming {count:>7,} rows from disk: traced peak {peak:5.2f} MB, process peak RSS {rss:5.0f} MB")

    uncached, cached = merchant_rates(data)
    print(f"normalize_merchant(): {uncached:9,.0f}/s uncached, {cached:11,.0f}/s cached (per CPU second)")


if __name__ == "__main__":
    main()
