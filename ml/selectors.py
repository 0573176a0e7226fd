"""Reads of what the models found, for the pages, the API and the coach. Every selector takes `household=`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from ml.models import Anomaly, BalanceForecast, ModelRun, PersonaAssignment, RecurringSeries, SuggestionOutcome
from transactions.models import Category, Transaction

RECENT_DAYS = 30  # new transactions older than this are left to the nightly run, without a notification
MAX_IMMEDIATE = 500  # more recent rows than this in one write: a history import, left to the nightly run

CENTS = Decimal("0.01")
# How many of each cadence fit in a month (a yearly plan costs a twelfth of its price per month).
PER_MONTH: dict[str, Decimal] = {
    RecurringSeries.Cadence.WEEKLY: Decimal(52) / Decimal(12),
    RecurringSeries.Cadence.BIWEEKLY: Decimal(26) / Decimal(12),
    RecurringSeries.Cadence.SEMIMONTHLY: Decimal(2),
    RecurringSeries.Cadence.MONTHLY: Decimal(1),
    RecurringSeries.Cadence.QUARTERLY: Decimal(1) / Decimal(3),
    RecurringSeries.Cadence.YEARLY: Decimal(1) / Decimal(12),
}


# --- recurring payments and subscriptions ------------------------------------------------------------------------


def monthly_cost(series: RecurringSeries) -> Decimal:
    """What the series costs per month, as a positive amount (its latest price when it changed)."""
    amount = series.next_amount if series.next_amount is not None else series.amount
    return (abs(amount) * PER_MONTH[series.cadence]).quantize(CENTS)


def recurring_series(*, household) -> QuerySet[RecurringSeries]:
    return RecurringSeries.objects.for_household(household).select_related("account", "category")


def _is_live(series: RecurringSeries) -> bool:
    return series.status != RecurringSeries.Status.CANCELLED and not series.user_cancelled


def is_subscription(series: RecurringSeries) -> bool:
    """The model thinks so and the user has not said otherwise."""
    return series.is_subscription and not series.user_marked_not_subscription and not series.is_income


@dataclass
class SubscriptionsOverview:
    subscriptions: list[RecurringSeries]  # live subscriptions, next charge first
    bills: list[RecurringSeries]  # other recurring payments (rent, utilities, loans, "not a subscription"…)
    income: list[RecurringSeries]
    inactive: list[RecurringSeries]  # cancelled, by the user or by missed charges
    monthly_total: Decimal
    yearly_total: Decimal
    upcoming: list[RecurringSeries]  # live payments due in the next 30 days

    @property
    def is_empty(self) -> bool:
        return not (self.subscriptions or self.bills or self.income or self.inactive)


def subscriptions_overview(*, household, today: dt.date | None = None) -> SubscriptionsOverview:
    """Everything the subscriptions page shows, from one query."""
    today = today or timezone.localdate()
    subscriptions, bills, income, inactive = [], [], [], []
    for series in recurring_series(household=household).order_by("next_date", "merchant"):
        series.monthly_cost = monthly_cost(series)
        series.yearly_cost = series.monthly_cost * 12
        if series.is_income:
            income.append(series)
        elif not _is_live(series):
            inactive.append(series)
        elif is_subscription(series):
            subscriptions.append(series)
        else:
            bills.append(series)
    # A series that missed its last charges ("possibly cancelled") is listed but not counted or expected.
    active = RecurringSeries.Status.ACTIVE
    monthly_total = sum((s.monthly_cost for s in subscriptions if s.status == active), Decimal("0.00"))
    horizon = today + dt.timedelta(days=30)
    upcoming = [
        s for s in subscriptions + bills if s.status == active and s.next_date and today <= s.next_date <= horizon
    ]
    return SubscriptionsOverview(
        subscriptions=subscriptions,
        bills=bills,
        income=income,
        inactive=inactive,
        monthly_total=monthly_total,
        yearly_total=monthly_total * 12,
        upcoming=sorted(upcoming, key=lambda s: s.next_date),
    )


def upcoming_bills(*, household, today: dt.date, days: int = 3) -> QuerySet[RecurringSeries]:
    """Live outgoing recurring payments due within `days` (bill reminders)."""
    return (
        recurring_series(household=household)
        .filter(is_income=False, user_cancelled=False, next_date__gte=today, next_date__lte=today + dt.timedelta(days))
        .exclude(status=RecurringSeries.Status.CANCELLED)
    )


# --- anomalies ---------------------------------------------------------------------------------------------------


def anomalies(*, household, status: str | None = Anomaly.Status.OPEN) -> QuerySet[Anomaly]:
    queryset = Anomaly.objects.for_household(household).select_related(
        "transaction", "transaction__account", "transaction__category"
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-transaction__date", "-score")


def anomaly_counts(*, household) -> dict[str, int]:
    rows = Anomaly.objects.for_household(household).values("status").annotate(n=Count("id"))
    counts = dict.fromkeys(Anomaly.Status.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


# --- personas and forecasts --------------------------------------------------------------------------------------


def current_persona(*, household) -> PersonaAssignment | None:
    return PersonaAssignment.objects.for_household(household).filter(is_current=True).first()


def persona_history(*, household) -> QuerySet[PersonaAssignment]:
    return PersonaAssignment.objects.for_household(household).order_by("-assigned_at")


def current_forecasts(*, household) -> list[BalanceForecast]:
    """The household total first (account empty), then one per account."""
    rows = BalanceForecast.objects.for_household(household).filter(is_current=True).select_related("account")
    return sorted(rows, key=lambda f: (f.account_id is not None, f.account.name if f.account else ""))


def household_forecast(*, household) -> BalanceForecast | None:
    return BalanceForecast.objects.for_household(household).filter(is_current=True, account__isnull=True).first()


def horizon_points(forecast: BalanceForecast, horizons: Sequence[int] = (30, 60, 90)) -> list[dict]:
    """The forecast 30, 60 and 90 days ahead: [{days, date, yhat, lower, upper}] (amounts as Decimal)."""
    out = []
    for days in horizons:
        if days <= len(forecast.points):
            point = forecast.points[days - 1]
            out.append(
                {"days": days, "date": point["date"], **{k: Decimal(point[k]) for k in ("yhat", "lower", "upper")}}
            )
    return out


# --- categoriser -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategorySuggestion:
    category: Category
    confidence: float


def category_suggestions(
    *, household, transactions: Sequence[Transaction], limit: int = 3
) -> dict[int, list[CategorySuggestion]]:
    """The model's top guesses for each transaction (the "suggestions" offered on uncategorised rows), from one
    batch prediction and one category query."""
    from ml.services.categorizing import predict_transactions

    own = [t for t in transactions if t.household_id == household.pk]
    if not own:
        return {}
    ranked: dict[int, list[tuple[str, float]]] = {}
    for txn, prediction in zip(own, predict_transactions(own), strict=True):
        ranked[txn.pk] = prediction.alternatives[:limit]  # best first, the top guess included
    codes = {code for guesses in ranked.values() for code, _ in guesses}
    by_code = {c.code: c for c in Category.objects.filter(household__isnull=True, code__in=codes)}
    return {
        pk: [CategorySuggestion(by_code[code], round(float(conf), 3)) for code, conf in guesses if code in by_code]
        for pk, guesses in ranked.items()
    }


def suggestion_acceptance(*, household=None, months: int = 12) -> list[dict]:
    """Per month: suggestions decided, accepted, and the acceptance rate (all households when `household` is None,
    for the operators)."""
    since = (timezone.now() - dt.timedelta(days=31 * months)).replace(day=1, hour=0, minute=0, second=0)
    queryset = SuggestionOutcome.objects.filter(decided_at__gte=since)
    if household is not None:
        queryset = queryset.for_household(household)
    rows = (
        queryset.annotate(month=TruncMonth("decided_at"))
        .values("month")
        .annotate(decided=Count("id"), accepted=Count("id", filter=Q(accepted=True)))
        .order_by("month")
    )
    return [
        {
            "month": row["month"].date().isoformat()[:7],
            "decided": row["decided"],
            "accepted": row["accepted"],
            "rate": round(row["accepted"] / row["decided"], 3),
        }
        for row in rows
    ]


def latest_runs(*, kind: str | None = None, limit: int = 20) -> QuerySet[ModelRun]:
    queryset = ModelRun.objects.all()
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset[:limit]


def recent_transaction_ids(household, transaction_ids: Sequence[int]) -> list[int]:
    """The transactions among `transaction_ids` dated within the last `RECENT_DAYS`, in one query: the recent rows in
    the ids' range, kept if asked for (an import's ids are one run, and a history import has few recent rows)."""
    if not transaction_ids:
        return []
    wanted = set(transaction_ids)
    recent = timezone.localdate() - dt.timedelta(days=RECENT_DAYS)
    mine = Transaction.objects.for_household(household).filter(date__gte=recent)
    in_range = mine.filter(pk__gte=min(wanted), pk__lte=max(wanted)).order_by("pk").values_list("pk", flat=True)
    return [pk for pk in in_range if pk in wanted]
