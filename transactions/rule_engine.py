"""Matching rules against transactions, without the database: the services load facts, this decides.

A rule has conditions (description or merchant contains / equals / starts with / matches a pattern, an amount
range on the signed amount, an account) and actions (set category, rename merchant, add tag, mark as transfer,
exclude). Rules are tried in order and the first that matches wins. Actions never touch what the user set by hand.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .authority import may_set_category

MATCH_TYPES = ("contains", "equals", "starts_with", "regex")
MATCH_FIELDS = ("description", "merchant")


class RulePatternError(ValueError):
    """A rule's regular expression does not compile."""


@dataclass(frozen=True, slots=True)
class RuleSpec:
    id: int
    match_field: str
    match_type: str
    match_value: str
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    account_id: int | None = None
    set_category_id: int | None = None
    set_merchant: str = ""
    add_tag_id: int | None = None
    mark_transfer: bool = False
    mark_excluded: bool = False

    def compile(self) -> CompiledRule:
        return CompiledRule(self, compile_condition(self.match_type, self.match_value))


def compile_condition(match_type: str, value: str) -> re.Pattern[str]:
    """The condition as a case-insensitive pattern (raises RulePatternError for a bad regular expression)."""
    if match_type == "regex":
        try:
            return re.compile(value, re.IGNORECASE)
        except re.error as error:
            raise RulePatternError(f"“{value}” is not a valid pattern: {error}.") from None
    escaped = re.escape(value.strip())
    if match_type == "equals":
        return re.compile(rf"\A\s*{escaped}\s*\Z", re.IGNORECASE)
    if match_type == "starts_with":
        return re.compile(rf"\A\s*{escaped}", re.IGNORECASE)
    if match_type == "contains":
        return re.compile(escaped, re.IGNORECASE)
    raise ValueError(f"unknown match type {match_type!r}")


@dataclass(frozen=True, slots=True)
class TransactionFacts:
    """What a rule looks at and what its actions may change."""

    id: int
    description: str
    merchant: str
    amount: Decimal
    account_id: int
    category_id: int | None = None
    category_source: str = ""
    excluded: bool = False
    user_edited: tuple[str, ...] = ()
    tag_ids: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class RuleEffect:
    """What applying a rule to one transaction changes (None: leave as is)."""

    transaction_id: int
    rule_id: int
    category_id: int | None = None
    merchant: str | None = None
    tag_id: int | None = None
    excluded: bool | None = None

    @property
    def is_empty(self) -> bool:
        return self.category_id is None and self.merchant is None and self.tag_id is None and self.excluded is None


@dataclass(frozen=True)
class CompiledRule:
    spec: RuleSpec
    pattern: re.Pattern[str]

    def matches(self, facts: TransactionFacts) -> bool:
        spec = self.spec
        if spec.account_id is not None and facts.account_id != spec.account_id:
            return False
        if spec.amount_min is not None and facts.amount < spec.amount_min:
            return False
        if spec.amount_max is not None and facts.amount > spec.amount_max:
            return False
        text = facts.merchant if spec.match_field == "merchant" else facts.description
        return self.pattern.search(text or "") is not None

    def effect(self, facts: TransactionFacts, transfer_categories: tuple[int | None, int | None]) -> RuleEffect:
        """The changes this rule makes to `facts` (empty when everything is already so or was set by hand)."""
        spec = self.spec
        edited = facts.user_edited
        category_id = spec.set_category_id
        if category_id is None and spec.mark_transfer:
            money_out, money_in = transfer_categories
            category_id = money_out if facts.amount < 0 else money_in
        may_categorise = may_set_category(current_source=facts.category_source, user_edited=edited, new_source="rule")
        new_category = (
            category_id if category_id is not None and may_categorise and category_id != facts.category_id else None
        )
        new_merchant = (
            spec.set_merchant
            if spec.set_merchant and "merchant" not in edited and spec.set_merchant != facts.merchant
            else None
        )
        new_tag = spec.add_tag_id if spec.add_tag_id is not None and spec.add_tag_id not in facts.tag_ids else None
        new_excluded = True if spec.mark_excluded and not facts.excluded and "excluded" not in edited else None
        return RuleEffect(facts.id, spec.id, new_category, new_merchant, new_tag, new_excluded)


def compile_rules(specs: Iterable[RuleSpec]) -> list[CompiledRule]:
    """Compile in order, skipping rules whose pattern no longer compiles (the form refuses new ones)."""
    compiled = []
    for spec in specs:
        try:
            compiled.append(spec.compile())
        except RulePatternError:
            continue
    return compiled


def first_match(rules: Sequence[CompiledRule], facts: TransactionFacts) -> CompiledRule | None:
    for rule in rules:
        if rule.matches(facts):
            return rule
    return None


def effects_for(
    rules: Sequence[CompiledRule],
    transactions: Iterable[TransactionFacts],
    transfer_categories: tuple[int | None, int | None] = (None, None),
) -> list[RuleEffect]:
    """The non-empty effects of the first matching rule on each transaction."""
    out = []
    for facts in transactions:
        rule = first_match(rules, facts)
        if rule is None:
            continue
        effect = rule.effect(facts, transfer_categories)
        if not effect.is_empty:
            out.append(effect)
    return out
