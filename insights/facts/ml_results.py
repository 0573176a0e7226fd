"""The ML engine's stored results, read for the coach: forecasts, recurring series, anomalies, personas."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from fincoach.money import to_money
from ml.models import Anomaly, BalanceForecast, PersonaAssignment, RecurringSeries

# How many of each cadence fit in a month, to put subscriptions on one footing.
MONTHLY_FACTOR = {
    RecurringSeries.Cadence.WEEKLY: Decimal("52") / Decimal("12"),
    RecurringSeries.Cadence.BIWEEKLY: Decimal("26") / Decimal("12"),
    RecurringSeries.Cadence.MONTHLY: Decimal("1"),
    RecurringSeries.Cadence.QUARTERLY: Decimal("1") / Decimal("3"),
    RecurringSeries.Cadence.YEARLY: Decimal("1") / Decimal("12"),
}


# --- Forecasts -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ForecastPoint:
    day: date
    expected: Decimal
    lower: Decimal | None = None
    upper: Decimal | None = None


@dataclass(frozen=True)
class ForecastView:
    id: int
    account_id: int | None
    account_name: str
    model_name: str
    threshold: Decimal
    start_balance: Decimal
    points: list[ForecastPoint]
    low_points: list[ForecastPoint] = field(default_factory=list)

    @property
    def lowest(self) -> ForecastPoint | None:
        return min(self.points, key=lambda p: (p.expected, p.day)) if self.points else None

    def low_points_within(self, start: date, days: int) -> list[ForecastPoint]:
        end = start + timedelta(days=days)
        return [p for p in self.low_points if start <= p.day <= end]


def _point(raw: dict) -> ForecastPoint | None:
    try:
        day = date.fromisoformat(str(raw["date"])[:10])
        expected = to_money(str(raw["yhat"]))
    except (KeyError, TypeError, ValueError):
        return None
    lower = raw.get("lower")
    upper = raw.get("upper")
    return ForecastPoint(
        day,
        expected,
        to_money(str(lower)) if lower not in (None, "") else None,
        to_money(str(upper)) if upper not in (None, "") else None,
    )


def _view(forecast: BalanceForecast) -> ForecastView:
    points = [p for p in map(_point, forecast.points or []) if p is not None]
    low = [p for p in map(_point, forecast.low_points or []) if p is not None]
    return ForecastView(
        id=forecast.pk,
        account_id=forecast.account_id,
        account_name=forecast.account.name if forecast.account_id else "all accounts",
        model_name=forecast.model_name,
        threshold=forecast.low_balance_threshold,
        start_balance=forecast.start_balance,
        points=sorted(points, key=lambda p: p.day),
        low_points=sorted(low, key=lambda p: p.day),
    )


def current_forecasts(household) -> list[ForecastView]:
    """Current forecasts with enough data: the household one first, then per account (liabilities left out)."""
    rows = (
        BalanceForecast.objects.for_household(household)
        .filter(is_current=True, enough_data=True)
        .select_related("account")
        .order_by("account_id", "-created_at")
    )
    seen: set = set()
    out = []
    for forecast in rows:
        if forecast.account_id in seen or (forecast.account_id and forecast.account.is_liability):
            continue
        seen.add(forecast.account_id)
        out.append(_view(forecast))
    out.sort(key=lambda f: (f.account_id is not None, f.account_name))
    return out


def household_forecast(household) -> ForecastView | None:
    """The whole-household forecast (or the only account one when the ML engine made no household forecast)."""
    forecasts = current_forecasts(household)
    if not forecasts:
        return None
    household_level = [f for f in forecasts if f.account_id is None]
    return household_level[0] if household_level else (forecasts[0] if len(forecasts) == 1 else None)


# --- Recurring series ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recurring:
    id: int
    name: str
    merchant: str
    cadence: str
    cadence_label: str
    amount: Decimal  # positive: what one occurrence costs
    next_date: date | None
    account_id: int | None
    account_name: str
    category_code: str
    is_subscription: bool
    price_changes: list[dict]

    @property
    def monthly_cost(self) -> Decimal:
        return to_money(self.amount * MONTHLY_FACTOR.get(self.cadence, Decimal("1")))


def _active_outflows(household):
    return (
        RecurringSeries.objects.for_household(household)
        .filter(status=RecurringSeries.Status.ACTIVE, is_income=False, user_cancelled=False)
        .select_related("account", "category")
    )


def _recurring(series: RecurringSeries) -> Recurring:
    amount = series.next_amount if series.next_amount is not None else series.amount
    return Recurring(
        id=series.pk,
        name=series.display_name or series.merchant,
        merchant=series.merchant,
        cadence=series.cadence,
        cadence_label=series.get_cadence_display(),
        amount=abs(amount),
        next_date=series.next_date,
        account_id=series.account_id,
        account_name=series.account.name if series.account_id else "",
        category_code=series.category.code if series.category_id else "",
        is_subscription=series.is_subscription and not series.user_marked_not_subscription,
        price_changes=list(series.price_changes or []),
    )


def upcoming_bills(household, start: date, end: date) -> list[Recurring]:
    """Recurring payments (bills and subscriptions) expected between `start` and `end` inclusive."""
    rows = _active_outflows(household).filter(next_date__gte=start, next_date__lte=end).order_by("next_date", "id")
    return [_recurring(s) for s in rows]


def active_subscriptions(household) -> list[Recurring]:
    rows = _active_outflows(household).filter(is_subscription=True, user_marked_not_subscription=False)
    return sorted((_recurring(s) for s in rows), key=lambda r: (-r.monthly_cost, r.name))


@dataclass(frozen=True)
class PriceChange:
    subscription: Recurring
    day: date
    old: Decimal
    new: Decimal

    @property
    def increase(self) -> Decimal:
        return self.new - self.old


def price_increases(subscriptions: list[Recurring], since: date) -> list[PriceChange]:
    """Price rises (in absolute terms) recorded on or after `since`."""
    out = []
    for sub in subscriptions:
        for change in sub.price_changes:
            try:
                day = date.fromisoformat(str(change["date"])[:10])
                old, new = abs(to_money(str(change["old"]))), abs(to_money(str(change["new"])))
            except (KeyError, TypeError, ValueError):
                continue
            if day >= since and new > old:
                out.append(PriceChange(sub, day, old, new))
    return sorted(out, key=lambda c: (c.day, c.subscription.name))


# Detailed categories where a household rarely needs two services at once.
ONE_IS_ENOUGH = frozenset(
    {
        "ENTERTAINMENT_MUSIC_AND_AUDIO",
        "PERSONAL_CARE_GYMS_AND_FITNESS_CENTERS",
        "RENT_AND_UTILITIES_INTERNET_AND_CABLE",
    }
)


def duplicate_subscriptions(subscriptions: list[Recurring]) -> list[list[Recurring]]:
    """Groups of subscriptions that look like paying twice for one thing: the same merchant more than once (two
    accounts, two plans), or two services in a category where one is usually enough (two music services)."""
    groups: dict[str, list[Recurring]] = {}
    for sub in subscriptions:
        in_crowded_category = sub.category_code in ONE_IS_ENOUGH
        key = f"category:{sub.category_code}" if in_crowded_category else f"merchant:{sub.merchant.lower()}"
        groups.setdefault(key, []).append(sub)
    return [group for group in groups.values() if len(group) > 1]


# --- Anomalies and personas --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnomalyView:
    id: int
    transaction_id: int
    day: date
    amount: Decimal  # signed, as on the statement
    merchant: str
    score: float
    reasons: list[str]
    reason_kinds: list[str]


def open_anomalies(household, since: date | None = None, limit: int = 20) -> list[AnomalyView]:
    rows = (
        Anomaly.objects.for_household(household)
        .filter(status=Anomaly.Status.OPEN)
        .select_related("transaction")
        .order_by("-transaction__date", "-score")
    )
    if since is not None:
        rows = rows.filter(transaction__date__gte=since)
    out = []
    for anomaly in rows[:limit]:
        txn = anomaly.transaction
        reasons = [r for r in (anomaly.reasons or []) if isinstance(r, dict)]
        out.append(
            AnomalyView(
                id=anomaly.pk,
                transaction_id=txn.pk,
                day=txn.date,
                amount=txn.amount,
                merchant=txn.merchant or "an unknown merchant",
                score=anomaly.score,
                reasons=[str(r.get("text", "")) for r in reasons if r.get("text")],
                reason_kinds=[str(r.get("kind", "")) for r in reasons],
            )
        )
    return out


@dataclass(frozen=True)
class PersonaView:
    id: int
    key: str
    name: str
    description: str
    confidence: float
    top_features: list[dict]
    tips: list[str]
    assigned_at: object  # aware datetime

    @property
    def confidence_percent(self) -> int:
        return round(min(max(self.confidence, 0.0), 1.0) * 100)


def persona_history(household, limit: int = 2) -> list[PersonaView]:
    """The current persona first, then the ones before it."""
    rows = PersonaAssignment.objects.for_household(household).order_by("-is_current", "-assigned_at")[:limit]
    return [
        PersonaView(
            id=p.pk,
            key=p.persona,
            name=p.name,
            description=p.description,
            confidence=p.confidence,
            top_features=[f for f in (p.top_features or []) if isinstance(f, dict)],
            tips=[str(t) for t in (p.tips or [])],
            assigned_at=p.assigned_at,
        )
        for p in rows
    ]
