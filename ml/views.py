"""Subscriptions and anomaly review pages. HTMX actions answer with the fresh fragment they changed; plain form
posts (no JavaScript) are redirected back to the page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from fincoach.htmx import render_page
from fincoach.scoping import get_scoped_or_404

from . import selectors
from .models import Anomaly, RecurringSeries
from .services import marks

SUBSCRIPTIONS_PAGE = "ml/subscription_list.html"
SUBSCRIPTIONS_PARTIAL = "ml/partials/subscriptions.html"
ANOMALIES_PAGE = "ml/anomaly_list.html"
ANOMALIES_PARTIAL = "ml/partials/anomaly_page.html"


def _subscriptions(request: HttpRequest, error: str = "", error_series_id: int | None = None) -> HttpResponse:
    context = {
        "overview": selectors.subscriptions_overview(household=request.household),
        "error": error,
        "error_series_id": error_series_id,
    }
    # A refused rename answers 200 with the message beside the field: HTMX swaps only successful responses.
    return render_page(request, SUBSCRIPTIONS_PAGE, context, partial=SUBSCRIPTIONS_PARTIAL)


@login_required
def subscription_list(request: HttpRequest) -> HttpResponse:
    return _subscriptions(request)


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _after_subscription_change(request: HttpRequest) -> HttpResponse:
    return _subscriptions(request) if _is_htmx(request) else redirect("ml:subscription_list")


def _flag(request: HttpRequest) -> bool:
    """`value=0` undoes a mark; anything else (or nothing) sets it."""
    return request.POST.get("value", "1") != "0"


@login_required
@require_POST
def subscription_rename(request: HttpRequest, recurringseries_id: int) -> HttpResponse:
    series = get_scoped_or_404(RecurringSeries, request.household, pk=recurringseries_id)
    try:
        marks.recurring_series_rename(request.household, series, request.POST.get("display_name", ""))
    except ValidationError as error:
        return _subscriptions(request, " ".join(error.messages), series.pk)
    return _after_subscription_change(request)


@login_required
@require_POST
def subscription_not_subscription(request: HttpRequest, recurringseries_id: int) -> HttpResponse:
    series = get_scoped_or_404(RecurringSeries, request.household, pk=recurringseries_id)
    marks.recurring_series_mark_not_subscription(request.household, series, _flag(request))
    return _after_subscription_change(request)


@login_required
@require_POST
def subscription_cancelled(request: HttpRequest, recurringseries_id: int) -> HttpResponse:
    series = get_scoped_or_404(RecurringSeries, request.household, pk=recurringseries_id)
    marks.recurring_series_mark_cancelled(request.household, series, _flag(request))
    return _after_subscription_change(request)


def _status(request: HttpRequest) -> str:
    status = request.POST.get("status") or request.GET.get("status") or Anomaly.Status.OPEN
    return status if status in Anomaly.Status.values else Anomaly.Status.OPEN


def _anomalies(request: HttpRequest) -> HttpResponse:
    status = _status(request)
    page = Paginator(selectors.anomalies(household=request.household, status=status), 25).get_page(
        request.GET.get("page")
    )
    counts = selectors.anomaly_counts(household=request.household)
    context = {
        "page": page,
        "status": status,
        "tabs": [(value, label, counts[value]) for value, label in Anomaly.Status.choices],
    }
    return render_page(request, ANOMALIES_PAGE, context, partial=ANOMALIES_PARTIAL)


@login_required
def anomaly_list(request: HttpRequest) -> HttpResponse:
    return _anomalies(request)


def _after_anomaly_change(request: HttpRequest) -> HttpResponse:
    if _is_htmx(request):
        return _anomalies(request)
    return redirect(f"{reverse('ml:anomaly_list')}?status={_status(request)}")


@login_required
@require_POST
def anomaly_dismiss(request: HttpRequest, anomaly_id: int) -> HttpResponse:
    anomaly = get_scoped_or_404(Anomaly, request.household, pk=anomaly_id)
    marks.anomaly_dismiss(request.household, anomaly)
    return _after_anomaly_change(request)


@login_required
@require_POST
def anomaly_confirm(request: HttpRequest, anomaly_id: int) -> HttpResponse:
    anomaly = get_scoped_or_404(Anomaly, request.household, pk=anomaly_id)
    marks.anomaly_confirm(request.household, anomaly)
    return _after_anomaly_change(request)
