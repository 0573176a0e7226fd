"""Categories for imported rows, decided before they are inserted, so a 100,000-row import writes each row once
(an UPDATE of every row after the INSERT would cost as much as the INSERT itself).

Same authority order as `pipeline.process_new_transactions` for a fresh row (no hand edits, no bank category in a
file): the household's rules > its per-merchant memory > the ML categoriser. Rule tags need the rows' ids: the
pipeline adds them after the insert (`categorised=True`).
"""

from __future__ import annotations

import dataclasses
import logging
from decimal import Decimal

from ml.models import MerchantCategoryMemory
from transactions.models import Category, FinancialAccount, Transaction
from transactions.rule_engine import TransactionFacts, first_match

from .categorising import model_decision
from .import_rows import NewRow
from .ml_bridge import ml_service
from .rules import active_rules, transfer_category_ids

logger = logging.getLogger(__name__)
Source = Transaction.CategorySource


class ImportCategoriser:
    """Decides the category (and rule renames and exclusions) of rows about to be inserted into one account."""

    def __init__(self, household, account: FinancialAccount) -> None:
        self.household = household
        self.account = account
        self.rules = active_rules(household)
        self.transfer_categories = transfer_category_ids() if self.rules else (None, None)
        self.memory = dict(MerchantCategoryMemory.objects.for_household(household).values_list("merchant", "category"))
        self.categorize = ml_service("categorize_transactions")
        self.categories = (
            dict(Category.objects.for_household(household).values_list("code", "pk")) if self.categorize else {}
        )

    def apply(self, rows: list[NewRow]) -> list[NewRow]:
        decided = [self._by_rules_and_memory(index, row) for index, row in enumerate(rows)]
        if self.categorize is not None:
            self._by_model(decided)
        return decided

    def _by_rules_and_memory(self, index: int, row: NewRow) -> NewRow:
        if self.rules:
            facts = TransactionFacts(index, row.description, row.merchant, row.amount, self.account.pk)
            rule = first_match(self.rules, facts)
            if rule is not None:
                effect = rule.effect(facts, self.transfer_categories)
                row = dataclasses.replace(
                    row,
                    merchant=(effect.merchant or row.merchant)[:200],
                    excluded=bool(effect.excluded),
                    category_id=effect.category_id,
                    category_source=Source.RULE if effect.category_id else "",
                )
        if row.category_id is None and row.merchant in self.memory:
            row = dataclasses.replace(
                row,
                category_id=self.memory[row.merchant],
                category_source=Source.LEARNED,
                category_confidence=Decimal("1.000"),
            )
        return row

    def _by_model(self, rows: list[NewRow]) -> None:
        """Ask the categoriser about the rows still open, as unsaved transactions keyed by their index."""
        open_rows = {index: row for index, row in enumerate(rows) if row.category_id is None}
        if not open_rows:
            return
        unsaved = [
            Transaction(
                pk=index,
                household_id=self.household.pk,
                account=self.account,
                date=row.date,
                amount=row.amount,
                currency=row.currency,
                description=row.description,
                merchant=row.merchant,
            )
            for index, row in open_rows.items()
        ]
        try:
            predictions = self.categorize(self.household, unsaved) or {}
        except Exception:  # the categoriser is an enhancement: a failure leaves rows honestly uncategorised
            logger.exception("categoriser failed for household %s during an import", self.household.pk)
            return
        for index, prediction in predictions.items():
            decision = model_decision(prediction, self.categories) if index in open_rows else None
            if decision is not None:
                rows[index] = dataclasses.replace(
                    open_rows[index],
                    category_id=decision.category_id,
                    category_source=decision.source,
                    category_confidence=decision.confidence,
                    category_suggested=decision.suggested,
                )
