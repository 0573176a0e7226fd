"""Rules page: ordered list, add/edit/delete, move, preview on past transactions and apply."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from fincoach.htmx import render_page
from fincoach.scoping import get_scoped_or_404
from transactions.forms import RuleForm
from transactions.models import Category, FinancialAccount, Rule
from transactions.selectors.categories import category_tree
from transactions.services import rules as service

from .common import apply_service_errors, error_text, redirect_to


@login_required
def rule_list(request):
    household = request.household
    tree = category_tree(household=household)
    rules = list(Rule.objects.for_household(household).select_related("account", "add_tag").order_by("position", "id"))
    for rule in rules:
        rule.category_label = tree.label(rule.set_category_id)
    return render_page(request, "transactions/rule_list.html", {"rules": rules})


def _rule_fields(request, data: dict) -> dict:
    household = request.household
    fields = {
        key: data[key]
        for key in (
            "name",
            "match_field",
            "match_type",
            "match_value",
            "amount_min",
            "amount_max",
            "set_merchant",
            "mark_transfer",
            "mark_excluded",
            "is_active",
        )
    }
    fields["account"] = get_scoped_or_404(FinancialAccount, household, pk=data["account"]) if data["account"] else None
    fields["set_category"] = (
        get_scoped_or_404(Category, household, pk=data["set_category"]) if data["set_category"] else None
    )
    return fields


def _form(request, rule: Rule | None = None) -> RuleForm:
    household = request.household
    initial = {"is_active": True}
    if rule is not None:
        initial = {
            "name": rule.name,
            "match_field": rule.match_field,
            "match_type": rule.match_type,
            "match_value": rule.match_value,
            "amount_min": rule.amount_min,
            "amount_max": rule.amount_max,
            "account": rule.account_id,
            "set_category": rule.set_category_id,
            "set_merchant": rule.set_merchant,
            "add_tag_name": rule.add_tag.name if rule.add_tag else "",
            "mark_transfer": rule.mark_transfer,
            "mark_excluded": rule.mark_excluded,
            "is_active": rule.is_active,
        }
    return RuleForm(
        request.POST or None,
        initial=initial,
        accounts=FinancialAccount.objects.for_household(household),
        tree=category_tree(household=household),
    )


@login_required
def rule_create(request):
    form = _form(request)
    if request.method == "POST" and form.is_valid():
        try:
            rule = service.rule_create(
                household=request.household,
                add_tag_name=form.cleaned_data["add_tag_name"],
                **_rule_fields(request, form.cleaned_data),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Rule saved. It runs on new transactions; preview it on past ones.")
            return redirect_to(request, reverse("transactions:rule_preview", args=[rule.pk]))
    return render(request, "transactions/rule_form.html", {"form": form})


@login_required
def rule_edit(request, rule_id: int):
    rule = get_scoped_or_404(Rule, request.household, pk=rule_id)
    form = _form(request, rule)
    if request.method == "POST" and form.is_valid():
        try:
            service.rule_update(
                rule, add_tag_name=form.cleaned_data["add_tag_name"], **_rule_fields(request, form.cleaned_data)
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Rule saved.")
            return redirect_to(request, reverse("transactions:rule_list"))
    return render(request, "transactions/rule_form.html", {"form": form, "rule": rule})


@login_required
@require_POST
def rule_delete(request, rule_id: int):
    rule = get_scoped_or_404(Rule, request.household, pk=rule_id)
    service.rule_delete(rule)
    messages.success(request, "Rule deleted. Transactions it changed keep their changes.")
    return redirect_to(request, reverse("transactions:rule_list"))


@login_required
@require_POST
def rule_move(request, rule_id: int):
    rule = get_scoped_or_404(Rule, request.household, pk=rule_id)
    service.rule_move(rule, up=request.POST.get("direction") != "down")
    return redirect_to(request, reverse("transactions:rule_list"))


@login_required
def rule_preview(request, rule_id: int):
    """What the rule would change in past transactions, before applying it."""
    rule = get_scoped_or_404(Rule, request.household, pk=rule_id)
    preview = service.rule_preview(rule)
    tree = category_tree(household=request.household)
    changes = [
        {
            "txn": txn,
            "category_before": tree.label(txn.category_id),
            "category_after": tree.label(effect.category_id) if effect.category_id else None,
            "merchant_after": effect.merchant,
            "tag": rule.add_tag.name if effect.tag_id and rule.add_tag else None,
            "excluded": effect.excluded,
        }
        for txn, effect in preview.changes
    ]
    return render_page(
        request, "transactions/rule_preview.html", {"rule": rule, "preview": preview, "changes": changes}
    )


@login_required
@require_POST
def rule_apply(request, rule_id: int):
    rule = get_scoped_or_404(Rule, request.household, pk=rule_id)
    try:
        changed = service.rule_apply_to_past(rule)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, f"Rule applied to {changed:,} past transaction{'s' if changed != 1 else ''}.")
    return redirect_to(request, reverse("transactions:rule_list"))
