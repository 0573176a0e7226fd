"""The categorisation pipeline every writer of new transactions calls (imports, Plaid sync, manual entry, demo).

    process_new_transactions(household, txn_ids, source) -> PipelineResult

Stable contract (the Plaid sync relies on it):
- `txn_ids`: ids of transactions already saved in `household` (others are ignored); `source` is one of
  `fincoach.hooks.SOURCES` ("import", "plaid", "manual", "demo"...).
- Stages, in order of authority (each only fills or replaces categories set by a lower one, never a field the
  user edited by hand): the household's rules (all their actions) > the household's per-merchant memory >
  the bank's category (`Transaction.plaid_category`: a PFC code, which the Plaid sync stores only when Plaid's
  confidence is high) > the ML categoriser (`ml.services.categorize_transactions`, when that exists; applied
  from 0.8 confidence, flagged "suggested" from 0.6, else left uncategorised) > transfer detection.
- Finally `fincoach.hooks.transactions_changed(household.id, txn_ids, source)` runs the other apps' reactions
  after commit.
Runs in the caller's transaction when there is one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from fincoach.hooks import transactions_changed
from ml.models import MerchantCategoryMemory
from transactions.authority import may_set_category
from transactions.models import Category, Transaction

from .bulk import id_batches, id_in
from .categorising import CategoryAssignment, assign_categories, model_decision
from .ml_bridge import ml_service
from .rules import rules_apply
from .transfers import transfers_detect

logger = logging.getLogger(__name__)
Source = Transaction.CategorySource


@dataclass
class PipelineResult:
    transactions: int = 0
    by_rules: int = 0
    learned: int = 0
    bank: int = 0
    model: int = 0
    suggested: int = 0
    transfers: int = 0


@transaction.atomic
def process_new_transactions(
    household, txn_ids: Sequence[int], source: str, *, categorised: bool = False
) -> PipelineResult:
    """Categorise and link freshly written transactions, then tell the other apps. See the module docstring.

    `categorised=True` is for writers that decided the categories before inserting (the importer, through
    `ImportCategoriser`): only what needs the rows' ids is left — rule tags, transfers, the hooks.
    """
    ids = list(txn_ids)
    result = PipelineResult(transactions=len(ids))
    if not ids:
        return result
    if categorised:
        rules_apply(household, ids, tags_only=True)
        result.transfers = transfers_detect(household, ids)
        transactions_changed(household.pk, ids, source)
        return result
    result.by_rules = sum(1 for effect in rules_apply(household, ids) if effect.category_id is not None)
    open_rows = _open_rows(household, ids)
    result.learned = _apply_memory(household, open_rows)
    result.bank = _apply_bank_categories(open_rows)
    categorize = ml_service("categorize_transactions")
    if categorize is not None:
        result.model, result.suggested = _apply_model(household, open_rows, categorize)
    result.transfers = transfers_detect(household, ids)
    transactions_changed(household.pk, ids, source)
    return result


@dataclass(slots=True)
class _Open:
    """A transaction whose category automation may still set, as the stages see it."""

    merchant: str
    plaid_category: str
    category_id: int | None
    source: str


def _open_rows(household, ids: Sequence[int]) -> dict[int, _Open]:
    """The transactions below "learned" authority that the user has not categorised by hand (read once)."""
    rows: dict[int, _Open] = {}
    for batch in id_batches(ids):
        values = (
            Transaction.objects.for_household(household)
            .filter(id_in(batch))
            .values_list("id", "merchant", "plaid_category", "category_id", "category_source", "user_edited")
        )
        for pk, merchant, plaid_category, category_id, current, edited in values.iterator(chunk_size=10_000):
            if may_set_category(current_source=current, user_edited=edited, new_source=Source.LEARNED):
                rows[pk] = _Open(merchant, plaid_category, category_id, current)
    return rows


def _assign(open_rows: dict[int, _Open], assignments: list[CategoryAssignment]) -> int:
    for a in assignments:
        row = open_rows[a.transaction_id]
        row.category_id, row.source = a.category_id, a.source
    return assign_categories(assignments)


def _apply_memory(household, open_rows: dict[int, _Open]) -> int:
    memory = dict(MerchantCategoryMemory.objects.for_household(household).values_list("merchant", "category_id"))
    if not memory:
        return 0
    return _assign(
        open_rows,
        [
            CategoryAssignment(pk, memory[row.merchant], Source.LEARNED, Decimal("1"))
            for pk, row in open_rows.items()
            if row.merchant in memory
        ],
    )


def _apply_bank_categories(open_rows: dict[int, _Open]) -> int:
    wanted = {
        pk: row.plaid_category
        for pk, row in open_rows.items()
        if row.plaid_category and may_set_category(current_source=row.source, user_edited=(), new_source=Source.BANK)
    }
    if not wanted:
        return 0
    by_code = dict(
        Category.objects.filter(household__isnull=True, code__in=set(wanted.values())).values_list("code", "pk")
    )
    return _assign(
        open_rows,
        [CategoryAssignment(pk, by_code[code], Source.BANK) for pk, code in wanted.items() if code in by_code],
    )


# What the categoriser reads of a transaction (and the authority fields it checks).
_MODEL_FIELDS = (
    "id",
    "household_id",
    "account_id",
    "account__kind",
    "description",
    "merchant",
    "amount",
    "category_id",
    "category_source",
    "user_edited",
)


def _apply_model(household, open_rows: dict[int, _Open], categorize: Callable) -> tuple[int, int]:
    open_ids = [pk for pk, row in open_rows.items() if row.category_id is None]
    if not open_ids:
        return 0, 0
    applied = suggested = 0
    categories = dict(Category.objects.for_household(household).values_list("code", "pk"))
    for batch in id_batches(open_ids):
        asked = set(batch)
        transactions = list(Transaction.objects.filter(id_in(batch)).select_related("account").only(*_MODEL_FIELDS))
        try:
            predictions = categorize(household, transactions) or {}
        except Exception:  # the categoriser is an enhancement: a failure leaves rows honestly uncategorised
            logger.exception(
                "categoriser failed for household %s; %d transactions left as they were", household.pk, len(batch)
            )
            return applied, suggested
        assignments = []
        for pk, prediction in predictions.items():
            decision = model_decision(prediction, categories) if pk in asked else None
            if decision is not None:
                assignments.append(
                    CategoryAssignment(
                        pk, decision.category_id, decision.source, decision.confidence, decision.suggested
                    )
                )
                suggested += decision.suggested
        applied += _assign(open_rows, assignments)
    return applied, suggested
