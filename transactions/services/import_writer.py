"""Writing prepared rows into the transactions table fast, with exact counts of what was new.

The caller hands over the rows in chunks (memory stays flat) and, for an account that already has transactions, a
`keep_new` filter that leaves out, per chunk, the rows the account already has; the database's unique keys —
(account, fingerprint, occurrence) and (account, external_id) — still have the last word, so the count of inserted
rows is exact whatever happens meanwhile.

- PostgreSQL: each chunk is COPied straight into the table. Should a row still collide with a unique key (a sync
  writing to the same account at that moment), that chunk is rolled back to its savepoint and written through a
  temporary table with `INSERT … ON CONFLICT DO NOTHING` instead. The chunks are produced one ahead in a second
  thread (parsing, keys, categories and, when no filter needs the database, the COPY text are pure Python), so
  Python works while PostgreSQL inserts.
- SQLite (the embedded default): `INSERT OR IGNORE` per chunk.
"""

from __future__ import annotations

import operator
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from typing import TypeVar

import psycopg
from django.db import connection, transaction
from django.utils import timezone

from transactions.models import ImportBatch, Transaction

from .import_rows import NewRow

CHUNK_ROWS = 5000
ANALYZE_AFTER_ROWS = 2000
T = TypeVar("T")
Progress = Callable[[int], None]
# Runs on each chunk in the writing thread, just before the insert: leaves out rows the account already has.
KeepNew = Callable[[list[NewRow]], list[NewRow]]

# The columns an import fills; the rest take their model defaults (below: _CONSTANTS).
_COLUMNS = (
    ("date", "date"),
    ("authorized_date", "date"),
    ("amount", "numeric(14,2)"),
    ("currency", "varchar(3)"),
    ("description", "varchar(500)"),
    ("merchant", "varchar(200)"),
    ("pending", "boolean"),
    ("external_id", "varchar(120)"),
    ("fingerprint", "varchar(32)"),
    ("occurrence", "smallint"),
    ("category_id", "bigint"),
    ("category_source", "varchar(8)"),
    ("category_confidence", "numeric(4,3)"),
    ("category_suggested", "boolean"),
    ("excluded", "boolean"),
)
_NAMES = ", ".join(name for name, _ in _COLUMNS)
_TABLE = Transaction._meta.db_table
# Columns without a database default, the same for every row of a batch.
_CONSTANTS = "household_id, account_id, import_batch_id, notes, plaid_category, user_edited, created_at, updated_at"
_values = operator.attrgetter(*(name for name, _ in _COLUMNS))  # row → tuple of column values, at C speed


def write_rows(
    batch: ImportBatch, chunks: Iterable[list[NewRow]], progress: Progress, keep_new: KeepNew | None = None
) -> list[int]:
    """Insert the new rows of each chunk; returns the new transactions' ids in file order.

    Must run inside a transaction (the import is all or nothing). `chunks` must not touch the database (it may be
    iterated in another thread). `progress(n)` is told how many rows were handed over so far. Without `keep_new`,
    the chunks are final (only the unique keys may still turn a row away) and their COPY text is built ahead too.
    """
    if connection.vendor == "sqlite":
        return _insert_rows_sqlite(batch, chunks, progress, keep_new or _all)
    constants = _constants(batch)
    if keep_new is None:
        prepared = ((len(chunk), chunk, copy_text(chunk, constants)) for chunk in chunks)
    else:
        prepared = ((len(chunk), chunk, None) for chunk in chunks)
    with closing(read_ahead(prepared)) as ahead:
        return _copy_rows(batch, ahead, progress, keep_new or _all, constants)


def _all(chunk: list[NewRow]) -> list[NewRow]:
    return chunk


def _constants(batch: ImportBatch) -> tuple:
    """The `_CONSTANTS` columns' values (the timestamps as the database backend takes them)."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    return (batch.household_id, batch.account_id, batch.pk, "", "", "[]", now, now)


def _copy_rows(batch: ImportBatch, prepared: Iterable, progress: Progress, keep_new: KeepNew, constants) -> list[int]:
    handed = 0
    with connection.cursor() as cursor:
        # The foreign keys (account, category) are checked as each chunk goes in, while the next one is being
        # prepared, rather than all at the commit, where nothing else can happen meanwhile.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for count, chunk, text in prepared:
            handed += count
            if text is None:
                chunk = keep_new(chunk)
                text = copy_text(chunk, constants)
            if chunk:
                try:
                    with transaction.atomic():
                        _copy_into_table(cursor, text)
                except psycopg.errors.UniqueViolation:  # another writer added some of these rows meanwhile
                    _insert_skipping_conflicts(cursor, batch, chunk, constants)
            progress(handed)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        return _inserted_ids(cursor, batch)


def _inserted_ids(cursor, batch: ImportBatch) -> list[int]:
    cursor.execute(f"SELECT id FROM {_TABLE} WHERE import_batch_id = %s ORDER BY id", [batch.pk])  # noqa: S608
    ids = [pk for (pk,) in cursor.fetchall()]
    _refresh_statistics(cursor, len(ids))
    return ids


def _refresh_statistics(cursor, inserted: int) -> None:
    """ANALYZE the table when this import grew it a lot. The statistics otherwise still describe the table as it was
    (empty, on a new install) until autovacuum comes by after the commit, and the queries that follow in this
    transaction (transfers, the other apps' reactions) get nested-loop plans that take minutes instead of
    milliseconds. ANALYZE reads a sample and sees this transaction's own rows; it takes a fraction of a second."""
    if inserted < ANALYZE_AFTER_ROWS:
        return
    cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [_TABLE])
    (estimate,) = cursor.fetchone()
    if inserted > 0.2 * max(estimate, 0):
        cursor.execute(f"ANALYZE {_TABLE}")


