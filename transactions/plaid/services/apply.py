"""Apply `/transactions/sync` pages to the database. Idempotent: applying the same pages twice changes nothing.

- added/modified → upsert by Plaid transaction id, writing only bank-owned fields; the user's own edits (category,
  notes, tags, splits, and any field listed in `user_edited`) are kept, and the bank's category replaces only
  what ranks below it (`transactions.authority`: never a user's, a rule's or a learned one).
- A posted transaction that names a `pending_transaction_id` we hold takes over that pending row, so the user's
  edits made while it was pending survive and the pair never shows twice.
- A transaction we have never seen first claims an identical row (same account, date and amount) that has no
  Plaid id — one left by an earlier link of the same login or by a file import — instead of duplicating it.
- removed → deleted.

Runs inside the caller's database transaction; it never commits on its own.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone

from transactions.authority import may_set_category
from transactions.models import Category, FinancialAccount, PlaidItem, Transaction

from .. import mapping
from .accounts import link_item_accounts

_CHUNK = 500
_BANK = Transaction.CategorySource.BANK
# Written on every upsert; `user_edited` can still protect any of them.
_UPDATE_FIELDS = [
    "plaid_transaction_id",
    "date",
    "authorized_date",
    "amount",
    "currency",
    "description",
    "merchant",
    "pending",
    "plaid_category",
    "category",
    "category_source",
    "category_confidence",
    "category_suggested",
]


@dataclass
class NetChanges:
    """What a loop's pages amount to, in order: the last word on each transaction id wins."""

    upserts: dict[str, dict] = field(default_factory=dict)
    removed: set[str] = field(default_factory=set)
    accounts: dict[str, dict] = field(default_factory=dict)


@dataclass
class AppliedChanges:
    created_ids: list[int] = field(default_factory=list)
    updated_ids: list[int] = field(default_factory=list)
    matched_ids: list[int] = field(default_factory=list)
    removed: int = 0
    skipped: int = 0  # transactions of accounts another link holds


def net_changes(pages: Iterable[dict]) -> NetChanges:
    net = NetChanges()
    for page in pages:
        for account in page.get("accounts") or []:
            net.accounts[account["account_id"]] = account
        for txn in [*(page.get("added") or []), *(page.get("modified") or [])]:
            net.upserts[txn["transaction_id"]] = txn
            net.removed.discard(txn["transaction_id"])
        for gone in page.get("removed") or []:
            net.upserts.pop(gone["transaction_id"], None)
            net.removed.add(gone["transaction_id"])
    return net


