"""Set-based reads and updates of many transactions in few statements (an import touches 100,000 rows at once)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import TypeVar

from django.db import connection, models
from django.db.models import Q
from django.db.models.expressions import RawSQL

T = TypeVar("T")
CHUNK = 2000
# SQLite allows 32,766 parameters per statement; PostgreSQL gets ids as one array parameter.
SQLITE_IDS = 20_000


def chunked(items: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def id_batches(ids: Iterable[int]) -> Iterator[list[int]]:
    """Ids in batches a single statement can take: all at once on PostgreSQL, 20,000 at a time on SQLite."""
    if connection.vendor == "postgresql":
        everything = list(ids)
        if everything:
            yield everything
        return
    yield from chunked(ids, SQLITE_IDS)


def id_in(ids: Iterable[int], field: str = "pk") -> Q:
    """`Q(pk__in=ids)` that stays cheap for a batch from `id_batches` (one array parameter on PostgreSQL, where
    tens of thousands of placeholders would cost seconds to render)."""
    return values_in(field, ids, "bigint")


def values_in(field: str, values: Iterable, sql_type: str = "text") -> Q:
    """`Q(<field>__in=values)` with the values as one array parameter on PostgreSQL."""
    values = list(values)
    if connection.vendor == "postgresql":
        # sql_type comes from our code, never from input; the values are one bound parameter.
        return Q(**{f"{field}__in": RawSQL(f"SELECT unnest(%s::{sql_type}[])", (values,))})  # noqa: S611
    return Q(**{f"{field}__in": values})


def update_by_id(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """UPDATE `fields` of many rows from `(id, *values)` tuples; returns the number of rows given.

    PostgreSQL: one `UPDATE … FROM unnest(array, array, …)` per 50,000 rows (a handful of parameters whatever the
    row count). SQLite: `WITH v(...) AS (VALUES ...) UPDATE ... FROM v`, a few thousand rows per statement.
    """
    columns = [model._meta.get_field(name) for name in fields]
    all_fields = [model._meta.pk, *columns]
    table = connection.ops.quote_name(model._meta.db_table)
    pk_column = connection.ops.quote_name(model._meta.pk.column)
    names = ["id", *(f"c{i}" for i in range(len(columns)))]
    assignments = ", ".join(f"{connection.ops.quote_name(f.column)} = v.c{i}" for i, f in enumerate(columns))
    casts = [f.cast_db_type(connection) for f in all_fields]
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(f"%s::{cast}[]" for cast in casts)
            sql = (
                f"UPDATE {table} SET {assignments} FROM unnest({arrays}) AS v({', '.join(names)}) "  # noqa: S608
                f"WHERE {table}.{pk_column} = v.id"
            )
            for chunk in chunked(rows, 50_000):
                columns_of = list(zip(*chunk, strict=True))
                params = [
                    [field.get_db_prep_value(value, connection) for value in values]
                    for field, values in zip(all_fields, columns_of, strict=True)
                ]
                cursor.execute(sql, params)
                written += len(chunk)
            return written
        placeholder = "(" + ", ".join(f"CAST(%s AS {cast})" for cast in casts) + ")"
        for chunk in chunked(rows, 30_000 // len(casts)):
            cursor.execute(
                f"WITH v({', '.join(names)}) AS (VALUES {', '.join([placeholder] * len(chunk))}) "  # noqa: S608
                f"UPDATE {table} SET {assignments} FROM v WHERE {table}.{pk_column} = v.id",
                [
                    field.get_db_prep_value(value, connection)
                    for row in chunk
                    for field, value in zip(all_fields, row, strict=True)
                ],
            )
            written += len(chunk)
    return written
