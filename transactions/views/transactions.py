"""The transactions list (filters, sorting, keyset pages), inline category change, bulk actions, add/edit/delete,
the split editor and transfer unlinking."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from fincoach.htmx import render_page
from fincoach.scoping import get_scoped_or_404
from transactions.forms import BulkActionForm, CategoryPickForm, SplitFormSet, TransactionFilterForm, TransactionForm
from transactions.models import Category, FinancialAccount, Transaction
from transactions.selectors.categories import CategoryTree, category_tree
from transactions.selectors.transactions import (
    TransactionPage,
    household_transactions,
    transaction_page,
    transaction_totals,
)
from transactions.services import rules as rule_service
from transactions.services import splits as split_service
from transactions.services import transactions as service
from transactions.services import transfers as transfer_service
from transactions.services.exporting import transactions_export_csv

from .common import apply_service_errors, error_text, redirect_to

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


def _page_size(params: QueryDict) -> int:
    try:
        return max(1, min(int(params.get("page_size", DEFAULT_PAGE_SIZE)), MAX_PAGE_SIZE))
    except (TypeError, ValueError):
        return DEFAULT_PAGE_SIZE


def decorate(rows, tree: CategoryTree) -> None:
    """Attach what the row template shows about each category (the household's names), without queries."""
    for row in rows:
        row.category_view = tree.lookup.get(row.category_id) if row.category_id else None
        row.category_label = tree.label(row.category_id)


def _filters(params: QueryDict, household, tree: CategoryTree, accounts) -> tuple[TransactionFilterForm, object]:
    form = TransactionFilterForm(params or None, accounts=accounts, tree=tree)
    category = form.cleaned_data.get("category") if form.is_valid() else None
    return form, form.to_filters(category_ids=tree.ids_under(category) if category else ())


def _list_context(request, params: QueryDict) -> dict:
    household = request.household
    tree = category_tree(household=household)
    accounts = list(FinancialAccount.objects.for_household(household))
    form, filters = _filters(params, household, tree, accounts)
    cursor = params.get("cursor") or None
    page: TransactionPage = transaction_page(
        household=household, filters=filters, sort=form.sort_order, cursor=cursor, page_size=_page_size(params)
    )
    decorate(page.rows, tree)
    more = params.copy()
    more["cursor"] = page.next_cursor or ""
    return {
        "filter_form": form,
        "page": page,
        "tree": tree,
        "bulk_form": BulkActionForm(tree=tree),
        "accounts": accounts,
        "currency": household.currency,
        "query": params.urlencode(),
        "more_query": more.urlencode(),
        "has_accounts": bool(accounts),
    }


@login_required
def transaction_totals_view(request):
    """Count and net of everything the filters match: loaded by the list after it renders (it reads every row)."""
    household = request.household
    tree = category_tree(household=household)
    _, filters = _filters(request.GET, household, tree, FinancialAccount.objects.for_household(household))
    totals = transaction_totals(household=household, filters=filters)
    context = {"totals": totals, "currency": household.currency}
    return render(request, "transactions/partials/transaction_totals.html", context)


@login_required
def transaction_list(request):
    context = _list_context(request, request.GET)
    if request.htmx and request.GET.get("cursor"):
        return render(request, "transactions/partials/transaction_rows.html", context)
    return render_page(
        request, "transactions/transaction_list.html", context, partial="transactions/partials/transaction_results.html"
    )


def _row(request, txn: Transaction, **extra) -> HttpResponse:
    txn = (
        Transaction.objects.for_household(request.household)
        .select_related("account", "category")
        .prefetch_related("tags")
        .get(pk=txn.pk)
    )
    txn.has_splits = txn.splits.exists()
    tree = category_tree(household=request.household)
    decorate([txn], tree)
    context = {"txn": txn, "tree": tree, "currency": request.household.currency, **extra}
    return render(request, "transactions/partials/transaction_row.html", context)


@login_required
def transaction_row(request, transaction_id: int):
    txn = get_scoped_or_404(Transaction, request.household, pk=transaction_id)
    return _row(request, txn)


@login_required
def transaction_category(request, transaction_id: int):
    """GET: the inline category picker; POST: set the category (then offer an "always" rule for the merchant)."""
    txn = get_scoped_or_404(Transaction, request.household, pk=transaction_id)
    tree = category_tree(household=request.household)
    if request.method == "POST":
        category = _chosen_category(request, request.POST.get("category"))
        service.transaction_set_category(txn, category)
        txn.refresh_from_db()
        offer = category is not None and bool(txn.merchant) and rule_service.rule_for_merchant(txn) is None
        return _row(request, txn, offer_rule=offer, offer_category=tree.label(txn.category_id))
    form = CategoryPickForm(tree=tree, initial={"category": txn.category_id}, auto_id=f"txn{txn.pk}_%s")
    return render(request, "transactions/partials/category_picker.html", {"txn": txn, "field": form["category"]})


def _chosen_category(request, value) -> Category | None:
    if value in (None, ""):
        return None
    try:
        return get_scoped_or_404(Category, request.household, pk=int(value))
    except ValueError:
        return None


@login_required
@require_POST
def transaction_confirm(request, transaction_id: int):
    """One click on a suggested category."""
    txn = get_scoped_or_404(Transaction, request.household, pk=transaction_id)
    try:
        service.transaction_confirm_category(txn)
    except ValidationError as error:
        messages.error(request, error_text(error))
    return _row(request, txn)


@login_required
@require_POST
def transaction_always(request, transaction_id: int):
    """ "Always do this for <merchant>": create the rule and apply it to the merchant's other transactions."""
    txn = get_scoped_or_404(Transaction, request.household, pk=transaction_id)
    try:
        rule, changed = rule_service.rule_create_for_merchant(txn)
    except ValidationError as error:
        return _row(request, txn, rule_message=error_text(error))
    note = f"Rule saved: {rule}. {changed} other transaction{'s' if changed != 1 else ''} updated."
    return _row(request, txn, rule_message=note)


@login_required
@require_POST
def transaction_bulk(request):
    tree = category_tree(household=request.household)
    form = BulkActionForm(request.POST, tree=tree)
    if form.is_valid():
        data = form.cleaned_data
        ids, action = data["ids"], data["bulk_action"]
        household = request.household
        try:
            if action == "categorize":
                category = _chosen_category(request, data.get("bulk_category"))
                count = service.transactions_bulk_categorize(household, ids, category)
            elif action == "tag":
                count = service.transactions_bulk_tag(household, ids, data["bulk_tag"])
            elif action in ("exclude", "include"):
                count = service.transactions_bulk_set_excluded(household, ids, action == "exclude")
            else:
                count = service.transactions_bulk_delete(household, ids)
            messages.success(request, f"{dict(form.ACTIONS)[action]}: {count} transaction{'s' if count != 1 else ''}.")
        except ValidationError as error:
            messages.error(request, error_text(error))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    context = _list_context(request, _filter_params(request.POST))
    return render(request, "transactions/partials/transaction_results.html", context)


def _filter_params(post: QueryDict) -> QueryDict:
    """The list filters posted along with a bulk action (hx-include), to re-render the same view."""
    params = post.copy()
    for name in ("ids", "bulk_action", "bulk_category", "bulk_tag", "csrfmiddlewaretoken"):
        params.pop(name, None)
    return params


def _transaction_form(request, tree, accounts, initial=None):
    return TransactionForm(request.POST or None, accounts=accounts, tree=tree, initial=initial)


@login_required
def transaction_create(request):
    household = request.household
    tree = category_tree(household=household)
    accounts = list(FinancialAccount.objects.for_household(household).filter(is_active=True))
    form = _transaction_form(request, tree, accounts, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            service.transaction_create(
                household=household,
                account=get_scoped_or_404(FinancialAccount, household, pk=data["account"]),
                date=data["date"],
                amount=data["amount"],
                description=data["description"],
                merchant=data["merchant"],
                category=_chosen_category(request, data["category"]),
                notes=data["notes"],
                pending=data["pending"],
                tags=form.tag_names(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Transaction added.")
            return redirect_to(request, reverse("transactions:index"))
    return render(request, "transactions/transaction_form.html", {"form": form, "has_accounts": bool(accounts)})


@login_required
def transaction_edit(request, transaction_id: int):
    household = request.household
    txn = get_scoped_or_404(Transaction, household, pk=transaction_id)
    tree = category_tree(household=household)
    accounts = list(FinancialAccount.objects.for_household(household))
    initial = {
        "account": txn.account_id,
        "date": txn.date,
        "amount": txn.amount,
        "description": txn.description,
        "merchant": txn.merchant,
        "category": txn.category_id,
        "notes": txn.notes,
        "pending": txn.pending,
        "excluded": txn.excluded,
        "tags": ", ".join(txn.tags.values_list("name", flat=True)),
    }
    form = _transaction_form(request, tree, accounts, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {
            "account": get_scoped_or_404(FinancialAccount, household, pk=data["account"]),
            "date": data["date"],
            "amount": data["amount"],
            "description": data["description"],
            "merchant": data["merchant"] or txn.merchant,
            "category": _chosen_category(request, data["category"]),
            "notes": data["notes"],
            "pending": data["pending"],
            "excluded": data["excluded"],
            "tags": form.tag_names(),
        }
        try:
            service.transaction_update(txn, **changes)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Transaction saved.")
            return redirect_to(request, reverse("transactions:index"))
    return render(request, "transactions/transaction_form.html", {"form": form, "txn": txn, "has_accounts": True})


@login_required
@require_POST
def transaction_delete(request, transaction_id: int):
    txn = get_scoped_or_404(Transaction, request.household, pk=transaction_id)
    service.transaction_delete(txn)
    if request.htmx:
        return HttpResponse("")
    messages.success(request, "Transaction deleted.")
    return redirect_to(request, reverse("transactions:index"))


@login_required
def transaction_splits(request, transaction_id: int):
    """The split editor: parts by category that must add up to the transaction's amount."""
    household = request.household
    txn = get_object_or_404(Transaction.objects.for_household(household).select_related("account"), pk=transaction_id)
    tree = category_tree(household=household)
    existing = [{"category": s.category_id, "amount": s.amount, "notes": s.notes} for s in txn.splits.all()]
    is_split = bool(existing)
    if not existing:
        existing = [{"category": txn.category_id, "amount": txn.amount}, {}]
    formset = SplitFormSet(request.POST or None, initial=existing, form_kwargs={"tree": tree}, prefix="parts")
    error = ""
    if request.method == "POST" and "remove" in request.POST:
        split_service.transaction_unsplit(txn)
        messages.success(request, "Split removed.")
        return redirect_to(request, reverse("transactions:index"))
    if request.method == "POST" and formset.is_valid():
        parts = [
            split_service.SplitPart(
                category=get_scoped_or_404(Category, household, pk=form.cleaned_data["category"]),
                amount=form.cleaned_data["amount"],
                notes=form.cleaned_data.get("notes", ""),
            )
            for form in formset
            if form.cleaned_data.get("amount") is not None
        ]
        try:
            split_service.transaction_split(txn, parts)
        except ValidationError as exc:
            error = error_text(exc)
        else:
            messages.success(request, f"Split across {len(parts)} categories.")
            return redirect_to(request, reverse("transactions:index"))
    context = {"txn": txn, "formset": formset, "error": error, "currency": txn.currency, "is_split": is_split}
    return render_page(
        request, "transactions/split_form.html", context, partial="transactions/partials/split_editor.html"
    )


@login_required
@require_POST
def transaction_unlink(request, transaction_id: int):
    """Unlink a transfer pair (both sides); it will not be linked again automatically."""
    txn = get_scoped_or_404(Transaction, request.household, pk=transaction_id)
    transfer_service.transfer_unlink(txn)
    return _row(request, txn)


@login_required
def transaction_export(request):
    """CSV of what the filters show (everything without filters)."""
    household = request.household
    tree = category_tree(household=household)
    accounts = list(FinancialAccount.objects.for_household(household))
    _, filters = _filters(request.GET, household, tree, accounts)
    queryset = household_transactions(household=household, filters=filters)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="fincoach-transactions-{timezone.localdate()}.csv"'
    transactions_export_csv(household=household, queryset=queryset, stream=response)
    return response
