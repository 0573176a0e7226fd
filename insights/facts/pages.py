"""What the insights page and the ask page show."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.paginator import Page, Paginator

from fincoach.money import ZERO

from ..models import CoachExchange, Insight
from . import ml_results

PAGE_SIZE = 20
HISTORY_SIZE = 10
STATUSES = ("live", "unread", "helpful", "dismissed", "all")
TYPES = ("all", "alerts", "coaching")


@dataclass(frozen=True)
class InsightFilters:
    status: str = "live"
    type: str = "all"
    kind: str = ""
    page: int = 1

    @classmethod
    def from_query(cls, query) -> InsightFilters:
        """Filters from the query string; unknown values fall back to the defaults."""
        status = query.get("status", "live")
        kind_type = query.get("type", "all")
        kind = query.get("kind", "")
        try:
            page = max(int(query.get("page", 1)), 1)
        except (TypeError, ValueError):
            page = 1
        return cls(
            status=status if status in STATUSES else "live",
            type=kind_type if kind_type in TYPES else "all",
            kind=kind if kind in Insight.Kind.values else "",
            page=page,
        )

    def apply(self, insights):
        if self.status == "live":
            insights = insights.live()
        elif self.status == "unread":
            insights = insights.live().filter(read_at__isnull=True)
        elif self.status == "helpful":
            insights = insights.filter(helpful=True)
        elif self.status == "dismissed":
            insights = insights.filter(dismissed_at__isnull=False)
        if self.type == "alerts":
            insights = insights.filter(is_alert=True)
        elif self.type == "coaching":
            insights = insights.filter(is_alert=False)
        if self.kind:
            insights = insights.filter(kind=self.kind)
        return insights


@dataclass
class InsightsPage:
    insights: Page
    persona: ml_results.PersonaView | None = None
    previous_persona: ml_results.PersonaView | None = None
    forecast: ml_results.ForecastView | None = None
    anomalies: list[ml_results.AnomalyView] = field(default_factory=list)
    subscriptions: list[ml_results.Recurring] = field(default_factory=list)
    today: date | None = None

    @property
    def subscriptions_monthly(self) -> Decimal:
        return sum((s.monthly_cost for s in self.subscriptions), ZERO)

    @property
    def forecast_low(self) -> ml_results.ForecastPoint | None:
        if self.forecast is None or not self.forecast.low_points:
            return None
        upcoming = [p for p in self.forecast.low_points if self.today is None or p.day >= self.today]
        return min(upcoming, key=lambda p: (p.expected, p.day)) if upcoming else None


def insights_page_for(household, user, *, filters: InsightFilters, today: date) -> InsightsPage:
    insights = filters.apply(Insight.objects.for_household(household).for_user(user)).order_by("-created_at", "-id")
    personas = ml_results.persona_history(household, limit=2)
    return InsightsPage(
        insights=Paginator(insights, PAGE_SIZE).get_page(filters.page),
        persona=personas[0] if personas else None,
        previous_persona=personas[1] if len(personas) > 1 else None,
        forecast=ml_results.household_forecast(household),
        anomalies=ml_results.open_anomalies(household, limit=10),
        subscriptions=ml_results.active_subscriptions(household),
        today=today,
    )


def recent_exchanges(user) -> list[CoachExchange]:
    return list(CoachExchange.objects.filter(user=user).order_by("-created_at", "-id")[:HISTORY_SIZE])