def _copy_into_table(cursor, text: bytes) -> None:
    with cursor.cursor.copy(f"COPY {_TABLE} ({_CONSTANTS}, {_NAMES}) FROM STDIN") as copy:  # psycopg 3
        copy.write(text)


_ESCAPES = (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r"))
_NULL = "\\N"
_BOOL = {True: "t", False: "f"}


def _escaped_column(values: list[str | None]) -> list[str]:
    """COPY text-format escaping of a whole column at once (one pass over the joined text, not one per field).
    The rows were sanitised, so no value contains a NUL, which serves as the separator here."""
    joined = "\x00".join(value for value in values if value is not None)
    for char, escape in _ESCAPES:
        if char in joined:
            joined = joined.replace(char, escape)
    escaped = iter(joined.split("\x00"))
    return [_NULL if value is None else next(escaped) for value in values]


def _text(value) -> str:
    return _NULL if value is None else str(value)


def copy_text(chunk: list[NewRow], constants: tuple) -> bytes:
    """The chunk in COPY's text format, columns in `_CONSTANTS, _NAMES` order.

    psycopg's `Copy.write_row` converts value by value in Python; building the lines here, a column at a time
    where text needs escaping, takes a fraction of that on a 100,000-row import. Dates, numbers, booleans, the
    validated currency code, hex fingerprints and category sources never need escaping."""
    if not chunk:
        return b""
    prefix = "\t".join(_text(value.isoformat() if hasattr(value, "isoformat") else value) for value in constants)
    descriptions = _escaped_column([row.description for row in chunk])
    merchants = _escaped_column([row.merchant for row in chunk])
    external_ids = _escaped_column([row.external_id for row in chunk])
    lines = [
        f"{prefix}\t{row.date.isoformat()}\t{_NULL if row.authorized_date is None else row.authorized_date.isoformat()}"
        f"\t{row.amount}\t{row.currency}\t{description}\t{merchant}\t{_BOOL[row.pending]}\t{external_id}"
        f"\t{row.fingerprint}\t{row.occurrence}\t{_text(row.category_id)}\t{row.category_source}"
        f"\t{_text(row.category_confidence)}\t{_BOOL[row.category_suggested]}\t{_BOOL[row.excluded]}\n"
        for row, description, merchant, external_id in zip(chunk, descriptions, merchants, external_ids, strict=True)
    ]
    return "".join(lines).encode()


def _insert_skipping_conflicts(cursor, batch: ImportBatch, chunk: list[NewRow], constants: tuple) -> None:
    """The slower way for a chunk that collided: through a temporary table, `ON CONFLICT DO NOTHING`."""
    staging = f"import_staging_{batch.pk}"
    columns = ", ".join(f"{name} {kind}" for name, kind in _COLUMNS)
    cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {staging} (seq bigint, {columns}) ON COMMIT DROP")
    cursor.execute(f"TRUNCATE {staging}")
    with cursor.cursor.copy(f"COPY {staging} (seq, {_NAMES}) FROM STDIN") as copy:
        for seq, row in enumerate(chunk):
            copy.write_row((seq, *_values(row)))
    placeholders = ", ".join(["%s"] * len(constants))
    insert = f"""
        INSERT INTO {_TABLE} ({_CONSTANTS}, {_NAMES}) SELECT {placeholders}, {_NAMES} FROM {staging} ORDER BY seq
        ON CONFLICT DO NOTHING
    """  # noqa: S608 - table names are ours, values are parameters
    cursor.execute(insert, constants)


def _insert_rows_sqlite(
    batch: ImportBatch, chunks: Iterable[list[NewRow]], progress: Progress, keep_new: KeepNew
) -> list[int]:
    """SQLite: `INSERT OR IGNORE` of plain tuples per chunk (the unique keys turn duplicates away, like
    `bulk_create(ignore_conflicts=True)`, which spends most of its time building model instances and SQL). Dates
    and decimals reach SQLite through the adapters Django registers, so they are stored as Django stores them."""
    constants = _constants(batch)
    placeholders = ", ".join(["%s"] * (len(constants) + len(_COLUMNS)))
    insert = f"INSERT OR IGNORE INTO {_TABLE} ({_CONSTANTS}, {_NAMES}) VALUES ({placeholders})"  # noqa: S608
    handed = 0
    with connection.cursor() as cursor:
        for chunk in chunks:
            handed += len(chunk)
            cursor.executemany(insert, [constants + _values(row) for row in keep_new(chunk)])
            progress(handed)
    return list(Transaction.objects.filter(import_batch_id=batch.pk).order_by("id").values_list("id", flat=True))


_DONE = object()


def read_ahead(source: Iterable[T], depth: int = 2) -> Iterator[T]:
    """Iterate `source` in a worker thread, up to `depth` items ahead of the consumer.

    For pure-Python producers (parsing) feeding a consumer that waits on the database: the database call releases
    the GIL, so both cores work. Errors of the producer are raised in the consumer; a consumer that stops early
    stops the producer.
    """
    channel: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def offer(item) -> bool:
        while not stop.is_set():
            try:
                channel.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in source:
                if not offer((item, None)):
                    return
            offer((_DONE, None))
        except BaseException as error:  # handed to the consumer, which re-raises it
            offer((_DONE, error))

    worker = threading.Thread(target=produce, name="import-read-ahead", daemon=True)
    worker.start()
    try:
        while True:
            item, error = channel.get()
            if item is _DONE:
                if error is not None:
                    raise error
                return
            yield item
    finally:
        stop.set()
        worker.join()
