"""Fingerprints and occurrence counters for duplicate detection."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from transactions.importing import FingerprintedRow, RowError, assign_occurrences, fingerprint, parse

D = dt.date

COFFEES = b"""Date,Description,Amount
2025-01-02,BLUE BOTTLE COFFEE,-4.50
2025-01-02,BLUE BOTTLE COFFEE,-4.50
2025-01-02,Bakery,-3.00
2025-01-03,BLUE BOTTLE COFFEE,-4.50
"""


def keys(data: bytes) -> list[tuple[str, int]]:
    return [(item.fingerprint, item.occurrence) for item in assign_occurrences(parse(data, "x.csv"))]


def test_fingerprint_is_short_stable_hex():
    value = fingerprint(D(2025, 1, 2), Decimal("-4.50"), "BLUE BOTTLE COFFEE")
    assert len(value) == 16 and int(value, 16) >= 0
    assert value == fingerprint(D(2025, 1, 2), Decimal("-4.50"), "BLUE BOTTLE COFFEE")


def test_fingerprint_ignores_case_spacing_punctuation_and_trailing_zeros():
    base = fingerprint(D(2025, 1, 2), Decimal("-4.50"), "Blue Bottle Coffee")
    assert fingerprint(D(2025, 1, 2), Decimal("-4.5"), "BLUE  BOTTLE, COFFEE.") == base


def test_fingerprint_changes_with_date_amount_or_words():
    base = fingerprint(D(2025, 1, 2), Decimal("-4.50"), "Blue Bottle Coffee")
    assert fingerprint(D(2025, 1, 3), Decimal("-4.50"), "Blue Bottle Coffee") != base
    assert fingerprint(D(2025, 1, 2), Decimal("4.50"), "Blue Bottle Coffee") != base
    assert fingerprint(D(2025, 1, 2), Decimal("-4.50"), "Blue Bottle Tea") != base


def test_identical_genuine_rows_get_increasing_occurrences():
    result = keys(COFFEES)
    assert [occurrence for _, occurrence in result] == [1, 2, 1, 1]
    assert result[0][0] == result[1][0] != result[3][0]


def test_reimporting_the_same_file_gives_the_same_keys():
    assert keys(COFFEES) == keys(COFFEES)


def test_overlapping_export_reproduces_the_keys_of_the_shared_days():
    later = b"""Date,Description,Amount
2025-01-02,BLUE BOTTLE COFFEE,-4.50
2025-01-02,BLUE BOTTLE COFFEE,-4.50
2025-01-02,Bakery,-3.00
2025-01-03,BLUE BOTTLE COFFEE,-4.50
2025-01-04,Lunch,-11.00
"""
    first, second = set(keys(COFFEES)), keys(later)
    new = [key for key in second if key not in first]
    assert len(new) == 1  # only the lunch on the 4th is new


def test_row_errors_pass_through_unchanged():
    data = b"Date,Description,Amount\n2025-01-02,A,-1.00\n2025-01-03,B,oops\n"
    items = list(assign_occurrences(parse(data, "x.csv")))
    assert isinstance(items[0], FingerprintedRow) and items[0].row.description == "A"
    assert items[1] == RowError(3, "line 3: amount 'oops' is not a number")
