"""`categorize`: TSV on stdin → JSON lines (the contract in DESIGN.md)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from transactions.taxonomy import PRIMARY_CODES


def run(text: str) -> tuple[list[dict], str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("categorize", "--json", stdin=io.StringIO(text), stdout=out, stderr=err)
    return [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def test_contract(real_categorizer):
    rows, errors = run(
        "description\tamount\n"
        "STARBUCKS STORE 10442 SEATTLE WA\t-5.75\n"
        "NETFLIX.COM 866-579-7172 CA\t-15.49\n"
        "\n"
        "ACME CORP PAYROLL PPD ID: 9110\t2,450.00\n"
    )
    assert errors == ""
    assert [(r["description"], r["amount"]) for r in rows] == [
        ("STARBUCKS STORE 10442 SEATTLE WA", "-5.75"),
        ("NETFLIX.COM 866-579-7172 CA", "-15.49"),
        ("ACME CORP PAYROLL PPD ID: 9110", "2450.00"),
    ]
    for row in rows:
        assert set(row) == {"description", "amount", "category", "confidence"}
        assert row["category"] in PRIMARY_CODES
        assert 0 <= row["confidence"] <= 1
    assert rows[0]["category"] == "FOOD_AND_DRINK"
    assert rows[1]["category"] == "ENTERTAINMENT"


def test_header_only_gives_no_rows(real_categorizer):
    assert run("description\tamount\n") == ([], "")


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "no input"),
        ("desc,amount\nCOFFEE,-3\n", "line 1: expected the header"),
    ],
)
def test_bad_input_is_refused_clearly(real_categorizer, text, message):
    with pytest.raises(CommandError, match=message):
        run(text)


def test_bad_rows_are_reported_with_line_numbers_and_the_rest_categorised(real_categorizer):
    out, err = io.StringIO(), io.StringIO()
    text = "description\tamount\nSHELL OIL 57442\t-40.10\nBAD ROW\tabc\nONLY ONE FIELD\n\t-3.00\nUBER TRIP\t-12.00\n"
    with pytest.raises(CommandError, match="3 row"):
        call_command("categorize", stdin=io.StringIO(text), stdout=out, stderr=err)
    assert [json.loads(line)["description"] for line in out.getvalue().splitlines()] == ["SHELL OIL 57442", "UBER TRIP"]
    assert err.getvalue().splitlines() == [
        "line 3: amount 'abc' is not a number like -12.50",
        "line 4: expected 2 tab-separated fields (description, amount), found 1",
        "line 5: the description is empty",
    ]
