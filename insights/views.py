"""The coach's pages: insights (persona, forecast, anomalies, subscriptions, every insight with filters), feedback
on an insight, and "Ask the coach". Thin: selectors read, services write, HTMX gets the fragments."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from fincoach.htmx import render_page

from . import charts, links
from .facts.pages import InsightFilters, insights_page_for, recent_exchanges
from .facts.periods import local_today
from .models import Insight
from .services import insight_dismiss, insight_open, insight_set_helpful
from .services.ask import QuestionError, coach_ask


def _own_insight(request, insight_id: int) -> Insight:
    # Scoped to the person (stricter than the household): someone else's insight is a 404.
    return get_object_or_404(Insight.objects.for_household(request.household).for_user(request.user), pk=insight_id)


@login_required
def insight_list(request):
    filters = InsightFilters.from_query(request.GET)
    today = local_today(request.user)
    page = insights_page_for(request.household, request.user, filters=filters, today=today)
    context = {"page": page, "filters": filters, "kinds": Insight.Kind.choices}
    if page.forecast and page.forecast.points:
        upcoming = [p for p in page.forecast.points if p.day >= today] or page.forecast.points
        context["forecast_chart"] = charts.forecast_chart(
            page.forecast, upcoming, page.forecast_low, request.household.currency, sparkline=False
        )
    return render_page(request, "insights/insight_list.html", context, partial="insights/partials/insight_results.html")


@login_required
def insight_open_view(request, insight_id: int):
    insight = insight_open(request.user, _own_insight(request, insight_id))
    target = insight.action_url or links.insights_page()
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = links.insights_page()
    return HttpResponseRedirect(target)


@login_required
@require_POST
def insight_feedback(request, insight_id: int):
    insight = _own_insight(request, insight_id)
    verdict = request.POST.get("helpful")
    if verdict not in ("yes", "no"):
        return render(
            request,
            "insights/partials/insight_card.html",
            {"insight": insight, "error": "Choose helpful or not."},
            status=400,
        )
    insight_set_helpful(request.user, insight, helpful=verdict == "yes")
    insight.refresh_from_db()
    return render(request, "insights/partials/insight_card.html", {"insight": insight, "thanked": True})


@login_required
@require_POST
def insight_dismiss_view(request, insight_id: int):
    insight_dismiss(request.user, _own_insight(request, insight_id))
    return render(request, "insights/partials/empty.html")


@login_required
@require_http_methods(["GET", "POST"])
def ask_coach(request):
    context: dict = {"history": recent_exchanges(request.user)}
    status = 200
    if request.method == "POST":
        question = request.POST.get("question", "")
        try:
            exchange, answer = coach_ask(request.user, request.household, question)
            earlier = [e for e in recent_exchanges(request.user) if e.pk != exchange.pk]
            context.update(exchange=exchange, answer=answer, history=earlier)
        except QuestionError as exc:
            context.update(error=str(exc), question=question)
            status = 400
    return render_page(
        request, "insights/ask.html", context, partial="insights/partials/coach_answer.html", status=status
    )
