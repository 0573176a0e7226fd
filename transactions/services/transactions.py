"""Transactions by hand: create, edit, delete, change a category (with the lessons a correction teaches), and the
bulk actions of the list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from fincoach.hooks import transactions_changed
from fincoach.money import to_money
from transactions.importing import fingerprint
from transactions.merchants import normalize_merchant
from transactions.models import Category, FinancialAccount, Tag, Transaction

from .bulk import update_by_id
from .ml_bridge import ml_service

Source = Transaction.CategorySource
# Fields whose hand-made values no rule, model or re-sync may overwrite.
TRACKED_EDITS = ("date", "amount", "description", "merchant", "category", "excluded", "notes", "pending")
EDITABLE = (*TRACKED_EDITS, "authorized_date", "account")


def _check_category(household, category: Category | None) -> None:
    if category is not None and category.household_id not in (None, household.pk):
        raise ValidationError({"category": "Choose one of your categories."})


def _check_account(household, account: FinancialAccount) -> None:
    if account.household_id != household.pk:
        raise ValidationError({"account": "Choose one of your accounts."})


def next_occurrence(account_id: int, key: str) -> int:
    """The occurrence a new transaction with this fingerprint takes in the account (1 when it is the first)."""
    top = Transaction.objects.filter(account_id=account_id, fingerprint=key).aggregate(top=Max("occurrence"))["top"]
    return (top or 0) + 1


@transaction.atomic
def transaction_create(
    *,
    household,
    account: FinancialAccount,
    date: dt.date,
    amount: Decimal | str,
    description: str,
    category: Category | None = None,
    merchant: str = "",
    notes: str = "",
    pending: bool = False,
    tags: Iterable[str] = (),
    currency: str | None = None,
) -> Transaction:
    """A transaction entered by hand. Rules and the categoriser run on it unless a category is given.

    It gets a duplicate-detection key like an imported row, so a bank file that later brings the same
    transaction (same date, amount and description) does not add it twice.
    """
    _check_account(household, account)
    _check_category(household, category)
    description = " ".join((description or "").split())
    if not description:
        raise ValidationError({"description": "Describe the transaction."})
    amount = to_money(amount)
    key = fingerprint(date, amount, description)
    txn = Transaction.objects.create(
        household=household,
        account=account,
        date=date,
        amount=amount,
        currency=(currency or account.currency).upper(),
        description=description[:500],
        merchant=(merchant.strip() or normalize_merchant(description))[:200],
        category=category,
        category_source=Source.USER if category else "",
        notes=notes,
        pending=pending,
        fingerprint=key,
        occurrence=next_occurrence(account.pk, key),
        user_edited=["category"] if category else [],
    )
    if tags:
        _add_tags(household, [txn.pk], tags)
    from .pipeline import process_new_transactions

    process_new_transactions(household, [txn.pk], source="manual")
    return txn


@transaction.atomic
def transaction_update(txn: Transaction, **changes) -> Transaction:
    """Edit by hand; every changed tracked field is recorded in `user_edited` so automation leaves it alone."""
    unknown = set(changes) - {*EDITABLE, "tags"}
    if unknown:
        raise ValidationError(f"These fields cannot be edited: {', '.join(sorted(unknown))}.")
    household = txn.household
    tags = changes.pop("tags", None)
    if "account" in changes:
        _check_account(household, changes["account"])
    if "category" in changes:
        _check_category(household, changes["category"])
    if "amount" in changes:
        changes["amount"] = to_money(changes["amount"])
        if changes["amount"] != txn.amount and txn.splits.exists():
            raise ValidationError({"amount": "This transaction is split: change the split amounts instead."})
    if "description" in changes:
        changes["description"] = " ".join((changes["description"] or "").split())[:500]
        if not changes["description"]:
            raise ValidationError({"description": "Describe the transaction."})
    changed = [name for name, value in changes.items() if getattr(txn, name) != value]
    if "category" in changed:
        _learn_from_correction(txn, changes["category"])
        txn.category_source = Source.USER if changes["category"] else ""
        txn.category_confidence = None
        txn.category_suggested = False
    for name in changed:
        setattr(txn, name, changes[name])
    edited = [name for name in changed if name in TRACKED_EDITS]
    txn.user_edited = sorted({*txn.user_edited, *edited})
    txn.save()
    if tags is not None:
        txn.tags.set(_tags_named(household, tags))
    transactions_changed(household.pk, [txn.pk], "manual")
    return txn


@transaction.atomic
def transaction_delete(txn: Transaction) -> None:
    household_id, pk = txn.household_id, txn.pk
    txn.delete()
    transactions_changed(household_id, [pk], "manual")


@transaction.atomic
def transaction_set_category(txn: Transaction, category: Category | None) -> Transaction:
    """The user sets (or clears) a category: it sticks, and the merchant remembers it for next time."""
    _check_category(txn.household, category)
    _learn_from_correction(txn, category)
    save_user_category(txn, category)
    transactions_changed(txn.household_id, [txn.pk], "manual")
    return txn


def save_user_category(txn: Transaction, category: Category | None) -> None:
    """Store `category` as the user's own choice: it outranks every automatic source from now on."""
    txn.category = category
    txn.category_source = Source.USER if category else ""
    txn.category_confidence = None
    txn.category_suggested = False
    txn.user_edited = sorted({*txn.user_edited, "category"})
    txn.save(
        update_fields=[
            "category",
            "category_source",
            "category_confidence",
            "category_suggested",
            "user_edited",
            "updated_at",
        ]
    )


