"""The amount and date primitives the readers are built on."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from transactions.importing.amounts import AmountError, infer_decimal_comma, parse_amount
from transactions.importing.dates import DateColumnTally, DateParser, describe_format


@pytest.mark.parametrize(
    ("text", "decimal_comma", "expected"),
    [
        ("12.50", False, "12.50"),
        ("-12.50", False, "-12.50"),
        ("1,234.56", False, "1234.56"),
        ("12,34,567.00", False, "1234567.00"),  # Indian grouping
        ("1.234,56", True, "1234.56"),
        ("-1.234.567,8", True, "-1234567.8"),
        ("12,50-", True, "-12.50"),
        ("(12.50)", False, "-12.50"),
        ("$1,234.56", False, "1234.56"),
        ("-$5", False, "-5"),
        ("€ 1 234,56", True, "1234.56"),
        ("1\u202f234,56 €", True, "1234.56"),
        ("EUR -3,20", True, "-3.20"),
        ("12.50 DR", False, "-12.50"),
        ("12.50 CR", False, "12.50"),
        ("12,50 S", True, "-12.50"),
        ("12,50 H", True, "12.50"),
        ("+5", False, "5"),
        ("1'234.50", False, "1234.50"),
        ("\u22123.00", False, "-3.00"),  # typographic minus
        (".50", False, "0.50"),
    ],
)
def test_parse_amount(text, decimal_comma, expected):
    assert parse_amount(text, decimal_comma) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "decimal_comma", "message"),
    [
        ("abc", False, "amount 'abc' is not a number"),
        ("", False, "amount is empty"),
        ("1e5", False, "is not a number"),
        ("NaN", False, "is not a number"),
        ("--5", False, "is not a number"),
        ("12.5.6", False, "misplaced separators"),
        ("12,50", False, "does not fit the file's decimal point"),
        ("12.50", True, "does not fit the file's decimal comma"),
    ],
)
def test_parse_amount_rejects_with_a_reason(text, decimal_comma, message):
    with pytest.raises(AmountError, match=message):
        parse_amount(text, decimal_comma)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["12,50", "1.234,56"], True),
        (["12.50", "1,234.56"], False),
        (["1.234.567"], True),
        (["1,234"], None),  # thousands or three decimals: undecided
        (["7"], None),
        (["12,50", "3,10", "9.99"], True),  # majority wins over a stray value
    ],
)
def test_infer_decimal_comma(values, expected):
    assert infer_decimal_comma(values) is expected


def test_date_parser_caches_and_explains():
    parse_date = DateParser("%d/%m/%Y")
    assert parse_date("03/01/2025") == dt.date(2025, 1, 3)
    assert parse_date.cache["03/01/2025"] == dt.date(2025, 1, 3)
    with pytest.raises(ValueError, match="date '31/02/2025' does not match the format DD/MM/YYYY"):
        parse_date("31/02/2025")


def test_date_parser_accepts_unambiguous_values_in_another_format():
    assert DateParser("%m/%d/%Y")("2025-01-20") == dt.date(2025, 1, 20)


def test_date_parser_with_a_custom_strptime_format():
    assert DateParser("%Y/%j")("2025/032") == dt.date(2025, 2, 1)


def test_two_digit_years_pivot_like_strptime():
    parse_date = DateParser("%d.%m.%y")
    assert parse_date("01.01.68") == dt.date(2068, 1, 1)
    assert parse_date("01.01.69") == dt.date(1969, 1, 1)


def test_month_names_in_english_and_german():
    assert DateParser("%d %b %Y")("03 Jan 2025") == dt.date(2025, 1, 3)
    assert DateParser("%d %b %Y")("03 Mär 2025") == dt.date(2025, 3, 3)


def test_tally_prefers_the_format_reading_most_values():
    tally = DateColumnTally()
    tally.add_all(["01/02/2025", "03/04/2025", "25/04/2025", "garbage"])
    inference = tally.decide(preferred="%m/%d/%Y", day_first_default=False)
    assert (inference.format, inference.ambiguous) == ("%d/%m/%Y", False)


def test_tally_breaks_ties_with_the_preference_then_the_locale():
    tally = DateColumnTally()
    tally.add_all(["01/02/2025", "03/04/2025"])
    assert tally.decide("%d/%m/%Y", day_first_default=False).format == "%d/%m/%Y"
    assert tally.decide(None, day_first_default=True).format == "%d/%m/%Y"
    assert tally.decide(None, day_first_default=False).format == "%m/%d/%Y"
    assert tally.decide(None, day_first_default=False).ambiguous


def test_describe_format():
    assert describe_format("%Y%m%d") == "YYYYMMDD"
    assert describe_format("%Y/%j") == "%Y/%j"
