"""Linking banks: Link tokens (new and update mode), the public token exchange, repair and disconnection."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import transaction
from django.views.decorators.debug import sensitive_variables
from plaid.model.accounts_get_request import AccountsGetRequest
from plaid.model.country_code import CountryCode
from plaid.model.institutions_get_by_id_request import InstitutionsGetByIdRequest
from plaid.model.item_get_request import ItemGetRequest
from plaid.model.item_public_token_exchange_request import ItemPublicTokenExchangeRequest
from plaid.model.item_remove_request import ItemRemoveRequest
from plaid.model.link_token_create_request import LinkTokenCreateRequest
from plaid.model.link_token_create_request_update import LinkTokenCreateRequestUpdate
from plaid.model.link_token_create_request_user import LinkTokenCreateRequestUser
from plaid.model.link_token_transactions import LinkTokenTransactions
from plaid.model.products import Products

from accounts.selectors import household_for_user
from transactions.models import FinancialAccount, PlaidItem, Transaction

from .. import client, conf
from .accounts import institution_upsert, link_item_accounts
from .item_state import Status, item_set_status, locked_items

logger = logging.getLogger(__name__)

# Errors of /item/remove that mean the item is already gone at Plaid.
_ALREADY_REMOVED = frozenset({"ITEM_NOT_FOUND", "INVALID_ACCESS_TOKEN"})


@dataclass
class ConnectResult:
    item: PlaidItem
    accounts_created: int
    accounts_adopted: int
    superseded_items: int

    @property
    def relinked(self) -> bool:
        return self.accounts_adopted > 0

    def as_dict(self) -> dict:
        return {
            "item": self.item.pk,
            "plaid_item_id": self.item.plaid_item_id,
            "institution": self.item.institution.name if self.item.institution else None,
            "accounts_created": self.accounts_created,
            "accounts_adopted": self.accounts_adopted,
            "superseded_items": self.superseded_items,
        }


@dataclass
class DisconnectResult:
    accounts_kept: int
    accounts_deleted: int
    transactions_deleted: int


@sensitive_variables("request_fields")
def plaid_link_token_create(user, *, item: PlaidItem | None = None) -> str:
    """A Link token for `user`: to link a new bank, or — given `item` — to repair it in update mode (and pick
    newly available accounts when Plaid announced some)."""
    request_fields: dict = {
        "client_name": conf.client_name(),
        "language": "en",
        "country_codes": [CountryCode(code) for code in conf.country_codes()],
        "user": LinkTokenCreateRequestUser(client_user_id=str(user.pk)),
    }
    if conf.webhook_url():
        request_fields["webhook"] = conf.webhook_url()
    if conf.redirect_uri():
        request_fields["redirect_uri"] = conf.redirect_uri()
    if item is None:
        request_fields["products"] = [Products("transactions")]
        request_fields["transactions"] = LinkTokenTransactions(days_requested=conf.days_requested())
    else:
        request_fields["access_token"] = item.access_token
        if item.new_accounts_available:
            request_fields["update"] = LinkTokenCreateRequestUpdate(account_selection_enabled=True)
    return client.call("link_token_create", LinkTokenCreateRequest(**request_fields))["link_token"]


@sensitive_variables("public_token", "access_token", "exchange")
def plaid_item_connect(user, public_token: str) -> ConnectResult:
    """Exchange Link's public token and link the item's accounts to the user's household.

    Linking a login again does not duplicate anything: its accounts move to the new item (see
    `services.accounts`), an item left without accounts is removed at Plaid, and the first sync matches the
    transactions already here. The first sync is queued once this commits.
    """
    household = household_for_user(user)
    if household is None:
        raise ValueError(f"{user} does not belong to a household")
    exchange = client.call("item_public_token_exchange", ItemPublicTokenExchangeRequest(public_token=public_token))
    access_token, plaid_item_id = exchange["access_token"], exchange["item_id"]
    try:
        plaid_item = client.call("item_get", ItemGetRequest(access_token=access_token))["item"]
        institution_name = _institution_name(plaid_item.get("institution_id"))
        plaid_accounts = client.call("accounts_get", AccountsGetRequest(access_token=access_token))["accounts"]
    except client.PlaidError:
        _remove_quietly(access_token)  # an item nobody can use would still be billed
        raise

    with transaction.atomic():
        institution = institution_upsert(plaid_item.get("institution_id"), institution_name)
        item = locked_items().filter(plaid_item_id=plaid_item_id).first()
        if item is not None and item.household_id != household.pk:
            raise ValueError("this Plaid item is linked to another household")
        item = item or PlaidItem(household=household, plaid_item_id=plaid_item_id, created_by=user)
        item.access_token = access_token
        item.institution = institution
        item.consent_expires_at = _parse_datetime(plaid_item.get("consent_expiration_time"))
        item.status, item.error_code, item.error_message = Status.ACTIVE, "", ""
        item.save()
        outcome = link_item_accounts(item, plaid_accounts, take_from_other_items=True)
        superseded = [
            pk for pk in outcome.previous_item_ids if not FinancialAccount.objects.filter(plaid_item_id=pk).exists()
        ]
        item_pk = item.pk
        transaction.on_commit(lambda: _after_connect(item_pk, superseded))
    logger.info(
        "linked Plaid item %s: %d accounts created, %d adopted",
        plaid_item_id,
        len(outcome.created),
        len(outcome.adopted),
    )
    return ConnectResult(item, len(outcome.created), len(outcome.adopted), len(superseded))


def _institution_name(institution_id: str | None) -> str:
    if not institution_id:
        return ""
    try:
        response = client.call(
            "institutions_get_by_id",
            InstitutionsGetByIdRequest(
                institution_id=institution_id, country_codes=[CountryCode(c) for c in conf.country_codes()]
            ),
        )
    except client.PlaidError as exc:
        logger.warning("could not look up institution %s: %s", institution_id, exc.describe())
        return institution_id
    return response["institution"].get("name") or institution_id


def _parse_datetime(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def _after_connect(item_id: int, superseded_ids: list[int]) -> None:
    from ..models import PlaidSyncRun
    from ..tasks import sync_item

    for old in PlaidItem.objects.filter(pk__in=superseded_ids):
        try:
            plaid_item_disconnect(old, keep_history=True)
        except client.PlaidError as exc:
            # It keeps no accounts; it stays listed so the person can disconnect it once Plaid answers.
            logger.warning("could not remove superseded Plaid item %s: %s", old.pk, exc.describe())
    sync_item.delay(item_id, trigger=PlaidSyncRun.Trigger.CONNECT)


@sensitive_variables("access_token")
def _remove_at_plaid(access_token: str) -> None:
    """/item/remove; an item Plaid no longer knows counts as removed."""
    try:
        client.call("item_remove", ItemRemoveRequest(access_token=access_token))
    except client.PlaidError as exc:
        if exc.error_code not in _ALREADY_REMOVED:
            raise


@sensitive_variables("access_token")
def _remove_quietly(access_token: str) -> None:
    try:
        _remove_at_plaid(access_token)
    except client.PlaidError as exc:
        logger.warning("could not remove an unusable Plaid item: %s", exc.describe())


def plaid_item_disconnect(item: PlaidItem, *, keep_history: bool) -> DisconnectResult:
    """Remove the item at Plaid, then here. With `keep_history` its accounts and transactions stay (as unlinked
    accounts a later link of the same login takes back); otherwise they are deleted.

    Raises PlaidError (and changes nothing) when Plaid cannot be reached.
    """
    _remove_at_plaid(item.access_token)
    with transaction.atomic():
        accounts = FinancialAccount.objects.filter(plaid_item=item)
        if keep_history:
            kept = accounts.update(plaid_item=None, plaid_account_id=None)
            result = DisconnectResult(accounts_kept=kept, accounts_deleted=0, transactions_deleted=0)
        else:
            transactions_deleted = Transaction.objects.filter(account__in=accounts).count()
            account_count = accounts.count()
            accounts.delete()
            result = DisconnectResult(0, account_count, transactions_deleted)
        item.delete()
    return result


def plaid_item_mark_repaired(item: PlaidItem) -> None:
    """Link's update mode succeeded in the browser: resume syncing (the sync itself proves the repair)."""
    from ..models import PlaidSyncRun
    from ..tasks import sync_item

    with transaction.atomic():
        item = locked_items().get(pk=item.pk)
        item.new_accounts_available = False
        item.save(update_fields=["new_accounts_available"])
        item_set_status(item, Status.ACTIVE, notify=False)
        item_pk = item.pk
        transaction.on_commit(lambda: sync_item.delay(item_pk, trigger=PlaidSyncRun.Trigger.MANUAL))
