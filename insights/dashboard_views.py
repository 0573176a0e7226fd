"""The dashboard at `/`: a household's money at a glance, or the onboarding checklist for a new household."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import charts
from .facts.dashboard import dashboard_for
from .facts.periods import local_today


@login_required
def dashboard(request):
    household = request.household
    board = dashboard_for(household, request.user, today=local_today(request.user))
    currency = household.currency
    context = {"board": board, "currency": currency}
    if not board.is_new:
        context["category_chart"] = charts.category_chart(board, currency)
        context["trend_chart"] = charts.trend_chart(board, currency)
        if board.sparkline:
            context["sparkline_chart"] = charts.forecast_chart(
                board.forecast, board.sparkline, board.sparkline_low, currency, sparkline=True
            )
    return render(request, "insights/dashboard.html", context)
