"""Plaid accounts ↔ our FinancialAccounts: create, recognise, adopt, and keep balances current.

An account belongs to the newest link that includes it. Linking the same login (or an overlapping one) again moves
the matching accounts — same institution, type and mask — to the new item instead of creating twins; their old
Plaid transaction ids are released so the new item's transactions claim the existing rows (see `apply`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from transactions.models import FinancialAccount, Institution, PlaidItem, Transaction

from .. import mapping


@dataclass
class AccountLinkOutcome:
    by_plaid_id: dict[str, FinancialAccount] = field(default_factory=dict)
    created: list[int] = field(default_factory=list)
    adopted: list[int] = field(default_factory=list)
    # Items that lost accounts to this one (they may now have none left).
    previous_item_ids: set[int] = field(default_factory=set)
    # Plaid accounts that belong to another of the household's links and were left there.
    ignored: list[str] = field(default_factory=list)


def institution_upsert(plaid_institution_id: str | None, name: str, url: str = "") -> Institution | None:
    if not plaid_institution_id:
        return None
    institution, created = Institution.objects.get_or_create(
        plaid_institution_id=plaid_institution_id, defaults={"name": name[:120] or plaid_institution_id, "url": url}
    )
    if not created and name and (institution.name != name[:120] or (url and institution.url != url)):
        institution.name = name[:120]
        institution.url = url or institution.url
        institution.save(update_fields=["name", "url"])
    return institution


def _match_key(kind: str, mask: str, name: str) -> tuple[str, str]:
    """Accounts are recognised by type and last digits; without digits, by name."""
    return (kind, f"mask:{mask}") if mask else (kind, f"name:{name.casefold()}")


def _unique_account_name(household, wanted: str, mask: str, institution: Institution | None) -> str:
    taken = set(FinancialAccount.objects.for_household(household).values_list("name", flat=True))
    candidates = [wanted]
    if mask:
        candidates.append(f"{wanted} ••{mask}")
    if institution is not None:
        candidates.append(f"{institution.name} {wanted}" + (f" ••{mask}" if mask else ""))
    for candidate in candidates:
        if candidate[:120] not in taken:
            return candidate[:120]
    n = 2
    while f"{candidates[-1][:110]} ({n})" in taken:
        n += 1
    return f"{candidates[-1][:110]} ({n})"


def _release_previous_link(account: FinancialAccount) -> None:
    """Forget the transaction ids of an account's previous link: posted rows wait to be claimed by the new link's
    identical transactions; pending rows are dropped (Plaid re-sends whatever is still pending)."""
    previous = Transaction.objects.filter(account=account, plaid_transaction_id__isnull=False)
    previous.filter(pending=True).delete()
    previous.update(plaid_transaction_id=None)


def link_item_accounts(
    item: PlaidItem, plaid_accounts: list[dict], *, take_from_other_items: bool
) -> AccountLinkOutcome:
    """Make sure every Plaid account of `item` has its FinancialAccount, with fresh balances.

    `take_from_other_items`: at link time a matching account linked to another item moves to this one (the user
    linked that login again); during a sync it stays where it is and this Plaid account is ignored.
    """
    household = item.household
    outcome = AccountLinkOutcome()
    known = {
        a.plaid_account_id: a
        for a in FinancialAccount.objects.for_household(household).filter(
            plaid_account_id__in=[p["account_id"] for p in plaid_accounts]
        )
    }
    candidates = _adoption_candidates(item)
    now = timezone.now()
    for plaid_account in plaid_accounts:
        account_id = plaid_account["account_id"]
        kind = mapping.account_kind(plaid_account.get("type"), plaid_account.get("subtype"))
        mask = (plaid_account.get("mask") or "")[:8]
        name = plaid_account.get("name") or plaid_account.get("official_name") or "Bank account"
        account = known.get(account_id)
        if account is None:
            account = candidates.pop(_match_key(kind, mask, name), None)
            if account is not None and account.plaid_item_id and not take_from_other_items:
                outcome.ignored.append(account_id)
                continue
            if account is not None:
                if account.plaid_item_id:
                    outcome.previous_item_ids.add(account.plaid_item_id)
                _release_previous_link(account)
                outcome.adopted.append(account.pk)
            else:
                account = FinancialAccount(
                    household=household,
                    name=_unique_account_name(household, name, mask, item.institution),
                    kind=kind,
                    currency=mapping.account_currency(plaid_account, settings.FINCOACH_DEFAULT_CURRENCY),
                )
        account.plaid_item = item
        account.plaid_account_id = account_id
        account.institution = item.institution or account.institution
        account.mask = account.mask or mask
        balance, available = mapping.account_balances(plaid_account, account.kind)
        account.reported_balance, account.reported_available, account.reported_balance_at = balance, available, now
        creating = account.pk is None
        account.save()
        if creating:
            outcome.created.append(account.pk)
        outcome.by_plaid_id[account_id] = account
    return outcome


def _adoption_candidates(item: PlaidItem) -> dict[tuple[str, str], FinancialAccount]:
    """The household's other accounts at the same bank, keyed by how a Plaid account is recognised."""
    if item.institution_id is None:
        return {}
    others = (
        FinancialAccount.objects.for_household(item.household)
        .filter(institution_id=item.institution_id)
        .exclude(plaid_item=item)
        .order_by("pk")
    )
    found: dict[tuple[str, str], FinancialAccount] = {}
    for account in others:
        key = _match_key(account.kind, account.mask, account.name)
        # Prefer an account no other link holds (history kept after a disconnect) over a linked one.
        if key not in found or (found[key].plaid_item_id and not account.plaid_item_id):
            found[key] = account
    return found
