"""Writing prepared rows into the transactions table fast, with exact counts of what was new.

Duplicates are left to the database's unique keys — (account, fingerprint, occurrence) and (account, external_id) —
so the count of inserted rows is exact whatever is already there. Rows are written in chunks (memory stays flat):

- PostgreSQL: per chunk, COPY into a temporary table then `INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING id`.
  The rows are parsed one chunk ahead in a second thread, so Python parses while PostgreSQL inserts.
- Other databases (SQLite, the embedded default): `bulk_create(ignore_conflicts=True)` per chunk, counting the
  batch's rows afterwards.
"""

from __future__ import annotations

import operator
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from django.db import connection
from django.utils import timezone

from transactions.models import ImportBatch, Transaction

from .bulk import chunked
from .import_rows import NewRow

CHUNK_ROWS = 5000
T = TypeVar("T")
Progress = Callable[[int], None]
# Runs on each chunk in the writing thread, just before the insert: may drop rows (already here by other means
# than the unique keys) and decide their categories.
BeforeInsert = Callable[[list[NewRow]], list[NewRow]]

# The columns an import fills; the rest take their model defaults in the INSERT below.
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


def write_rows(
    batch: ImportBatch, rows: Iterable[NewRow], progress: Progress, before_insert: BeforeInsert | None = None
) -> list[int]:
    """Insert the rows the account does not have yet; returns the new transactions' ids in file order.

    Must run inside a transaction (the import is all or nothing). `rows` must not touch the database (it may be
    iterated in another thread). `progress(n)` is told how many rows were handed over so far.
    """
    if connection.vendor == "postgresql":
        return _copy_rows(batch, read_ahead(chunked(rows, CHUNK_ROWS)), progress, before_insert)
    return _bulk_create_rows(batch, chunked(rows, CHUNK_ROWS), progress, before_insert)


def _copy_rows(batch: ImportBatch, chunks: Iterable[list[NewRow]], progress: Progress, before_insert) -> list[int]:
    staging = f"import_staging_{batch.pk}"
    table = Transaction._meta.db_table
    insert = f"""
        INSERT INTO {table} (
            household_id, account_id, import_batch_id, {_NAMES}, notes, plaid_category, user_edited, created_at,
            updated_at
        )
        SELECT %s, %s, %s, {_NAMES}, '', '', '[]'::jsonb, %s, %s
        FROM {staging} ORDER BY seq
        ON CONFLICT DO NOTHING
        RETURNING id
    """  # noqa: S608 - table names are ours, values are parameters
    ids: list[int] = []
    handed = 0
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {staging}")
        columns = ", ".join(f"{name} {kind}" for name, kind in _COLUMNS)
        cursor.execute(f"CREATE TEMP TABLE {staging} (seq bigint, {columns}) ON COMMIT DROP")
        for chunk in chunks:
            handed += len(chunk)
            chunk = before_insert(chunk) if before_insert else chunk
            if chunk:
                with cursor.cursor.copy(f"COPY {staging} (seq, {_NAMES}) FROM STDIN") as copy:  # psycopg 3
                    for seq, row in enumerate(chunk):
                        copy.write_row((seq, *_values(row)))
                now = timezone.now()
                cursor.execute(insert, [batch.household_id, batch.account_id, batch.pk, now, now])
                ids.extend(pk for (pk,) in cursor.fetchall())
                cursor.execute(f"TRUNCATE {staging}")
            progress(handed)
        cursor.execute(f"DROP TABLE IF EXISTS {staging}")
    return sorted(ids)


_values = operator.attrgetter(*(name for name, _ in _COLUMNS))  # row → tuple of column values, at C speed


def _bulk_create_rows(
    batch: ImportBatch, chunks: Iterable[list[NewRow]], progress: Progress, before_insert
) -> list[int]:
    handed = 0
    for chunk in chunks:
        handed += len(chunk)
        Transaction.objects.bulk_create(
            (
                Transaction(
                    household_id=batch.household_id,
                    account_id=batch.account_id,
                    import_batch_id=batch.pk,
                    **{name: getattr(row, name) for name, _ in _COLUMNS},
                )
                for row in (before_insert(chunk) if before_insert else chunk)
            ),
            batch_size=500,
            ignore_conflicts=True,
        )
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
