"""Transfers between the household's own accounts: detected, linked both ways, kept out of spending, unlinkable.

A pair is two transactions in different accounts of the household with opposite amounts, at most
`TRANSFER_WINDOW_DAYS` apart, neither already linked nor unlinked by the user, where at least one side looks like
a transfer (its wording or category) — so a $20 refund on one card and a $20 purchase on another stay apart.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DateField, Exists, ExpressionWrapper, Func, Max, Min, OuterRef

from fincoach.hooks import transactions_changed
from transactions.authority import may_set_category
from transactions.models import Category, FinancialAccount, Transaction

from .bulk import update_by_id, values_in
from .categorising import CategoryAssignment, assign_categories

TRANSFER_WINDOW_DAYS = 4
TRANSFER_PRIMARIES = frozenset({"TRANSFER_IN", "TRANSFER_OUT", "LOAN_PAYMENTS"})
_TRANSFER_WORDS = re.compile(
    r"transfer|\bxfer\b|\btrf\b|\btfr\b|payment|autopay|auto pay|thank you|online banking|to savings|from savings"
    r"|to checking|from checking|umbuchung|übertrag|uebertrag|overboeking|virement|transferencia|bizum interno",
    re.IGNORECASE,
)
OUT_CODE = "TRANSFER_OUT_ACCOUNT_TRANSFER"
IN_CODE = "TRANSFER_IN_ACCOUNT_TRANSFER"
CARD_PAYMENT_CODE = "LOAN_PAYMENTS_CREDIT_CARD_PAYMENT"
LOAN_PAYMENT_CODE = "LOAN_PAYMENTS_OTHER_PAYMENT"


@dataclass(frozen=True, slots=True)
class _Candidate:
    id: int
    account_id: int
    date: dt.date
    amount: Decimal
    transferish: bool
    category_source: str
    user_edited: tuple[str, ...]


def _looks_like_transfer(description: str, primary_code: str | None) -> bool:
    return primary_code in TRANSFER_PRIMARIES or bool(_TRANSFER_WORDS.search(description or ""))


def _unpaired(household):
    return Transaction.objects.for_household(household).filter(transfer_pair__isnull=True, excluded=False)


def find_transfer_pairs(candidates: Iterable[_Candidate], new_ids: set[int]) -> list[tuple[_Candidate, _Candidate]]:
    """Greedy one-to-one matching: each new transaction takes the closest-dated unused counterpart."""
    by_amount: dict[Decimal, list[_Candidate]] = defaultdict(list)
    pool = list(candidates)
    for candidate in pool:
        if "transfer_pair" not in candidate.user_edited:
            by_amount[candidate.amount].append(candidate)
    used: set[int] = set()
    pairs = []
    window = dt.timedelta(days=TRANSFER_WINDOW_DAYS)
    for txn in sorted((c for c in pool if c.id in new_ids), key=lambda c: (c.date, c.id)):
        if txn.id in used or txn.amount == 0 or "transfer_pair" in txn.user_edited:
            continue
        options = [
            other
            for other in by_amount.get(-txn.amount, ())
            if other.id not in used
            and other.account_id != txn.account_id
            and abs(other.date - txn.date) <= window
            and (txn.transferish or other.transferish)
        ]
        if not options:
            continue
        best = min(options, key=lambda other: (abs(other.date - txn.date), other.id))
        used.update((txn.id, best.id))
        pairs.append((txn, best))
    return pairs


def transfers_detect(household, transaction_ids: Iterable[int] | None = None) -> int:
    """Link transfer pairs involving these transactions (all of the household's when None). Returns pairs linked."""
    if FinancialAccount.objects.for_household(household).count() < 2:
        return 0
    unpaired = _unpaired(household)
    if transaction_ids is None:
        candidates = _candidates(unpaired.filter(_has_opposite_in(unpaired)))
        new_ids = {c.id for c in candidates}
    else:
        new_ids = set(transaction_ids)
        if not new_ids:
            return 0
        # The rows in the ids' range: exact for an import (its ids are one run), more rows than needed otherwise,
        # which the id check below leaves out.
        fresh = unpaired.filter(pk__gte=min(new_ids), pk__lte=max(new_ids))
        bounds = fresh.aggregate(first=Min("date"), last=Max("date"))
        if bounds["first"] is None:
            return 0
        window = dt.timedelta(days=TRANSFER_WINDOW_DAYS)
        pool = unpaired.filter(date__gte=bounds["first"] - window, date__lte=bounds["last"] + window)
        # First the new rows that have an opposite amount in another account within the window (the database finds
        # them, an index probe per new row), then the rows those few could pair with, by amount. So a 100,000-row
        # import into a household with years of history reads a few candidates, never the history.
        paired = [c for c in _candidates(fresh.filter(_has_opposite_in(unpaired))) if c.id in new_ids]
        if not paired:
            return 0
        counterparts = _candidates(pool.filter(values_in("amount", {-c.amount for c in paired})))
        candidates = list({c.id: c for c in (*paired, *counterparts)}.values())
    pairs = find_transfer_pairs(candidates, new_ids)
    if pairs:
        _link_pairs(household, pairs)
    return len(pairs)


class _DayNotIndexed(Func):
    """The row's date, as a value SQLite does not look up through an index. Without statistics SQLite searches the
    other half of a transfer by date range (every row of nine days, per new row) rather than by amount (a few)."""

    template = "%(expressions)s"
    output_field = DateField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="+%(expressions)s", **extra)