def _chunks(values: Sequence, size: int = _CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _rows_by_plaid_id(household, plaid_ids: set[str]) -> dict[str, Transaction]:
    rows: dict[str, Transaction] = {}
    for chunk in _chunks(sorted(plaid_ids)):
        for row in Transaction.objects.select_for_update().filter(household=household, plaid_transaction_id__in=chunk):
            rows[row.plaid_transaction_id] = row
    return rows


def _system_category_ids() -> dict[str, int]:
    return dict(Category.objects.filter(household__isnull=True).values_list("code", "pk"))


class _Claimable:
    """Rows without a Plaid id that a new bank transaction may claim, by (account, date, amount), oldest first."""

    def __init__(self, account_ids: set[int], dates: list[dt.date]):
        self._rows: dict[tuple, list[Transaction]] = defaultdict(list)
        if not account_ids or not dates:
            return
        candidates = (
            Transaction.objects.select_for_update()
            .filter(account_id__in=account_ids, plaid_transaction_id__isnull=True)
            .filter(date__gte=min(dates), date__lte=max(dates))
            .order_by("pk")
        )
        for row in candidates:
            self._rows[(row.account_id, row.date, row.amount)].append(row)

    def claim(self, account_id: int, date: dt.date, amount: Decimal) -> Transaction | None:
        rows = self._rows.get((account_id, date, amount))
        return rows.pop(0) if rows else None


def _category_values(category: mapping.BankCategory) -> dict[str, Any]:
    if category.category_id is None:
        return {"category_id": None, "category_source": "", "category_confidence": None, "category_suggested": False}
    return {
        "category_id": category.category_id,
        "category_source": _BANK,
        "category_confidence": category.confidence,
        "category_suggested": category.suggested,
    }


def _snapshot(row: Transaction) -> tuple:
    return tuple(getattr(row, "category_id" if name == "category" else name) for name in _UPDATE_FIELDS)


def _write_bank_values(row: Transaction, plaid_id: str, values: dict[str, Any], category: mapping.BankCategory) -> bool:
    """Bank-owned fields onto an existing row, keeping the user's edits; True when anything changed."""
    before = _snapshot(row)
    edited = set(row.user_edited or [])
    row.plaid_transaction_id = plaid_id
    for name, value in values.items():
        if name in edited:
            continue
        if name == "merchant" and row.merchant:
            continue  # the merchant may have been renamed by a rule or normalised: fill it, never overwrite it
        setattr(row, name, value)
    row.plaid_category = category.code
    already_banks = (row.category_id, row.category_source) == (category.category_id, _BANK)
    if (
        category.category_id is not None
        and not already_banks
        and may_set_category(current_source=row.category_source, user_edited=edited, new_source=_BANK)
    ):
        for name, value in _category_values(category).items():
            setattr(row, name, value)
    return _snapshot(row) != before


def _insert(rows: list[Transaction]) -> None:
    """INSERT new rows and set their ids: COPY on PostgreSQL, one prepared statement elsewhere.

    An initial sync brings thousands of rows at once; `bulk_create` spends most of its time assembling SQL. Values
    still go through each field's own `get_db_prep_save`, so the model stays the single definition of the row.
    """
    fields = [f for f in Transaction._meta.concrete_fields if not f.primary_key]
    # `pre_save` fills auto_now fields, as a save would.
    values = [[f.get_db_prep_save(f.pre_save(row, True), connection) for f in fields] for row in rows]
    table = connection.ops.quote_name(Transaction._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # psycopg 3
                for row_values in values:
                    copy.write_row(row_values)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", values)  # noqa: S608
    ids: dict[str, int] = {}
    plaid_ids = [row.plaid_transaction_id for row in rows]
    for chunk in _chunks(plaid_ids):
        ids.update(Transaction.objects.filter(plaid_transaction_id__in=chunk).values_list("plaid_transaction_id", "pk"))
    for row in rows:
        row.pk = ids[row.plaid_transaction_id]
        row._state.adding = False


def apply_sync_pages(item: PlaidItem, pages: Sequence[dict]) -> AppliedChanges:
    """Apply the pages of one sync loop (or a replay of stored pages) to `item`'s accounts and transactions."""
    net = net_changes(pages)
    accounts = link_item_accounts(item, list(net.accounts.values()), take_from_other_items=False).by_plaid_id
    if not accounts and net.upserts:
        # A page without its accounts list (a replay of a partial page): use the accounts already linked.
        accounts = {a.plaid_account_id: a for a in FinancialAccount.objects.filter(plaid_item=item)}
    result = AppliedChanges()
    category_ids = _system_category_ids()
    pending_ids = {t["pending_transaction_id"] for t in net.upserts.values() if t.get("pending_transaction_id")}
    existing = _rows_by_plaid_id(item.household, set(net.upserts) | pending_ids)

    changed: list[Transaction] = []
    unresolved: list[tuple[str, FinancialAccount, dict[str, Any], mapping.BankCategory]] = []
    for plaid_id, txn in net.upserts.items():
        account = accounts.get(txn["account_id"])
        if account is None:
            result.skipped += 1
            continue
        values = mapping.bank_fields(txn, account.currency)
        category = mapping.bank_category(txn, category_ids)
        row = existing.pop(plaid_id, None) or existing.pop(txn.get("pending_transaction_id") or "", None)
        if row is None:
            unresolved.append((plaid_id, account, values, category))
            continue
        moved = row.account_id != account.pk
        if moved:
            row.account = account  # a pending row posted to another account of the same login
        if _write_bank_values(row, plaid_id, values, category) or moved:
            changed.append(row)
            result.updated_ids.append(row.pk)

    created: list[Transaction] = []
    claimable = _Claimable({a.pk for _, a, _, _ in unresolved}, [v["date"] for _, _, v, _ in unresolved])
    for plaid_id, account, values, category in unresolved:
        row = claimable.claim(account.pk, values["date"], values["amount"])
        if row is not None:
            _write_bank_values(row, plaid_id, values, category)
            changed.append(row)
            result.matched_ids.append(row.pk)
            continue
        created.append(
            Transaction(
                household=item.household,
                account=account,
                plaid_transaction_id=plaid_id,
                plaid_category=category.code,
                **values,
                **_category_values(category),
            )
        )

    if changed:
        now = timezone.now()
        for row in changed:
            row.updated_at = now
        Transaction.objects.bulk_update(changed, [*_UPDATE_FIELDS, "account", "updated_at"], batch_size=_CHUNK)
    if created:
        _insert(created)
        result.created_ids = [row.pk for row in created]
    # After the updates: a pending row that became its posted transaction no longer carries the removed id.
    for chunk in _chunks(sorted(net.removed)):
        _, per_model = Transaction.objects.filter(household=item.household, plaid_transaction_id__in=chunk).delete()
        result.removed += per_model.get(Transaction._meta.label, 0)
    return result
