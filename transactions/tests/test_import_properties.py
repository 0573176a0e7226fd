"""Property-based: whatever bytes are uploaded, the import never raises a server error and never leaves a partial
batch — either the batch is complete (its counts add up to what is in the database) or nothing was written."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transactions.models import ImportBatch, Transaction
from transactions.services.imports import import_file

pytestmark = pytest.mark.django_db

HEADERS = ["Date", "Posting Date", "Description", "Amount", "Debit", "Credit", "Balance", "Betrag", "Buchung", "Memo"]
CELLS = st.one_of(
    st.sampled_from(
        [
            "2025-01-02",
            "01/02/2025",
            "31.12.2024",
            "13/45/2025",
            "",
            " ",
            "-4.50",
            "1.234,56",
            "(12.00)",
            "=cmd|' /C calc'!A0",
            "Balance",
            "TOTAL",
            "\x00",
            "é",
            "PENDING",
            "DECLINED",
        ]
    ),
    st.text(max_size=12),
    st.decimals(min_value=-(10**13), max_value=10**13, allow_nan=False, allow_infinity=False, places=3).map(str),
)
CSV_FILES = st.builds(
    lambda header, rows, delimiter, encoding: "\n".join(delimiter.join(r) for r in [header, *rows]).encode(
        encoding, errors="replace"
    ),
    st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6),
    st.lists(st.lists(CELLS, min_size=0, max_size=7), max_size=12),
    st.sampled_from([",", ";", "\t", "|"]),
    st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1"]),
)
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def snapshot(account) -> tuple[int, int]:
    """(transactions in the account, last batch id): hypothesis runs many examples on one database."""
    last = ImportBatch.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return Transaction.objects.filter(account=account).count(), last


def assert_whole_or_nothing(account, before: tuple[int, int]) -> None:
    count_before, last_before = before
    written = Transaction.objects.filter(account=account).count() - count_before
    batch = ImportBatch.objects.filter(account=account, pk__gt=last_before).exclude(status="draft").first()
    if batch is None or batch.status != ImportBatch.Status.DONE:
        assert written == 0, "a failed or refused import wrote rows"
        return
    assert written == batch.imported == Transaction.objects.filter(import_batch=batch).count()


@SETTINGS
@given(data=st.binary(max_size=600), name=st.sampled_from(["a.csv", "a.ofx", "a.qif", "a.qfx", "a.txt", ""]))
def test_random_bytes_never_crash_the_service(household, member, account, data, name):
    before = snapshot(account)
    try:
        import_file(household=household, user=member, account=account, data=data, filename=name)
    except ValidationError as error:
        assert error.messages and all(message.strip() for message in error.messages)
    assert_whole_or_nothing(account, before)


@SETTINGS
@given(data=CSV_FILES)
def test_random_csv_files_never_crash_the_service(household, member, account, data):
    before = snapshot(account)
    try:
        import_file(household=household, user=member, account=account, data=data, filename="bank.csv")
    except ValidationError as error:
        assert error.messages
    assert_whole_or_nothing(account, before)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=400), CSV_FILES))
def test_random_uploads_never_answer_500(member_client, account, data):
    before = snapshot(account)
    upload = SimpleUploadedFile("upload.csv", data or b"x", "text/csv")
    response = member_client.post(reverse("transactions:import_list"), {"file": upload, "account": account.pk})
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        preview = member_client.get(response["Location"])
        assert preview.status_code == 200
        batch = ImportBatch.objects.filter(account=account).order_by("-pk").first()
        mapping = preview.context["mapping"].initial if "mapping" in preview.context else {}
        confirm = member_client.post(reverse("transactions:import_confirm", args=[batch.pk]), mapping)
        assert confirm.status_code in (302, 400)
    assert_whole_or_nothing(account, before)
