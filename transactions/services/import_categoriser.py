"""Categories for imported rows, decided before they are inserted, so a 100,000-row import writes each row once
(an UPDATE of every row after the INSERT would cost as much as the INSERT itself). `apply` does not touch the
database (everything it needs is read in the constructor), so the importer runs it in its parsing thread.

Same authority order as `pipeline.process_new_transactions` for a fresh row (no hand edits, no bank category in a
file): the household's rules > its per-merchant memory > the ML categoriser. Rule tags need the rows' ids: the
pipeline adds them after the insert (`categorised=True`).
"""

from __future__ import annotations

import logging
from decimal import Decimal

from ml.models import MerchantCategoryMemory
from transactions.models import FinancialAccount, Transaction
from transactions.rule_engine import TransactionFacts, first_match

from .import_rows import NewRow
from .ml_bridge import ml_service
from .rules import active_rules, transfer_category_ids

logger = logging.getLogger(__name__)
Source = Transaction.CategorySource
CERTAIN = Decimal("1.000")


class ImportCategoriser:
    """Decides the category (and rule renames and exclusions) of rows about to be inserted into one account."""

    def __init__(self, household, account: FinancialAccount) -> None:
        self.household = household
        self.account = account
        self.rules = active_rules(household)
        self.transfer_categories = transfer_category_ids() if self.rules else (None, None)
        self.memory = dict(MerchantCategoryMemory.objects.for_household(household).values_list("merchant", "category"))
        make_categorizer = ml_service("row_categorizer")
        self.categorize = make_categorizer() if make_categorizer is not None else None

    def apply(self, rows: list[NewRow]) -> list[NewRow]:
        """Fill in the category fields (and rule renames and exclusions) of the rows, in place; returns them."""
        for index, row in enumerate(rows):
            self._by_rules_and_memory(index, row)
        if self.categorize is not None:
            self._by_model(rows)
        return rows

    def _by_rules_and_memory(self, index: int, row: NewRow) -> None:
        if self.rules:
            facts = TransactionFacts(index, row.description, row.merchant, row.amount, self.account.pk)
            rule = first_match(self.rules, facts)
            if rule is not None:
                effect = rule.effect(facts, self.transfer_categories)
                row.merchant = (effect.merchant or row.merchant)[:200]
                row.excluded = bool(effect.excluded)
                if effect.category_id:
                    row.category_id, row.category_source = effect.category_id, Source.RULE
        if row.category_id is None and row.merchant in self.memory:
            row.category_id, row.category_source = self.memory[row.merchant], Source.LEARNED
            row.category_confidence = CERTAIN

    def _by_model(self, rows: list[NewRow]) -> None:
        """Ask the categoriser about the rows still open."""
        open_rows = [row for row in rows if row.category_id is None]
        if not open_rows:
            return
        try:
            decisions = self.categorize(
                [row.description for row in open_rows], [row.amount for row in open_rows], self.account.kind
            )
        except Exception:  # the categoriser is an enhancement: a failure leaves rows honestly uncategorised
            logger.exception("categoriser failed for household %s during an import", self.household.pk)
            return
        for row, decision in zip(open_rows, decisions, strict=True):
            if decision is not None:
                row.category_id, row.category_source = decision.category_id, decision.source
                row.category_confidence, row.category_suggested = decision.confidence, decision.suggested
