"""`import_transactions` and `export_transactions`: the command-line contract of DESIGN.md."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from transactions.models import FinancialAccount, Transaction

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


def import_json(path, email, account="Chase") -> dict:
    out = io.StringIO()
    call_command("import_transactions", str(path), user=email, account=account, json=True, stdout=out)
    return json.loads(out.getvalue())


def test_import_prints_the_json_contract_and_creates_the_account(member, household):
    summary = import_json(FIXTURES / "chase_checking.csv", member.email)

    assert summary == {
        "imported": 5,
        "duplicates": 0,
        "skipped": 0,
        "errors": [{"line": 7, "reason": summary["errors"][0]["reason"]}],
        "net": "1978.15",
        "first_date": "2025-01-03",
        "last_date": "2025-01-07",
    }
    assert summary["errors"][0]["reason"].startswith("line 7:")
    account = FinancialAccount.objects.get(household=household, name="Chase")
    assert account.transactions.count() == 5


def test_second_import_reports_duplicates(member):
    import_json(FIXTURES / "chase_checking.csv", member.email)
    summary = import_json(FIXTURES / "chase_checking.csv", member.email)
    assert (summary["imported"], summary["duplicates"], summary["net"]) == (0, 5, "0.00")
    assert summary["first_date"] is None


def test_account_names_match_case_insensitively(member, household):
    import_json(FIXTURES / "chase_checking.csv", member.email, account="Chase")
    import_json(FIXTURES / "chase_checking_overlap.csv", member.email, account="chase")
    assert FinancialAccount.objects.filter(household=household).count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"user": "nobody@example.com"}, "no user"),
        ({"path": "/nonexistent/file.csv"}, "no such file"),
    ],
)
def test_bad_arguments_are_clear_errors(member, args, message):
    path = args.get("path", str(FIXTURES / "chase_checking.csv"))
    with pytest.raises(CommandError, match=message):
        call_command("import_transactions", path, user=args.get("user", member.email), account="Chase")


def test_an_unreadable_file_is_a_clear_error_and_writes_nothing(member, tmp_path):
    bad = tmp_path / "statement.pdf"
    bad.write_bytes(b"%PDF-1.4\n\x00\x01binary")
    with pytest.raises(CommandError, match=r"statement\.pdf: .*PDF"):
        call_command("import_transactions", str(bad), user=member.email, account="Chase", json=True)
    assert not Transaction.objects.exists()


def test_export_writes_csv_that_reimports_with_zero_new_rows(member, tmp_path):
    import_json(FIXTURES / "chase_checking.csv", member.email)
    out = io.StringIO()
    call_command("export_transactions", user=member.email, stdout=out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))

    assert rows[0] == [
        "Date",
        "Description",
        "Merchant",
        "Amount",
        "Currency",
        "Category",
        "Account",
        "Notes",
        "Tags",
        "Id",
    ]
    assert len(rows) == 6
    exported = tmp_path / "export.csv"
    exported.write_text(out.getvalue(), newline="")
    summary = import_json(exported, member.email)
    assert (summary["imported"], summary["duplicates"]) == (0, 5)


def test_export_of_one_account(member):
    import_json(FIXTURES / "chase_checking.csv", member.email, account="Chase")
    import_json(FIXTURES / "chase_checking_overlap.csv", member.email, account="Card")
    out = io.StringIO()
    call_command("export_transactions", user=member.email, account="Card", stdout=out)
    assert len(out.getvalue().strip().splitlines()) == 1 + 3
    with pytest.raises(CommandError, match="no account called"):
        call_command("export_transactions", user=member.email, account="Nope", stdout=io.StringIO())