def _has_opposite_in(pool) -> Exists:
    """Whether a row has an opposite amount in another account of `pool`, within the window."""
    window = dt.timedelta(days=TRANSFER_WINDOW_DAYS)
    opposite = (
        pool.annotate(day=_DayNotIndexed("date"))
        .filter(
            amount=-OuterRef("amount"),
            day__gte=ExpressionWrapper(OuterRef("date") - window, output_field=DateField()),
            day__lte=ExpressionWrapper(OuterRef("date") + window, output_field=DateField()),
        )
        .exclude(account_id=OuterRef("account_id"))
    )
    return Exists(opposite)


_CANDIDATE_FIELDS = (
    "id",
    "account_id",
    "date",
    "amount",
    "description",
    "category__primary_code",
    "category_source",
    "user_edited",
)


def _candidates(rows) -> list[_Candidate]:
    # Unordered: the model's date order would steer the planner to walking the date index.
    values = rows.exclude(amount=0).order_by().values_list(*_CANDIDATE_FIELDS)
    return [
        _Candidate(pk, account, date, amount, _looks_like_transfer(description, primary), source, tuple(edited or ()))
        for pk, account, date, amount, description, primary, source, edited in values
    ]


def _link_pairs(household, pairs: list[tuple[_Candidate, _Candidate]]) -> None:
    update_by_id(
        Transaction,
        ("transfer_pair",),
        [row for a, b in pairs for row in ((a.id, b.id), (b.id, a.id))],
    )
    codes = dict(
        Category.objects.filter(
            household__isnull=True, code__in=(OUT_CODE, IN_CODE, CARD_PAYMENT_CODE, LOAN_PAYMENT_CODE)
        ).values_list("code", "pk")
    )
    kinds = dict(FinancialAccount.objects.for_household(household).values_list("pk", "kind"))
    assignments = []
    for a, b in pairs:
        money_out, money_in = (a, b) if a.amount < 0 else (b, a)
        destination = kinds.get(money_in.account_id)
        out_code = {
            FinancialAccount.Kind.CREDIT_CARD: CARD_PAYMENT_CODE,
            FinancialAccount.Kind.LOAN: LOAN_PAYMENT_CODE,
        }.get(destination, OUT_CODE)
        for side, code in ((money_out, out_code), (money_in, IN_CODE)):
            # Linking outranks the bank and the model, never the user or the household's own rules.
            if codes.get(code) and may_set_category(
                current_source=side.category_source, user_edited=side.user_edited, new_source="learned"
            ):
                assignments.append(CategoryAssignment(side.id, codes[code], Transaction.CategorySource.RULE))
    assign_categories(assignments)


@transaction.atomic
def transfer_link(first: Transaction, second: Transaction) -> None:
    """Link two transactions as a transfer by hand."""
    if first.household_id != second.household_id:
        raise ValidationError("Both transactions must be yours.")
    if first.account_id == second.account_id:
        raise ValidationError("A transfer moves money between two different accounts.")
    if first.amount != -second.amount:
        raise ValidationError("The amounts of a transfer are opposite (one leaves, the same arrives).")
    for txn in (first, second):
        if txn.transfer_pair_id and txn.transfer_pair_id not in (first.pk, second.pk):
            raise ValidationError(f"{txn} is already linked to another transaction; unlink it first.")
    first.transfer_pair, second.transfer_pair = second, first
    for txn in (first, second):
        txn.user_edited = sorted({*txn.user_edited} - {"transfer_pair"})
        txn.save(update_fields=["transfer_pair", "user_edited", "updated_at"])
    transactions_changed(first.household_id, [first.pk, second.pk], "manual")


@transaction.atomic
def transfer_unlink(txn: Transaction) -> None:
    """Unlink a transfer (both sides); detection never pairs these two again by itself."""
    other = txn.transfer_pair
    sides = [txn] if other is None else [txn, other]
    for side in sides:
        side.transfer_pair = None
        side.user_edited = sorted({*side.user_edited, "transfer_pair"})
        side.save(update_fields=["transfer_pair", "user_edited", "updated_at"])
    transactions_changed(txn.household_id, [side.pk for side in sides], "manual")
