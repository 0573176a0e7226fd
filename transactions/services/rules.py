"""Rules: create, edit, order, delete; run them on new transactions; apply one to past transactions after a
preview; and the one-click "always do this for <merchant>" rule after a correction."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet

from fincoach.hooks import transactions_changed
from transactions.models import Category, Rule, Tag, Transaction
from transactions.rule_engine import (
    CompiledRule,
    RuleEffect,
    RulePatternError,
    RuleSpec,
    TransactionFacts,
    compile_condition,
    compile_rules,
    effects_for,
)

from .bulk import chunked, id_batches, id_in, update_by_id
from .categorising import CategoryAssignment, assign_categories

RULE_FIELDS = (
    "name",
    "is_active",
    "match_field",
    "match_type",
    "match_value",
    "amount_min",
    "amount_max",
    "account",
    "set_category",
    "set_merchant",
    "add_tag",
    "mark_transfer",
    "mark_excluded",
)
TRANSFER_OUT_CODE = "TRANSFER_OUT_ACCOUNT_TRANSFER"
TRANSFER_IN_CODE = "TRANSFER_IN_ACCOUNT_TRANSFER"
PREVIEW_LIMIT = 50


def spec_of(rule: Rule) -> RuleSpec:
    return RuleSpec(
        id=rule.pk or 0,
        match_field=rule.match_field,
        match_type=rule.match_type,
        match_value=rule.match_value,
        amount_min=rule.amount_min,
        amount_max=rule.amount_max,
        account_id=rule.account_id,
        set_category_id=rule.set_category_id,
        set_merchant=rule.set_merchant,
        add_tag_id=rule.add_tag_id,
        mark_transfer=rule.mark_transfer,
        mark_excluded=rule.mark_excluded,
    )


def transfer_category_ids() -> tuple[int | None, int | None]:
    """The system categories a "mark as transfer" action sets: money out, money in."""
    ids = dict(
        Category.objects.filter(household__isnull=True, code__in=(TRANSFER_OUT_CODE, TRANSFER_IN_CODE)).values_list(
            "code", "pk"
        )
    )
    return ids.get(TRANSFER_OUT_CODE), ids.get(TRANSFER_IN_CODE)


# --- CRUD -----------------------------------------------------------------------------------------------------------


def _validate(household, rule: Rule) -> None:
    errors: dict[str, str] = {}
    rule.match_value = (rule.match_value or "").strip()
    if not rule.match_value:
        errors["match_value"] = "Say what to look for."
    else:
        try:
            compile_condition(rule.match_type, rule.match_value)
        except RulePatternError as error:
            errors["match_value"] = str(error)
        except ValueError:
            errors["match_type"] = "Choose how to compare."
    if rule.match_field not in Rule.Field.values:
        errors["match_field"] = "Choose description or merchant."
    if rule.amount_min is not None and rule.amount_max is not None and rule.amount_min > rule.amount_max:
        errors["amount_max"] = "The upper bound is below the lower bound."
    for name in ("account", "add_tag"):
        related = getattr(rule, name)
        if related is not None and related.household_id != household.pk:
            errors[name] = "Choose one of yours."
    if rule.set_category is not None and rule.set_category.household_id not in (None, household.pk):
        errors["set_category"] = "Choose one of your categories."
    rule.set_merchant = (rule.set_merchant or "").strip()
    if not (rule.set_category_id or rule.set_merchant or rule.add_tag_id or rule.mark_transfer or rule.mark_excluded):
        errors["set_category"] = "Choose at least one thing the rule does."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def rule_create(*, household, add_tag_name: str = "", **fields) -> Rule:
    """A new active rule, last in the order. `add_tag_name` creates the tag when needed."""
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown rule fields: {', '.join(sorted(unknown))}.")
    rule = Rule(household=household, **fields)
    if add_tag_name.strip():
        rule.add_tag, _ = Tag.objects.get_or_create(household=household, name=add_tag_name.strip()[:40])
    _validate(household, rule)
    top = Rule.objects.for_household(household).aggregate(top=Max("position"))["top"]
    rule.position = 0 if top is None else top + 1
    rule.save()
    return rule


@transaction.atomic
def rule_update(rule: Rule, *, add_tag_name: str | None = None, **fields) -> Rule:
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown rule fields: {', '.join(sorted(unknown))}.")
    for name, value in fields.items():
        setattr(rule, name, value)
    if add_tag_name is not None:
        rule.add_tag = (
            Tag.objects.get_or_create(household=rule.household, name=add_tag_name.strip()[:40])[0]
            if add_tag_name.strip()
            else None
        )
    _validate(rule.household, rule)
    rule.save()
    return rule


@transaction.atomic
def rule_delete(rule: Rule) -> None:
    household = rule.household
    rule.delete()
    _renumber(Rule.objects.for_household(household))


def _renumber(rules: QuerySet[Rule]) -> list[Rule]:
    ordered = list(rules.order_by("position", "id"))
    for index, rule in enumerate(ordered):
        rule.position = index
    Rule.objects.bulk_update(ordered, ["position"])
    return ordered


@transaction.atomic
def rule_move(rule: Rule, *, up: bool) -> None:
    """Move a rule one place earlier (`up`) or later in the order."""
    ordered = _renumber(Rule.objects.for_household(rule.household).select_for_update())
    index = next(i for i, r in enumerate(ordered) if r.pk == rule.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(ordered):
        return
    ordered[index].position, ordered[other].position = ordered[other].position, ordered[index].position
    Rule.objects.bulk_update([ordered[index], ordered[other]], ["position"])


# --- applying -------------------------------------------------------------------------------------------------------


def _facts(queryset: QuerySet[Transaction], tag_ids: set[int]) -> Iterator[TransactionFacts]:
    tagged: dict[int, set[int]] = {}
    if tag_ids:
        through = Transaction.tags.through.objects.filter(tag_id__in=tag_ids, transaction__in=queryset)
        for txn_id, tag_id in through.values_list("transaction_id", "tag_id"):
            tagged.setdefault(txn_id, set()).add(tag_id)
    rows = queryset.values_list(
        "id",
        "description",
        "merchant",
        "amount",
        "account_id",
        "category_id",
        "category_source",
        "excluded",
        "user_edited",
    )
    for pk, description, merchant, amount, account_id, category_id, source, excluded, edited in rows.iterator(
        chunk_size=5000
    ):
        yield TransactionFacts(
            pk,
            description,
            merchant,
            amount,
            account_id,
            category_id,
            source,
            excluded,
            tuple(edited or ()),
            frozenset(tagged.get(pk, ())),
        )


def write_effects(household, effects: Sequence[RuleEffect]) -> None:
    """Apply the rule effects computed by the engine."""
    assign_categories(
        CategoryAssignment(e.transaction_id, e.category_id, Transaction.CategorySource.RULE)
        for e in effects
        if e.category_id is not None
    )
    update_by_id(Transaction, ("merchant",), ((e.transaction_id, e.merchant) for e in effects if e.merchant))
    through = Transaction.tags.through
    through.objects.bulk_create(
        (through(transaction_id=e.transaction_id, tag_id=e.tag_id) for e in effects if e.tag_id is not None),
        ignore_conflicts=True,
        batch_size=2000,
    )
    for ids in chunked(e.transaction_id for e in effects if e.excluded):
        Transaction.objects.for_household(household).filter(pk__in=ids).update(excluded=True)


def active_rules(household) -> list[CompiledRule]:
    return compile_rules(spec_of(rule) for rule in Rule.objects.for_household(household).filter(is_active=True))


def rules_apply(household, transaction_ids: Iterable[int], *, tags_only: bool = False) -> list[RuleEffect]:
    """Run the household's active rules (first match wins) on these transactions; returns what changed.

    `tags_only`: the other actions were applied before the rows were written (imports); only tags, which need the
    rows' ids, are left to add.
    """
    rules = active_rules(household)
    if tags_only and not any(rule.spec.add_tag_id for rule in rules):
        return []
    if not rules:
        return []
    tag_ids = {rule.spec.add_tag_id for rule in rules if rule.spec.add_tag_id}
    effects: list[RuleEffect] = []
    transfer_ids = transfer_category_ids()
    for ids in id_batches(transaction_ids):
        queryset = Transaction.objects.for_household(household).filter(id_in(ids))
        effects.extend(effects_for(rules, _facts(queryset, tag_ids), transfer_ids))
    if tags_only:
        effects = [RuleEffect(e.transaction_id, e.rule_id, tag_id=e.tag_id) for e in effects if e.tag_id]
    write_effects(household, effects)
    return effects


@dataclass
class RulePreview:
    rule: Rule
    total: int
    changes: list[tuple[Transaction, RuleEffect]]


def _past_effects(rule: Rule) -> list[RuleEffect]:
    compiled = spec_of(rule).compile()
    queryset = Transaction.objects.for_household(rule.household).order_by("-date", "-id")
    tag_ids = {rule.add_tag_id} if rule.add_tag_id else set()
    return effects_for([compiled], _facts(queryset, tag_ids), transfer_category_ids())


def rule_preview(rule: Rule, *, limit: int = PREVIEW_LIMIT) -> RulePreview:
    """What applying this rule to every past transaction would change (the first `limit` changes, newest first)."""
    effects = _past_effects(rule)  # in list order: newest first
    shown = {e.transaction_id: e for e in effects[:limit]}
    rows = (
        Transaction.objects.for_household(rule.household)
        .filter(pk__in=list(shown))
        .select_related("category", "account")
        .order_by("-date", "-id")
    )
    return RulePreview(rule=rule, total=len(effects), changes=[(txn, shown[txn.pk]) for txn in rows])


@transaction.atomic
def rule_apply_to_past(rule: Rule) -> int:
    """Apply one rule to all past transactions (never over hand edits). Returns the number changed."""
    effects = _past_effects(rule)
    write_effects(rule.household, effects)
    changed = [e.transaction_id for e in effects]
    if changed:
        transactions_changed(rule.household_id, changed, "rules")
    return len(changed)


def rule_for_merchant(txn: Transaction) -> Rule | None:
    """The rule that already categorises this merchant as this transaction's category, if any."""
    if not txn.merchant or txn.category_id is None:
        return None
    return (
        Rule.objects.for_household(txn.household)
        .filter(
            match_field=Rule.Field.MERCHANT,
            match_type=Rule.Match.EQUALS,
            match_value__iexact=txn.merchant,
            set_category_id=txn.category_id,
        )
        .first()
    )


@transaction.atomic
def rule_create_for_merchant(txn: Transaction) -> tuple[Rule, int]:
    """ "Always do this for <merchant>": a rule, first in the order, giving the merchant this transaction's category;
    applied at once to the merchant's past transactions. Returns the rule and how many transactions changed."""
    if txn.category_id is None:
        raise ValidationError("Choose a category first.")
    if not txn.merchant:
        raise ValidationError("This transaction has no merchant name to make a rule from.")
    existing = rule_for_merchant(txn)
    if existing is not None:
        return existing, 0
    rules = list(Rule.objects.for_household(txn.household).select_for_update().order_by("position", "id"))
    for index, other in enumerate(rules, start=1):
        other.position = index
    Rule.objects.bulk_update(rules, ["position"])
    rule = Rule(
        household=txn.household,
        name=f"{txn.merchant} → {txn.category.name}",
        position=0,
        match_field=Rule.Field.MERCHANT,
        match_type=Rule.Match.EQUALS,
        match_value=txn.merchant,
        set_category=txn.category,
    )
    _validate(txn.household, rule)
    rule.save()
    return rule, rule_apply_to_past(rule)
