"""Accounts page: balances; add, edit, close and reopen accounts."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from fincoach.htmx import render_page
from fincoach.scoping import get_scoped_or_404
from transactions.forms import AccountForm
from transactions.models import FinancialAccount
from transactions.selectors.accounts import account_balance, accounts_with_balances
from transactions.services import accounts as service

from .common import apply_service_errors, redirect_to


@login_required
def account_list(request):
    accounts = list(accounts_with_balances(household=request.household))
    for account in accounts:
        account.balance = account_balance(account)
    open_accounts = [a for a in accounts if a.is_active]
    context = {
        "accounts": open_accounts,
        "closed_accounts": [a for a in accounts if not a.is_active],
        "net_worth": sum((a.balance for a in open_accounts), Decimal("0")),
        "currency": request.household.currency,
    }
    return render_page(request, "transactions/account_list.html", context)


def _form_page(request, form, account=None):
    return render(request, "transactions/account_form.html", {"form": form, "account": account})


@login_required
def account_create(request):
    form = AccountForm(request.POST or None, initial={"currency": request.household.currency})
    if request.method == "POST" and form.is_valid():
        try:
            account = service.account_create(household=request.household, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Account “{account.name}” added.")
            return redirect_to(request, reverse("transactions:account_list"))
    return _form_page(request, form)


@login_required
def account_edit(request, financialaccount_id: int):
    account = get_scoped_or_404(FinancialAccount, request.household, pk=financialaccount_id)
    initial = {
        "name": account.name,
        "kind": account.kind,
        "institution_name": account.institution.name if account.institution else "",
        "mask": account.mask,
        "currency": account.currency,
        "opening_balance": account.opening_balance,
        "opening_date": account.opening_date,
    }
    form = AccountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        institution_name = data.pop("institution_name")
        try:
            service.account_update(account, institution_name=institution_name, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Account “{account.name}” saved.")
            return redirect_to(request, reverse("transactions:account_list"))
    return _form_page(request, form, account)


@login_required
@require_POST
def account_close(request, financialaccount_id: int):
    account = get_scoped_or_404(FinancialAccount, request.household, pk=financialaccount_id)
    service.account_close(account)
    messages.success(request, f"Account “{account.name}” closed. Its history is kept.")
    return redirect_to(request, reverse("transactions:account_list"))


@login_required
@require_POST
def account_reopen(request, financialaccount_id: int):
    account = get_scoped_or_404(FinancialAccount, request.household, pk=financialaccount_id)
    service.account_reopen(account)
    messages.success(request, f"Account “{account.name}” reopened.")
    return redirect_to(request, reverse("transactions:account_list"))
