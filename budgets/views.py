"""Budget pages. Thin: selectors read, services write, templates render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from fincoach.htmx import render_page
from fincoach.scoping import get_scoped_or_404

from . import charts, periods, selectors, services
from .clock import clock_for_user
from .forms import BudgetForm, save_with_service
from .models import Budget
from .selectors import budgets_for_household


def _overview_context(request: HttpRequest) -> dict:
    household = request.household
    clock = clock_for_user(request.user)
    budgets = list(selectors.budgets_for_household(household))
    month_start_day = selectors.summary_month_start_day(budgets)
    summary_window = periods.Cadence(periods.MONTHLY, month_start_day=month_start_day).period_containing(clock.today)
    history = selectors.budget_vs_actual_by_month(
        household, clock=clock, month_start_day=month_start_day, budgets=budgets
    )
    return {
        "currency": household.currency,
        "today": clock.today,
        "usages": selectors.budget_usage_for_period(household, clock=clock, budgets=budgets),
        "summary": selectors.budget_period_summary(household, window=summary_window, clock=clock, budgets=budgets),
        "history_chart": charts.budget_vs_actual_chart(history, household.currency),
        "suggestions": selectors.budget_suggestions(household, clock=clock, budgets=budgets),
    }


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The overview; HTMX refreshes of the budget list (after a live alert) get just the list."""
    return render_page(
        request, "budgets/budget_overview.html", _overview_context(request), partial="budgets/partials/budget_live.html"
    )


@login_required
def detail(request: HttpRequest, budget_id: int) -> HttpResponse:
    budget = get_object_or_404(budgets_for_household(request.household, include_inactive=True), pk=budget_id)
    clock = clock_for_user(request.user)
    history = selectors.budget_history(budget, clock=clock)
    return render(
        request,
        "budgets/budget_detail.html",
        {
            "budget": budget,
            "currency": request.household.currency,
            "history": history[::-1],
            "history_chart": charts.budget_history_chart(history, request.household.currency),
            "current": history[-1] if history else None,
            "alerts": budget.alerts.all()[:10],
        },
    )


@login_required
def create(request: HttpRequest) -> HttpResponse:
    household = request.household
    form = BudgetForm(request.POST or None, household=household, initial={"alert_threshold": 80})
    if request.method == "POST":
        budget = save_with_service(form, lambda **data: services.budget_create(household=household, **data))
        if budget is not None:
            messages.success(request, f"Budget “{budget.label}” created.")
            return redirect("budgets:index")
    return render(request, "budgets/budget_form.html", {"form": form, "budget": None})


@login_required
def edit(request: HttpRequest, budget_id: int) -> HttpResponse:
    budget = get_scoped_or_404(Budget, request.household, pk=budget_id)
    form = BudgetForm(request.POST or None, instance=budget, household=request.household)
    if request.method == "POST":
        saved = save_with_service(form, lambda **data: services.budget_update(budget, **data))
        if saved is not None:
            messages.success(request, f"Budget “{saved.label}” saved.")
            return redirect("budgets:detail", budget_id=saved.pk)
    return render(request, "budgets/budget_form.html", {"form": form, "budget": budget})


@login_required
def delete(request: HttpRequest, budget_id: int) -> HttpResponse:
    budget = get_scoped_or_404(Budget, request.household, pk=budget_id)
    if request.method == "POST":
        label = budget.label
        services.budget_delete(budget)
        messages.success(request, f"Budget “{label}” deleted.")
        return redirect("budgets:index")
    return render(request, "budgets/budget_confirm_delete.html", {"budget": budget})


@login_required
@require_POST
def accept_suggestion(request: HttpRequest) -> HttpResponse:
    try:
        budget = services.budget_accept_suggestion(
            household=request.household,
            primary_code=request.POST.get("primary_code", ""),
            amount=request.POST.get("amount", ""),
        )
    except (ValidationError, ValueError) as exc:
        messages.error(request, f"That suggestion could not be accepted: {_first_message(exc)}")
    else:
        messages.success(request, f"Budget “{budget.label}” created.")
    return redirect("budgets:index")


def _first_message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return exc.messages[0]
    return str(exc)
