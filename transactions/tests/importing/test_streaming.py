"""Memory stays flat as files grow, and the package stands alone without Django."""

from __future__ import annotations

import subprocess
import sys
import tracemalloc
from pathlib import Path

from transactions.importing import parse

REPO_ROOT = Path(__file__).resolve().parents[3]


def write_statement(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("Details,Posting Date,Description,Amount,Type,Balance,Check or Slip #\n")
        for index in range(rows):
            day = index % 28 + 1
            handle.write(
                f'DEBIT,01/{day:02d}/2025,"POS PURCHASE SHOP {index} SEATTLE WA",-{index % 97}.25,'
                f"DEBIT_CARD,{index}.00,,\n"
            )


def peak_while_streaming(path: Path) -> tuple[int, int]:
    tracemalloc.start()
    try:
        with path.open("rb") as handle:
            stream = parse(handle, path.name)
            count = sum(1 for _ in stream)
        return tracemalloc.get_traced_memory()[1], count
    finally:
        tracemalloc.stop()


def test_peak_memory_does_not_grow_with_the_number_of_rows(tmp_path):
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    write_statement(small, 2_000)
    write_statement(large, 20_000)
    small_peak, small_count = peak_while_streaming(small)
    large_peak, large_count = peak_while_streaming(large)
    assert (small_count, large_count) == (2_000, 20_000)
    assert large_peak < small_peak * 1.5  # ten times the rows, (nearly) the same memory


def test_importing_needs_no_django():
    code = (
        "import sys, transactions.importing, transactions.merchants, transactions.importing.export\n"
        "loaded = [m for m in sys.modules if m == 'django' or m.startswith('django.')]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, check=True)
