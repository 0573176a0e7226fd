"""Set-based reads and updates of many transactions in few statements (an import touches 100,000 rows at once)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import TypeVar

from django.db import connection, models
from django.db.models import Lookup, Q

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
    return values_in(field, ids)


def values_in(field: str, values: Iterable) -> Q:
    """`Q(<field>__in=values)`, as `<field> = ANY(<one array parameter>)` on PostgreSQL."""
    values = list(values)
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__any_of": values})
    return Q(**{f"{field}__in": values})


@models.Field.register_lookup
class AnyOf(Lookup):
    """`field = ANY(%s::<type>[])` (PostgreSQL): one parameter however many values.

    Not `IN (SELECT unnest(…))`: right after a large import the table's statistics still describe it as nearly
    empty, and the planner then answers the sub-select with a nested loop of sequential scans — minutes for 100,000
    ids. `= ANY` with an array is an index scan, or a hashed filter, whatever the statistics say.
    """

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        # The type comes from our model's field, never from input; the values are one bound parameter.
        sql_type = self.lhs.output_field.cast_db_type(connection)
        return f"{lhs} = ANY(%s::{sql_type}[])", (*lhs_params, list(self.rhs))


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


def transactions_delete(queryset: models.QuerySet) -> int:
    """Delete these transactions with one statement per relation, whatever their number; returns how many.

    Django's own `delete()` loads every row and then deletes and nulls in batches of a hundred ids per statement: a
    100,000-row import took half a minute to undo. Here what points at a transaction (splits, tags, anomalies,
    series links, goal contributions, the other half of a transfer…) is found from the model's relations, so a
    relation added later is handled too; each is cleared with a sub-select of the doomed ids.
    """
    from transactions.models import Transaction

    doomed = queryset.values("pk")
    for relation in Transaction._meta.get_fields(include_hidden=True):
        if not relation.auto_created or relation.concrete or relation.many_to_many:
            continue  # only the reverse side of foreign keys (many-to-many tables have theirs)
        related = relation.related_model._base_manager.filter(**{f"{relation.field.name}__in": doomed})
        if relation.on_delete is models.CASCADE:
            related.delete()  # a fast single DELETE where the related model has no dependents of its own
        elif relation.on_delete is models.SET_NULL:
            related.update(**{relation.field.name: None})
        else:
            raise NotImplementedError(f"{relation!r}: on_delete {relation.on_delete.__name__} is not handled here")
    with connection.cursor() as cursor:
        sql, params = doomed.query.sql_with_params()
        cursor.execute(f"DELETE FROM {Transaction._meta.db_table} WHERE id IN ({sql})", params)  # noqa: S608
        return cursor.rowcount
