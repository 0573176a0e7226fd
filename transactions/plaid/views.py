"""Connections page (HTMX) and the Plaid webhook endpoint. Thin: selectors read, services write."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from fincoach.htmx import render_page
from fincoach.scoping import get_scoped_or_404
from transactions.models import PlaidItem

from . import services
from .client import PlaidError
from .conf import plaid_is_configured
from .forms import DisconnectForm, ExchangeForm
from .models import PlaidSyncRun
from .selectors import connections_for_household
from .services.item_state import FIXABLE_IN_LINK
from .tasks import sync_item
from .webhook_verification import WebhookVerificationError, verify_webhook

logger = logging.getLogger(__name__)


def _item(request: HttpRequest, plaiditem_id: int) -> PlaidItem:
    return get_scoped_or_404(PlaidItem, request.household, pk=plaiditem_id)


def _list_context(request: HttpRequest, **extra) -> dict:
    return {
        "items": connections_for_household(household=request.household),
        "plaid_configured": plaid_is_configured(),
        "fixable_statuses": FIXABLE_IN_LINK,
        **extra,
    }


def _after_change(request: HttpRequest, message: str, *, error: bool = False, status: int = 200) -> HttpResponse:
    """HTMX gets the fresh list with the message in it; a plain form post is redirected to the page."""
    if request.htmx:
        context = _list_context(request, flash=message, flash_error=error)
        return render(request, "plaid/partials/connection_list.html", context, status=status)
    (messages.error if error else messages.success)(request, message)
    return redirect("plaid:connections")


@login_required
def connections(request: HttpRequest) -> HttpResponse:
    return render_page(
        request, "plaid/connections.html", _list_context(request), partial="plaid/partials/connection_list.html"
    )


def _link_token_response(request: HttpRequest, item: PlaidItem | None = None) -> JsonResponse:
    if not plaid_is_configured():
        return JsonResponse({"error": "Plaid is not configured on this server."}, status=503)
    try:
        token = services.plaid_link_token_create(request.user, item=item)
    except PlaidError as exc:
        logger.warning("link token creation failed: %s", exc.describe())
        return JsonResponse({"error": exc.user_message}, status=502)
    return JsonResponse({"link_token": token})


@login_required
@require_POST
def link_token(request: HttpRequest) -> JsonResponse:
    return _link_token_response(request)


@sensitive_post_parameters("public_token")
@login_required
@require_POST
def exchange(request: HttpRequest) -> HttpResponse:
    form = ExchangeForm(request.POST)
    if not form.is_valid():
        return _after_change(request, "Plaid Link did not return a usable token.", error=True, status=400)
    try:
        result = services.plaid_item_connect(request.user, form.cleaned_data["public_token"])
    except PlaidError as exc:
        logger.warning("public token exchange failed: %s", exc.describe())
        return _after_change(request, f"The bank could not be connected: {exc.user_message}", error=True, status=502)
    bank = result.item.institution.name if result.item.institution else "The bank"
    note = " It was already linked, so nothing is duplicated." if result.relinked else ""
    return _after_change(request, f"{bank} is connected.{note}")


def _card(request: HttpRequest, item: PlaidItem, **extra) -> HttpResponse:
    fresh = connections_for_household(household=request.household).get(pk=item.pk)
    context = {"item": fresh, "plaid_configured": plaid_is_configured(), "fixable_statuses": FIXABLE_IN_LINK, **extra}
    return render(request, "plaid/partials/connection_card.html", context)


@login_required
@require_POST
def item_sync(request: HttpRequest, plaiditem_id: int) -> HttpResponse:
    item = _item(request, plaiditem_id)
    sync_item.delay(item.pk, trigger=PlaidSyncRun.Trigger.MANUAL)
    if not request.htmx:
        messages.info(request, "Sync started.")
        return redirect("plaid:connections")
    return _card(request, item, flash="Sync requested.")


@login_required
@require_POST
def item_fix(request: HttpRequest, plaiditem_id: int) -> JsonResponse:
    """A Link token in update mode for this item (re-authenticate, renew consent, or add new accounts)."""
    return _link_token_response(request, _item(request, plaiditem_id))


@login_required
@require_POST
def item_repaired(request: HttpRequest, plaiditem_id: int) -> HttpResponse:
    item = _item(request, plaiditem_id)
    services.plaid_item_mark_repaired(item)
    if not request.htmx:
        return redirect("plaid:connections")
    return _card(request, item, flash="Connection fixed; syncing.")


@login_required
@require_http_methods(["GET", "POST"])
def item_disconnect(request: HttpRequest, plaiditem_id: int) -> HttpResponse:
    item = _item(request, plaiditem_id)
    form = DisconnectForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        bank = item.institution.name if item.institution else "The bank"
        try:
            services.plaid_item_disconnect(item, keep_history=form.keep_history)
        except PlaidError as exc:
            logger.warning("disconnecting item %s failed: %s", item.pk, exc.describe())
            return _after_change(
                request,
                f"Plaid could not be reached ({exc.user_message}). Nothing changed; try again.",
                error=True,
                status=502,
            )
        kept = "Its history is kept." if form.keep_history else "Its accounts and transactions were deleted."
        return _after_change(request, f"{bank} is disconnected. {kept}")
    return render_page(
        request,
        "plaid/disconnect.html",
        {"item": item, "form": form},
        partial="plaid/partials/disconnect_form.html",
        status=400 if form.is_bound else 200,
    )


@csrf_exempt
@require_POST
def webhook(request: HttpRequest) -> JsonResponse:
    """Plaid's webhooks: verified, stored, answered at once; the work is queued."""
    try:
        verify_webhook(request.body, request.headers.get("Plaid-Verification"))
    except WebhookVerificationError as exc:
        logger.warning("rejected a Plaid webhook: %s", exc)
        return JsonResponse({"error": "webhook could not be verified"}, status=401)
    try:
        event = services.plaid_webhook_receive(request.body)
    except ValueError:
        return JsonResponse({"error": "webhook body is not a JSON object"}, status=400)
    return JsonResponse({"received": event.pk})