@transaction.atomic
def transaction_confirm_category(txn: Transaction) -> Transaction:
    """One click on a suggested category: it becomes the user's choice."""
    if txn.category_id is None:
        raise ValidationError("There is no suggested category to confirm.")
    return transaction_set_category(txn, txn.category)


def _learn_from_correction(txn: Transaction, category: Category | None) -> None:
    """Let the categoriser learn from the user's choice (suggestion accepted or not; the merchant remembered).
    Call before the transaction changes."""
    record = ml_service("category_corrections_record")
    if record is not None:
        record(txn.household, [txn], category)


# --- bulk actions -------------------------------------------------------------------------------------------------


def _own_ids(household, ids: Iterable[int]) -> list[int]:
    return list(Transaction.objects.for_household(household).filter(pk__in=list(ids)).values_list("pk", flat=True))


def _mark_edited(household, ids: Sequence[int], field: str) -> None:
    rows = Transaction.objects.for_household(household).filter(pk__in=ids).values_list("pk", "user_edited")
    update_by_id(
        Transaction, ("user_edited",), ((pk, sorted({*edited, field})) for pk, edited in rows if field not in edited)
    )


@transaction.atomic
def transactions_bulk_categorize(household, ids: Iterable[int], category: Category | None) -> int:
    """Set the category of many transactions at once (a user decision, remembered per merchant)."""
    _check_category(household, category)
    own = _own_ids(household, ids)
    if not own:
        return 0
    selected = Transaction.objects.filter(pk__in=own)
    record = ml_service("category_corrections_record")
    if record is not None:
        record(household, list(selected), category)
    selected.update(
        category=category,
        category_source=Source.USER if category else "",
        category_confidence=None,
        category_suggested=False,
    )
    _mark_edited(household, own, "category")
    transactions_changed(household.pk, own, "manual")
    return len(own)


def _tags_named(household, names: Iterable[str]) -> list[Tag]:
    tags = []
    for name in {" ".join(n.split())[:40] for n in names if n and n.strip()}:
        tag, _ = Tag.objects.get_or_create(household=household, name=name)
        tags.append(tag)
    return tags


def _add_tags(household, ids: Sequence[int], names: Iterable[str]) -> None:
    through = Transaction.tags.through
    through.objects.bulk_create(
        (through(transaction_id=pk, tag_id=tag.pk) for tag in _tags_named(household, names) for pk in ids),
        ignore_conflicts=True,
    )


@transaction.atomic
def transactions_bulk_tag(household, ids: Iterable[int], tag_name: str) -> int:
    if not tag_name or not tag_name.strip():
        raise ValidationError({"tag": "Name the tag to add."})
    own = _own_ids(household, ids)
    _add_tags(household, own, [tag_name])
    transactions_changed(household.pk, own, "manual")
    return len(own)


@transaction.atomic
def transactions_bulk_set_excluded(household, ids: Iterable[int], excluded: bool) -> int:
    """Leave transactions out of spending, budgets and insights (or bring them back)."""
    own = _own_ids(household, ids)
    Transaction.objects.filter(pk__in=own).update(excluded=excluded)
    _mark_edited(household, own, "excluded")
    transactions_changed(household.pk, own, "manual")
    return len(own)


@transaction.atomic
def transactions_bulk_delete(household, ids: Iterable[int]) -> int:
    own = _own_ids(household, ids)
    Transaction.objects.filter(pk__in=own).delete()
    transactions_changed(household.pk, own, "manual")
    return len(own)
