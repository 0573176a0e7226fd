"""Goal pages. Thin: selectors read, services write, templates render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from budgets.clock import clock_for_user
from budgets.forms import add_service_errors, save_with_service
from fincoach.htmx import render_page
from fincoach.scoping import get_scoped_or_404

from . import charts, selectors, services
from .forms import ContributionForm, DebtExtraForm, GoalForm
from .models import Goal, GoalContribution


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The overview; an HTMX change of the extra debt payment gets just the comparison."""
    household = request.household
    clock = clock_for_user(request.user)
    progresses = selectors.goals_with_progress(household, clock=clock)
    extra_form = DebtExtraForm(request.GET or None)
    context = {
        "currency": household.currency,
        # (progress, payoff plan at the minimum payment — debts only) for each goal still being worked on
        "active": [
            (p, selectors.debt_plan(p)) for p in progresses if p.goal.status in (Goal.Status.ACTIVE, Goal.Status.PAUSED)
        ],
        "finished": [p for p in progresses if p.goal.status in (Goal.Status.COMPLETED, Goal.Status.CANCELLED)],
        "extra_form": extra_form,
        "comparison": selectors.debt_strategies(progresses, extra_form.extra_amount()),
        "emergency": selectors.emergency_fund_suggestion(household, clock=clock),
        "has_emergency_fund": any(p.goal.kind == Goal.Kind.EMERGENCY_FUND for p in progresses),
    }
    return render_page(request, "goals/goal_overview.html", context, partial="goals/partials/debt_comparison.html")


def _detail_context(request: HttpRequest, goal: Goal, contribution_form: ContributionForm | None = None) -> dict:
    clock = clock_for_user(request.user)
    progress = selectors.goal_with_progress(goal, clock=clock)
    history = selectors.goal_progress_history(progress, clock=clock)
    return {
        "goal": progress.goal,
        "progress": progress,
        "currency": request.household.currency,
        "contributions": progress.goal.contributions.select_related("transaction")[:50],
        "milestones": progress.goal.milestones.all(),
        "debt_plan": selectors.debt_plan(progress),
        "chart": charts.goal_progress_chart(history, progress, request.household.currency),
        "contribution_form": contribution_form or ContributionForm(household=request.household),
    }


@login_required
def detail(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = get_scoped_or_404(Goal, request.household, pk=goal_id)
    return render(request, "goals/goal_detail.html", _detail_context(request, goal))


@login_required
@require_POST
def contribute(request: HttpRequest, goal_id: int) -> HttpResponse:
    """Add a contribution; HTMX gets the refreshed progress and history, others a redirect."""
    goal = get_scoped_or_404(Goal, request.household, pk=goal_id)
    form = ContributionForm(request.POST, household=request.household)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.goal_contribute(
                goal,
                amount=data["amount"],
                day=data["date"],
                note=data["note"],
                linked_transaction=data["transaction"],
                user=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if not request.htmx:
                messages.success(request, "Contribution added.")
                return redirect("goals:detail", goal_id=goal.pk)
            form = None  # a fresh, empty form after success
    # Errors come back with 200 so HTMX swaps the form in with its messages.
    context = _detail_context(request, goal, form)
    return render_page(request, "goals/goal_detail.html", context, partial="goals/partials/goal_body.html")


@login_required
@require_POST
def contribution_delete(request: HttpRequest, goalcontribution_id: int) -> HttpResponse:
    contribution = get_scoped_or_404(GoalContribution, request.household, pk=goalcontribution_id)
    goal = contribution.goal
    services.goal_contribution_delete(contribution)
    if request.htmx:
        return render(request, "goals/partials/goal_body.html", _detail_context(request, goal))
    messages.success(request, "Contribution removed.")
    return redirect("goals:detail", goal_id=goal.pk)


@login_required
def create(request: HttpRequest) -> HttpResponse:
    household = request.household
    # Links such as "start an emergency fund of $9,000" prefill the form.
    initial = {key: request.GET[key] for key in ("kind", "target_amount", "name") if key in request.GET}
    form = GoalForm(request.POST or None, household=household, initial=initial)
    if request.method == "POST":
        goal = save_with_service(form, lambda **data: services.goal_create(household=household, **data))
        if goal is not None:
            messages.success(request, f"Goal “{goal.name}” created.")
            return redirect("goals:detail", goal_id=goal.pk)
    return render(request, "goals/goal_form.html", {"form": form, "goal": None})


@login_required
def edit(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = get_scoped_or_404(Goal, request.household, pk=goal_id)
    form = GoalForm(request.POST or None, instance=goal, household=request.household)
    if request.method == "POST":
        saved = save_with_service(form, lambda **data: services.goal_update(goal, **data))
        if saved is not None:
            messages.success(request, f"Goal “{saved.name}” saved.")
            return redirect("goals:detail", goal_id=saved.pk)
    return render(request, "goals/goal_form.html", {"form": form, "goal": goal})


@login_required
def delete(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = get_object_or_404(Goal.objects.for_household(request.household), pk=goal_id)
    if request.method == "POST":
        name = goal.name
        services.goal_delete(goal)
        messages.success(request, f"Goal “{name}” deleted.")
        return redirect("goals:index")
    return render(request, "goals/goal_confirm_delete.html", {"goal": goal})
