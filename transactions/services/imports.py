"""Importing bank files: upload → preview (detected mapping, first rows as they will be imported) → import
(inline, or in the background for large files, with live progress) → summary → undo.

Every import is an ImportBatch. The rows of a batch are written all or nothing: a file that cannot be read writes
nothing, rows that cannot be read are reported with their line numbers while the good rows are kept, and
duplicates (same bank id, or same date/amount/description/occurrence in the account) are counted, never added.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min, Sum
from django.utils import timezone

from fincoach.hooks import transactions_changed
from transactions.importing import (
    Detection,
    FingerprintedRow,
    ImportFileError,
    ImportOptions,
    ParsedRow,
    RowError,
    assign_occurrences,
    detect,
    parse,
)
from transactions.models import FinancialAccount, ImportBatch, ImportUpload, Transaction

from .bulk import chunked, id_in, transactions_delete, values_in
from .import_categoriser import ImportCategoriser
from .import_options import (
    detect_for_account,
    detect_or_refuse,
    import_limits,
    layout_key,
    options_from_json,
    options_to_json,
    remember_options,
)
from .import_rows import EXPORT_PROFILE, NewRow, RowTally, prepared_rows, sanitised
from .import_writer import CHUNK_ROWS, write_rows
from .pipeline import process_new_transactions

logger = logging.getLogger(__name__)
Status = ImportBatch.Status


# --- upload and preview -------------------------------------------------------------------------------------------


def _check_upload(household, account: FinancialAccount, data: bytes) -> None:
    if account.household_id != household.pk:
        raise ValidationError({"account": "Choose one of your accounts."})
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise ValidationError(
            {"file": f"The file is {len(data) / 1e6:.1f} MB; the limit is {settings.IMPORT_MAX_BYTES / 1e6:.0f} MB."}
        )


def _estimate_rows(data: bytes, file_format: str) -> int:
    if file_format == "ofx":
        return data.lower().count(b"<stmttrn>")
    if file_format == "qif":
        return data.count(b"\n^")
    return max(data.count(b"\n"), data.count(b"\r"))


def _new_batch(household, user, account, data: bytes, filename: str, detection: Detection, status: str):
    return ImportBatch.objects.create(
        household=household,
        account=account,
        filename=(filename or "upload")[-255:],
        file_format=detection.format,
        profile=detection.profile[:40],
        options=options_to_json(detection.to_options()),
        total_rows=_estimate_rows(data, detection.format),
        status=status,
        created_by=user,
    )


@transaction.atomic
def import_upload(*, household, user, account: FinancialAccount, data: bytes, filename: str) -> ImportBatch:
    """Keep an uploaded file for review: a draft batch with the detected (or remembered) settings."""
    _check_upload(household, account, data)
    detection, _ = detect_for_account(account, data, filename)
    batch = _new_batch(household, user, account, data, filename, detection, Status.DRAFT)
    ImportUpload.objects.create(household=household, batch=batch, data=data)
    return batch


@dataclass
class PreviewRow:
    line: int
    row: ParsedRow | None = None
    error: str = ""
    duplicate: bool = False


@dataclass
class ImportPreview:
    batch: ImportBatch
    detection: Detection
    rows: list[PreviewRow] = field(default_factory=list)
    remembered: bool = False


def upload_data(batch: ImportBatch) -> bytes:
    upload = ImportUpload.objects.filter(batch=batch).only("data").first()
    if upload is None:
        raise ValidationError("The uploaded file is no longer available; upload it again.")
    return bytes(upload.data)


def import_preview(batch: ImportBatch, options: ImportOptions | None = None) -> ImportPreview:
    """The detected layout and the first rows as they will be imported (duplicates marked), with `options` applied
    (the batch's current options when None)."""
    data = upload_data(batch)
    detection = detect_or_refuse(data, batch.filename, options or options_from_json(batch.options))
    remembered = bool((batch.account.import_options or {}).get(layout_key(detection)))
    preview = ImportPreview(batch=batch, detection=detection, remembered=remembered)
    parsed = list(assign_occurrences(sanitised(detection.preview, batch.account.currency)))
    existing = _existing_keys(batch.account, [item for item in parsed if isinstance(item, FingerprintedRow)])
    for item in parsed:
        if isinstance(item, RowError):
            preview.rows.append(PreviewRow(item.line, error=item.reason))
        else:
            row = item.row
            duplicate = (item.fingerprint, item.occurrence) in existing or (row.external_id or None) in existing
            preview.rows.append(PreviewRow(row.line, row=row, duplicate=duplicate))
    return preview


def _existing_keys(account: FinancialAccount, items: list[FingerprintedRow]) -> set:
    if not items:
        return set()
    found = Transaction.objects.filter(account=account, fingerprint__in={i.fingerprint for i in items})
    keys: set = set(found.values_list("fingerprint", "occurrence"))
    bank_ids = {i.row.external_id for i in items if i.row.external_id}
    if bank_ids:
        keys |= set(
            Transaction.objects.filter(account=account, external_id__in=bank_ids).values_list("external_id", flat=True)
        )
    return keys


# --- running an import --------------------------------------------------------------------------------------------


def _settle(data: bytes, filename: str, options: ImportOptions) -> Detection:
    """Check that the file imports with these options (ValidationError with the parser's reason if not)."""
    try:
        detection = detect(data, filename, options, limits=import_limits())
        if detection.missing:
            parse(data, filename, options, limits=import_limits())  # raises the clear "could not find" error
    except ImportFileError as error:
        raise ValidationError({"file": str(error)}) from None
    return detection


def import_confirm(
    batch: ImportBatch, options: ImportOptions | None = None, *, background: bool | None = None
) -> ImportBatch:
    """Accept the (possibly adjusted) settings, remember them for the account, and import: inline, or queued for a
    worker when the file is large (`background` forces either). Raises ValidationError when the settings cannot
    work (nothing is imported then)."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().select_related("account").get(pk=batch.pk)
        if batch.status != Status.DRAFT:
            raise ValidationError("This import has already been started.")
        chosen = options or options_from_json(batch.options)
        detection = _settle(upload_data(batch), batch.filename, chosen)
        batch.options = options_to_json(chosen)
        batch.profile = detection.profile[:40]
        batch.status = Status.PENDING
        batch.save(update_fields=["options", "profile", "status"])
        remember_options(batch.account, detection, chosen)
    if background if background is not None else batch.total_rows > settings.IMPORT_BACKGROUND_ROWS:
        from transactions.tasks import run_import

        transaction.on_commit(lambda: run_import.delay(batch.pk))
        return batch
    return import_run(batch.pk)


def import_file(
    *, household, user, account: FinancialAccount, data: bytes, filename: str, options: ImportOptions | None = None
) -> ImportBatch:
    """Import a file in one go with the given, remembered or detected settings; returns the finished batch.
    Used by the command line and the API. Raises ValidationError when the file cannot be imported."""
    _check_upload(household, account, data)
    if options is None:
        detection, _ = detect_for_account(account, data, filename)
        options = detection.to_options()
    detection = _settle(data, filename, options)
    batch = _new_batch(household, user, account, data, filename, detection, Status.RUNNING)
    batch.options = options_to_json(options)
    batch.save(update_fields=["options"])
    batch = _execute(batch, data)
    if batch.status == Status.FAILED:
        raise ValidationError({"file": batch.failure})
    return batch


def progress_key(batch_id: int) -> str:
    return f"transactions:import-progress:{batch_id}"


def import_progress(batch: ImportBatch) -> int:
    """Rows processed so far (live from the cache while the batch runs in another transaction)."""
    if batch.status == Status.RUNNING:
        return int(cache.get(progress_key(batch.pk), batch.processed_rows) or 0)
    return batch.processed_rows


def import_run(batch_id: int) -> ImportBatch:
    """Run a confirmed batch (idempotent: only a pending batch runs)."""
    claimed = ImportBatch.objects.filter(pk=batch_id, status=Status.PENDING).update(status=Status.RUNNING)
    batch = ImportBatch.objects.select_related("account", "household", "created_by").get(pk=batch_id)
    if not claimed:
        return batch
    try:
        data = upload_data(batch)
    except ValidationError as error:
        _fail(batch, " ".join(error.messages))
        batch.refresh_from_db()
        return batch
    batch = _execute(batch, data)
    _announce(batch)
    return batch


def _execute(batch: ImportBatch, data: bytes) -> ImportBatch:
    """Write the rows in one transaction, so a failure leaves nothing behind; the batch records what happened."""
    try:
        with transaction.atomic():
            _write(batch, data)
    except ImportFileError as error:
        _fail(batch, str(error))
    except ValidationError as error:
        _fail(batch, " ".join(error.messages))
    except Exception:
        logger.exception("import batch %s failed", batch.pk)
        _fail(batch, "The import failed unexpectedly; nothing was imported. Try again, or contact your administrator.")
    else:
        ImportUpload.objects.filter(batch_id=batch.pk).delete()
    cache.delete(progress_key(batch.pk))
    batch.refresh_from_db()
    return batch


def _fail(batch: ImportBatch, reason: str) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(status=Status.FAILED, failure=reason, finished_at=timezone.now())


def _write(batch: ImportBatch, data: bytes) -> None:
    account = FinancialAccount.objects.select_for_update().get(pk=batch.account_id)  # one import per account at once
    categoriser = ImportCategoriser(batch.household, account)
    # Into an empty account (a first import), only the file's own repeats can be duplicates: no lookups needed. The
    # account row is locked, so no other import adds to it meanwhile; a sync that does meets the unique keys.
    fresh = not Transaction.objects.filter(account=account).exists()
    stream, tally, new_ids = _write_rows(batch, data, account, categoriser, fresh=fresh)
    totals = Transaction.objects.filter(import_batch=batch).aggregate(
        net=Sum("amount"), first=Min("date"), last=Max("date")
    )
    batch.imported = len(new_ids)
    batch.duplicates = tally.rows - len(new_ids)
    batch.skipped = stream.summary.skipped_count
    batch.errors = tally.listed_errors
    batch.error_count = tally.errors
    batch.processed_rows = batch.total_rows = tally.rows + tally.errors
    batch.net = totals["net"] or Decimal("0")
    batch.first_date, batch.last_date = totals["first"], totals["last"]
    batch.status = Status.DONE
    batch.finished_at = timezone.now()
    batch.save()
    process_new_transactions(batch.household, new_ids, source="import", categorised=True)


def _write_rows(
    batch: ImportBatch, data: bytes, account: FinancialAccount, categoriser: ImportCategoriser, *, fresh: bool
):
    """Parse the file and insert its new rows: (the parse stream, the row tally, the new transactions' ids)."""
    stream = parse(data, batch.filename, options_from_json(batch.options), limits=import_limits())
    tally = RowTally()
    from_export = batch.profile == EXPORT_PROFILE
    seen_bank_ids: set[str] = set()

    def progress(handed: int) -> None:
        cache.set(progress_key(batch.pk), handed + tally.errors, timeout=3600)

    # Parsing and keys are pure: on PostgreSQL they run a chunk ahead, in a second thread. Into an empty account the
    # categories are decided there too; otherwise after the duplicate filter, so a re-import decides none.
    rows = prepared_rows(stream, currency=account.currency, tally=tally, from_export=from_export)
    chunks = chunked(rows, CHUNK_ROWS)
    if fresh:
        chunks = (categoriser.apply(_not_already_here(chunk, None, seen_bank_ids)) for chunk in chunks)
        return stream, tally, write_rows(batch, chunks, progress)

    def keep_new(chunk: list[NewRow]) -> list[NewRow]:
        chunk = _not_already_here(chunk, account, seen_bank_ids)
        chunk = _not_already_exported(chunk, account) if from_export else chunk
        return categoriser.apply(chunk)

    return stream, tally, write_rows(batch, chunks, progress, keep_new)


def _not_already_here(chunk: list[NewRow], account: FinancialAccount | None, seen_bank_ids: set[str]) -> list[NewRow]:
    """The rows whose duplicate keys (fingerprint and occurrence, or bank id) the account does not have yet (None: an
    account that had no transactions), nor, for a bank id, an earlier row of the same file (`seen_bank_ids`)."""
    known: set[tuple[str, int]] = set()
    known_ids: set[str] = set()
    bank_ids = {row.external_id for row in chunk if row.external_id}
    if account is not None:
        keys = Transaction.objects.filter(account=account)
        fingerprints = values_in("fingerprint", {row.fingerprint for row in chunk})
        known = set(keys.filter(fingerprints).values_list("fingerprint", "occurrence"))
        if bank_ids:
            known_ids = set(keys.filter(values_in("external_id", bank_ids)).values_list("external_id", flat=True))
    kept = []
    for row in chunk:
        if (row.fingerprint, row.occurrence) in known:
            continue
        if row.external_id is not None:
            if row.external_id in known_ids or row.external_id in seen_bank_ids:
                continue
            seen_bank_ids.add(row.external_id)
        kept.append(row)
    return kept


def _not_already_exported(chunk: list[NewRow], account: FinancialAccount) -> list[NewRow]:
    """fincoach's own export names each row's transaction: one this account still has is a duplicate, even when
    the user has edited its date, amount or description since (so its fingerprint moved)."""
    exported = [row.export_id for row in chunk if row.export_id is not None]
    if not exported:
        return chunk
    known = set(Transaction.objects.filter(id_in(exported), account=account).values_list("pk", flat=True))
    return [row for row in chunk if row.export_id not in known]


def _announce(batch: ImportBatch) -> None:
    """Tell the person who started a background import that it finished (the command line and the API answer with
    the summary themselves)."""
    if batch.created_by_id is None or batch.total_rows <= settings.IMPORT_BACKGROUND_ROWS:
        return
    from insights.notifications import notify_user

    if batch.status == Status.DONE:
        title = f"Imported {batch.imported:,} transactions from {batch.filename}"
        body = f"{batch.duplicates:,} duplicates skipped, {batch.error_count:,} rows with errors."
    else:
        title, body = f"The import of {batch.filename} failed", batch.failure
    notify_user(
        batch.created_by,
        kind="import",
        title=title,
        body=body,
        link=f"/transactions/imports/{batch.pk}/",
        dedupe_key=f"import-{batch.pk}-{batch.status}",
    )


# --- undo and housekeeping ------------------------------------------------------------------------------------------


@transaction.atomic
def import_undo(batch: ImportBatch) -> int:
    """Delete every transaction the batch added (edits included). Returns how many were removed."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != Status.DONE:
        raise ValidationError("Only a finished import can be undone.")
    added = Transaction.objects.filter(import_batch=batch)
    ids = list(added.values_list("pk", flat=True))
    transactions_delete(added)
    batch.status = Status.UNDONE
    batch.save(update_fields=["status"])
    transactions_changed(batch.household_id, ids, "undo")
    return len(ids)


def import_discard(batch: ImportBatch) -> None:
    """Forget a draft (the user cancelled the preview)."""
    if batch.status != Status.DRAFT:
        raise ValidationError("Only an import that has not started can be cancelled.")
    batch.delete()


def drafts_expire(*, older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Delete drafts nobody confirmed, and uploads of batches that are long finished."""
    cutoff = timezone.now() - older_than
    deleted, _ = ImportBatch.objects.filter(status=Status.DRAFT, created_at__lt=cutoff).delete()
    stale = ImportUpload.objects.filter(created_at__lt=cutoff).exclude(batch__status__in=(Status.PENDING,))
    stale.delete()
    return deleted
