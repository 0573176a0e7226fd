"""Importing through the database: exact duplicate counts, bad rows kept apart, all-or-nothing batches, undo,
remembered settings and the background path."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from insights.models import Notification
from transactions.importing import ImportOptions
from transactions.models import ImportBatch, ImportUpload, Transaction
from transactions.services import imports
from transactions.services.exporting import transactions_export_csv
from transactions.services.import_options import options_from_json
from transactions.services.transactions import transaction_update

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"
Status = ImportBatch.Status


def run(household, member, account, data: bytes, filename="statement.csv", options=None) -> ImportBatch:
    return imports.import_file(
        household=household, user=member, account=account, data=data, filename=filename, options=options
    )


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_chase_file_imports_good_rows_and_reports_the_bad_one_by_line(household, member, account):
    batch = run(household, member, account, fixture("chase_checking.csv"))

    assert batch.status == Status.DONE
    assert (batch.imported, batch.duplicates, batch.error_count) == (5, 0, 1)
    assert batch.errors[0]["line"] == 7
    assert batch.errors[0]["reason"].startswith("line 7:")
    assert batch.net == Decimal("1978.15")
    assert (batch.first_date, batch.last_date) == (dt.date(2025, 1, 3), dt.date(2025, 1, 7))
    coffees = Transaction.objects.filter(account=account, amount=Decimal("-4.50"))
    assert coffees.count() == 2, "two genuine identical coffees on one day are both kept"
    assert sorted(coffees.values_list("occurrence", flat=True)) == [1, 2]
    assert not ImportUpload.objects.filter(batch=batch).exists(), "the upload is deleted once imported"


def test_reimporting_the_same_file_adds_nothing(household, member, account):
    run(household, member, account, fixture("chase_checking.csv"))
    again = run(household, member, account, fixture("chase_checking.csv"))

    assert (again.imported, again.duplicates) == (0, 5)
    assert (again.first_date, again.last_date, again.net) == (None, None, Decimal("0"))
    assert Transaction.objects.filter(account=account).count() == 5


def test_an_overlapping_file_adds_only_the_new_days(household, member, account):
    run(household, member, account, fixture("chase_checking.csv"))
    overlap = run(household, member, account, fixture("chase_checking_overlap.csv"))

    assert (overlap.imported, overlap.duplicates) == (2, 1)
    assert set(Transaction.objects.filter(import_batch=overlap).values_list("description", flat=True)) == {
        "SHELL OIL 57444 AUSTIN TX",
        "NETFLIX.COM",
    }
    # Into an account that already has rows, categories are decided after the duplicate filter: still decided.
    decided = dict(overlap.transactions.values_list("description", "category__code"))
    assert decided["SHELL OIL 57444 AUSTIN TX"].startswith("TRANSPORTATION")
    assert decided["NETFLIX.COM"].startswith("ENTERTAINMENT")


def test_a_third_identical_coffee_in_a_later_file_is_new(household, member, account):
    header = b"Date,Description,Amount\n"
    two = header + b"2025-02-01,COFFEE,-3.00\n2025-02-01,COFFEE,-3.00\n"
    three = two + b"2025-02-01,COFFEE,-3.00\n"
    run(household, member, account, two)
    later = run(household, member, account, three)

    assert (later.imported, later.duplicates) == (1, 2)


def test_the_same_rows_in_another_account_are_not_duplicates(household, member, account, savings):
    run(household, member, account, fixture("chase_checking.csv"))
    other = run(household, member, savings, fixture("chase_checking.csv"))

    assert other.imported == 5


def test_ofx_duplicates_are_detected_by_fitid(household, member, account):
    first = run(household, member, account, fixture("statement.ofx"), "statement.ofx")
    again = run(household, member, account, fixture("statement.ofx"), "statement.ofx")

    assert (first.imported, again.imported, again.duplicates) == (3, 0, 3)
    assert set(Transaction.objects.filter(account=account).values_list("external_id", flat=True)) == {
        "2025010201",
        "2025010202",
        "2025010501",
    }


def test_reimporting_our_own_export_adds_nothing_even_after_edits(household, member, account):
    run(household, member, account, fixture("chase_checking.csv"))
    edited = Transaction.objects.get(account=account, description__startswith="CHECKCARD")
    transaction_update(edited, description='=HYPERLINK("http://evil")', amount=Decimal("-13.00"))
    exported = io.StringIO()
    transactions_export_csv(household=household, queryset=Transaction.objects.for_household(household), stream=exported)

    batch = run(household, member, account, exported.getvalue().encode(), "fincoach-export.csv")

    assert batch.profile == "fincoach"
    assert (batch.imported, batch.duplicates) == (0, 5)


def test_our_export_imports_fully_into_a_fresh_account(household, member, account, savings):
    run(household, member, account, fixture("chase_checking.csv"))
    exported = io.StringIO()
    transactions_export_csv(household=household, queryset=Transaction.objects.filter(account=account), stream=exported)

    batch = run(household, member, savings, exported.getvalue().encode(), "fincoach-export.csv")

    assert batch.imported == 5
    assert sorted(Transaction.objects.filter(account=savings).values_list("amount", flat=True)) == sorted(
        Transaction.objects.filter(account=account).values_list("amount", flat=True)
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"%PDF-1.7 binary \x00\x01\x02", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"name,colour\nfoo,red\nbar,blue\n", "could not find"),
    ],
)
def test_an_unreadable_file_writes_nothing(household, member, account, data, message):
    with pytest.raises(ValidationError) as error:
        run(household, member, account, data, "bank.csv")

    assert message.lower() in " ".join(error.value.messages).lower()
    assert not Transaction.objects.exists()


def test_a_failure_mid_import_rolls_everything_back(household, member, account, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(imports, "process_new_transactions", explode)
    batch = imports.import_upload(
        household=household, user=member, account=account, data=fixture("chase_checking.csv"), filename="a.csv"
    )
    batch = imports.import_confirm(batch, background=False)
    assert ImportUpload.objects.filter(batch=batch).exists(), "the upload stays for another try"

    assert batch.status == Status.FAILED
    assert "nothing was imported" in batch.failure
    assert not Transaction.objects.exists()


def test_too_many_rows_is_refused_with_a_clear_message(household, member, account, settings):
    settings.IMPORT_MAX_ROWS = 3
    rows = b"".join(b"2025-01-%02d,SHOP,-1.00\n" % day for day in range(1, 10))

    with pytest.raises(ValidationError) as error:
        run(household, member, account, b"Date,Description,Amount\n" + rows)

    assert "limit is 3" in " ".join(error.value.messages)
    assert not Transaction.objects.exists()


def test_too_large_a_file_is_refused(household, member, account, settings):
    settings.IMPORT_MAX_BYTES = 100
    with pytest.raises(ValidationError) as error:
        run(household, member, account, b"Date,Description,Amount\n" + b"2025-01-01,SHOP,-1.00\n" * 20)
    assert "limit" in " ".join(error.value.messages)


def test_undo_removes_exactly_the_batch(household, member, account):
    first = run(household, member, account, fixture("chase_checking.csv"))
    second = run(household, member, account, fixture("chase_checking_overlap.csv"))

    removed = imports.import_undo(second)

    second.refresh_from_db()
    assert (removed, second.status) == (2, Status.UNDONE)
    assert Transaction.objects.filter(account=account).count() == first.imported
    with pytest.raises(ValidationError):
        imports.import_undo(second)
    redo = run(household, member, account, fixture("chase_checking_overlap.csv"))
    assert redo.imported == 2, "after an undo the same rows can come back"


def test_preview_marks_rows_already_imported_and_row_errors(household, member, account):
    run(household, member, account, fixture("chase_checking_overlap.csv"))
    batch = imports.import_upload(
        household=household, user=member, account=account, data=fixture("chase_checking.csv"), filename="c.csv"
    )

    preview = imports.import_preview(batch)

    assert batch.status == Status.DRAFT
    assert preview.detection.profile == "chase_checking"
    by_line = {row.line: row for row in preview.rows}
    assert by_line[6].duplicate is True and by_line[6].row.amount == Decimal("-12.85")
    assert by_line[2].duplicate is False
    assert by_line[7].error.startswith("line 7:")


def test_confirmed_settings_are_remembered_for_the_account(household, member, account):
    data = b"Datum;Omschrijving;Bedrag\n03-02-2025;Albert Heijn;-12,50\n04-02-2025;Salaris;2500,00\n"
    batch = imports.import_upload(household=household, user=member, account=account, data=data, filename="nl.csv")
    chosen = options_from_json(batch.options)
    chosen.date_format = "%m-%d-%Y"  # the user insists (wrongly) on month first
    imports.import_confirm(batch, chosen, background=False)
    account.refresh_from_db()

    again = imports.import_upload(household=household, user=member, account=account, data=data, filename="nl2.csv")

    assert options_from_json(again.options).date_format == "%m-%d-%Y"
    assert imports.import_preview(again).remembered is True


def test_large_files_run_in_the_background_with_progress(
    household, member, account, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_ROWS = 2
    batch = imports.import_upload(
        household=household, user=member, account=account, data=fixture("chase_checking.csv"), filename="big.csv"
    )
    with django_capture_on_commit_callbacks(execute=True) as queued:
        queued_batch = imports.import_confirm(batch)  # Celery runs eagerly in tests, once the transaction commits
    assert queued_batch.status == Status.PENDING and queued
    batch.refresh_from_db()

    assert batch.status == Status.DONE
    assert batch.processed_rows == 6
    assert imports.import_progress(batch) == 6
    finished = Notification.objects.get(user=member, kind="import")
    assert finished.title == "Imported 5 transactions from big.csv"


def test_an_import_that_answers_with_its_summary_sends_no_notification(household, member, account, settings):
    """The command line and the API return the summary themselves: only background imports announce."""
    settings.IMPORT_BACKGROUND_ROWS = 2

    batch = run(household, member, account, fixture("chase_checking.csv"))

    assert batch.status == Status.DONE and batch.total_rows > 2
    assert not Notification.objects.filter(user=member, kind="import").exists()


def test_a_confirmed_batch_runs_once(household, member, account):
    batch = run(household, member, account, fixture("chase_checking.csv"))
    again = imports.import_run(batch.pk)
    assert again.imported == 5
    assert Transaction.objects.count() == 5


def test_user_mapping_changes_the_rows(household, member, account):
    data = b"When,What,Out,In\n2025-03-01,Groceries,12.00,\n2025-03-02,Refund,,5.00\n"
    batch = imports.import_upload(household=household, user=member, account=account, data=data, filename="x.csv")
    options = ImportOptions(columns={"date": 0, "description": 1, "debit": 2, "credit": 3}, sign="debit_credit")

    imports.import_confirm(batch, options, background=False)

    amounts = dict(Transaction.objects.values_list("description", "amount"))
    assert amounts == {"Groceries": Decimal("-12.00"), "Refund": Decimal("5.00")}


def test_amounts_out_of_range_and_nul_bytes_are_row_errors_not_crashes(household, member, account):
    data = b"Date,Description,Amount\n2025-01-01,HUGE,99999999999999.00\n2025-01-02,NUL\x00BYTE,-1.00\n"
    batch = run(household, member, account, data)

    assert batch.imported == 1
    assert batch.error_count == 1 and "too large" in batch.errors[0]["reason"]
    assert Transaction.objects.get().description == "NULBYTE"


def test_imported_rows_are_categorised_before_the_insert_in_authority_order(
    household, member, account, cat, monkeypatch
):
    from ml.models import MerchantCategoryMemory
    from ml.services import CategoryDecision
    from transactions.merchants import normalize_merchant
    from transactions.services import import_categoriser, rules

    asked: list[str] = []
    restaurant = cat("FOOD_AND_DRINK_RESTAURANT")

    def categorize(descriptions, amounts, account_kind):
        asked.extend(descriptions)
        assert account_kind == account.kind
        return [
            CategoryDecision(restaurant.pk, restaurant.code, "model", Decimal("0.700"), suggested=True)
            for _ in descriptions
        ]

    monkeypatch.setattr(import_categoriser, "ml_service", lambda name: lambda: categorize)
    rules.rule_create(
        household=household,
        match_field="description",
        match_type="contains",
        match_value="PAYROLL",
        set_category=cat("INCOME_WAGES"),
        add_tag_name="salary",
    )
    MerchantCategoryMemory.objects.create(
        household=household, merchant=normalize_merchant("NETFLIX.COM"), category=cat("ENTERTAINMENT")
    )
    data = (
        b"Date,Description,Amount\n2025-01-02,ACME PAYROLL,2000.00\n2025-01-03,NETFLIX.COM,-15.49\n"
        b"2025-01-04,MYSTERY DINER,-30.00\n"
    )

    run(household, member, account, data)

    got = {
        t.description: (t.category.code, t.category_source, t.category_suggested)
        for t in Transaction.objects.select_related("category")
    }
    assert got["ACME PAYROLL"] == ("INCOME_WAGES", "rule", False)
    assert got["MYSTERY DINER"] == ("FOOD_AND_DRINK_RESTAURANT", "model", True)
    assert got["NETFLIX.COM"] == ("ENTERTAINMENT", "learned", False)
    assert "ACME PAYROLL" not in asked, "the model is not asked about what a rule decided"
    assert list(Transaction.objects.get(description="ACME PAYROLL").tags.values_list("name", flat=True)) == ["salary"]


def test_a_bank_id_repeated_within_one_file_is_imported_once(household, member, account):
    original = fixture("statement.ofx")
    repeated = original.replace(b"<FITID>2025010202", b"<FITID>2025010201")  # two rows, one bank id

    batch = run(household, member, account, repeated, "statement.ofx")

    assert (batch.imported, batch.duplicates) == (2, 1)
    assert Transaction.objects.filter(account=account, external_id="2025010201").count() == 1


def test_rows_a_sync_wrote_meanwhile_are_counted_as_duplicates_not_lost(household, member, account, monkeypatch):
    """The lookup of known rows misses what arrives between it and the insert (a bank sync into the same account):
    the unique keys still refuse those rows, and the rest of the file is written."""
    data = fixture("chase_checking.csv")
    first = run(household, member, account, data)
    Transaction.objects.filter(account=account, description__contains="PAYROLL").delete()  # one the file brings back
    monkeypatch.setattr(imports, "_not_already_here", lambda chunk, *args: chunk)  # the lookup sees nothing

    again = run(household, member, account, data)

    assert (again.imported, again.duplicates) == (1, first.imported - 1)
    assert Transaction.objects.filter(account=account).count() == first.imported
    assert list(again.transactions.values_list("description", flat=True)) == ["ACME CORP PAYROLL PPD ID: 9876543210"]


def test_undo_clears_what_hangs_off_the_rows_and_unlinks_transfers(household, member, account, savings, make_txn, cat):
    from transactions.models import Tag, TransactionSplit

    batch = run(household, member, account, fixture("chase_checking.csv"))
    imported = list(batch.transactions.order_by("id"))
    outside = make_txn(account=savings, description="FROM CHECKING", amount="500.00")
    Transaction.objects.filter(pk=imported[3].pk).update(transfer_pair=outside)
    Transaction.objects.filter(pk=outside.pk).update(transfer_pair=imported[3])
    imported[0].tags.add(Tag.objects.create(household=household, name="coffee"))
    TransactionSplit.objects.create(
        household=household, transaction=imported[1], category=cat("FOOD_AND_DRINK_COFFEE"), amount=Decimal("-4.50")
    )

    removed = imports.import_undo(batch)

    assert removed == len(imported)
    assert not Transaction.objects.filter(pk__in=[t.pk for t in imported]).exists()
    outside.refresh_from_db()
    assert outside.transfer_pair_id is None, "the other half of a transfer stays, unlinked"
    assert not TransactionSplit.objects.exists() and not Transaction.tags.through.objects.exists()
    assert Tag.objects.filter(name="coffee").exists(), "the tag itself is the household's, not the batch's"


def test_a_large_import_refreshes_the_table_statistics(household, member, account):
    """Right after a first big import the planner must know the table is no longer empty (PostgreSQL only)."""
    from django.db import connection

    from fincoach.testing.services import require_postgres
    from transactions.services.import_writer import ANALYZE_AFTER_ROWS

    require_postgres()
    lines = [
        f"2024-{1 + i % 12:02d}-{1 + i % 28:02d},SHOP {i},-{i % 90 + 1}.25" for i in range(ANALYZE_AFTER_ROWS + 500)
    ]
    data = ("Date,Description,Amount\n" + "\n".join(lines) + "\n").encode()

    batch = run(household, member, account, data)

    assert batch.imported == ANALYZE_AFTER_ROWS + 500
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'transactions_transaction'::regclass")
        assert cursor.fetchone()[0] >= ANALYZE_AFTER_ROWS


def test_rows_another_writer_added_meanwhile_are_skipped_and_counted_exactly(household, member, account):
    """A row that meets a unique key during the insert (a sync wrote it meanwhile, after the duplicate check) does not
    fail the import: its chunk goes in skipping the conflict. The foreign keys, checked chunk by chunk during the
    insert, are deferred again afterwards for the rest of the transaction."""
    from django.db import transaction as db_transaction

    from transactions.services.import_rows import NewRow
    from transactions.services.import_writer import write_rows

    run(household, member, account, b"Date,Description,Amount\n2025-01-02,COFFEE,-3.00\n")
    existing = Transaction.objects.get()
    batch = ImportBatch.objects.create(
        household=household, account=account, filename="late.csv", created_by=member, status=Status.RUNNING
    )

    def row(fingerprint: str, description: str) -> NewRow:
        return NewRow(
            date=existing.date,
            authorized_date=None,
            amount=existing.amount,
            currency="USD",
            description=description,
            merchant=description.title(),
            pending=False,
            external_id=None,
            fingerprint=fingerprint,
            occurrence=existing.occurrence,
        )

    with db_transaction.atomic():
        ids = write_rows(batch, [[row(existing.fingerprint, "COFFEE"), row("0" * 16, "TEA")]], lambda handed: None)
        with db_transaction.atomic():  # a dangling reference is only checked at the commit (deferred): none here
            dangling = Transaction.objects.create(
                household=household, account=account, date=existing.date, amount=Decimal("-1.00"), category_id=10**9
            )
            dangling.delete()

    assert [t.description for t in Transaction.objects.filter(id__in=ids)] == ["TEA"]
    assert Transaction.objects.filter(account=account).count() == 2


def test_a_first_import_stores_what_an_import_into_an_account_with_history_stores(household, member, account):
    """Into an empty account the rows skip the duplicate lookups and their COPY text is built ahead; into an account
    with history each chunk is checked first. Over several chunks, with repeated rows and a rule, both store the
    same rows: same keys, merchants, categories and exclusions."""
    from transactions.services import rules
    from transactions.services.import_writer import CHUNK_ROWS
    from transactions.tests.factories import FinancialAccountFactory

    twin = FinancialAccountFactory(household=household, name="Joint checking", kind=account.kind)  # same features
    rules.rule_create(
        household=household, match_field="description", match_type="contains", match_value="SHELL", mark_excluded=True
    )
    shops = ["SQ *BLUE BOTTLE COFFEE OAKLAND CA", "SHELL OIL 5741 HOUSTON TX", "NETFLIX.COM", "TRADER JOE'S #552"]
    lines = [
        f"2024-{1 + i % 12:02d}-{1 + i % 28:02d},{shops[i % 4]},-{(i * 7) % 90 + 1}.{i % 100:02d}"
        for i in range(CHUNK_ROWS * 2 + 700)
    ]
    lines += lines[:50]  # the same purchases twice on a day: second occurrences
    data = ("Date,Description,Amount\n" + "\n".join(lines) + "\n").encode()
    run(household, member, twin, b"Date,Description,Amount\n2020-05-05,OPENING DEPOSIT,100.00\n")

    first = run(household, member, account, data)
    checked = run(household, member, twin, data)

    fields = ("date", "amount", "description", "merchant", "fingerprint", "occurrence", "category_id")
    fields += ("category_source", "category_confidence", "category_suggested", "excluded", "pending")

    def stored(batch):
        return sorted(Transaction.objects.filter(import_batch=batch).values_list(*fields))

    assert first.imported == checked.imported == len(lines)
    assert stored(first) == stored(checked)
    assert Transaction.objects.filter(import_batch=first, excluded=True).count() == sum(
        "SHELL" in line for line in lines
    )


def test_text_that_needs_escaping_is_stored_exactly(household, member, account):
    """Backslashes, tabs and line breaks inside fields reach the table unchanged (COPY's text format escapes them)."""
    descriptions = ["C:\\PATH\\SHOP \\N", "TAB\tINSIDE", "LINE\nBREAK", "CR\rHERE", "Café ☕ \\t literal"]
    lines = ["Date,Description,Amount,Transaction ID"]
    for i, description in enumerate(descriptions):
        bank_id = f"ID\\{i}" if i % 2 else ""
        lines.append(f'2025-01-0{i + 1},"{description}",-{i + 1}.00,{bank_id}')

    batch = run(household, member, account, ("\n".join(lines) + "\n").encode())

    assert batch.imported == len(descriptions), batch.errors
    stored = dict(Transaction.objects.values_list("amount", "description"))
    assert stored == {Decimal(f"-{i + 1}.00"): " ".join(d.split()) for i, d in enumerate(descriptions)}
    bank_ids = sorted(filter(None, Transaction.objects.values_list("external_id", flat=True)))
    assert bank_ids == ["ID\\1", "ID\\3"]
    assert Transaction.objects.filter(authorized_date__isnull=True).count() == len(descriptions)


def test_copy_text_escapes_columns_and_writes_nulls():
    from transactions.services.import_rows import NewRow
    from transactions.services.import_writer import copy_text

    def row(description, external_id):
        return NewRow(
            date=dt.date(2025, 1, 2),
            authorized_date=None,
            amount=Decimal("-1.50"),
            currency="EUR",
            description=description,
            merchant=description,
            pending=False,
            external_id=external_id,
            fingerprint="ab",
            occurrence=1,
            category_id=7,
            category_source="model",
            category_confidence=Decimal("0.812"),
        )

    text = copy_text([row("A\\B\tC", None), row("", "X\nY")], (1, "")).decode()

    first, second = text.splitlines()
    assert first.split("\t") == [
        "1", "", "2025-01-02", "\\N", "-1.50", "EUR", "A\\\\B\\tC", "A\\\\B\\tC", "f", "\\N", "ab", "1", "7",
        "model", "0.812", "f", "f",
    ]  # fmt: skip
    assert second.split("\t")[6:10] == ["", "", "f", "X\\nY"]
