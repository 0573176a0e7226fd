"""The household snapshot the language model may see: aggregates only (see `privacy`)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from fincoach.money import ZERO, to_money
from transactions.taxonomy import BY_CODE

from ..facts import cashflow, ml_results, planning
from ..facts.periods import Period, add_months, month_end, month_start
from .privacy import Redactor


def _money(value: Decimal) -> str:
    return str(to_money(value))


def household_snapshot(household, user, *, today: date, redactor: Redactor | None = None) -> dict:
    """This month, last month, the usual month, budgets, goals, bills, subscriptions and the forecast low point."""
    redactor = redactor or Redactor(household)
    prefs = getattr(user, "preferences", None)
    share_merchants = bool(getattr(prefs, "llm_share_merchants", False))
    this_month = Period(month_start(today), today)
    last_start = add_months(month_start(today), -1)
    last_month = Period(last_start, month_end(last_start))
    usual = cashflow.monthly_flows(household, Period(add_months(month_start(today), -3), last_month.end))
    usual_spending = to_money(sum((f.spending for f in usual), ZERO) / len(usual))
    usual_income = to_money(sum((f.income for f in usual), ZERO) / len(usual))
    spent_now = cashflow.spending_total(household, this_month)
    snapshot: dict = {
        "today": today.isoformat(),
        "currency": getattr(household, "currency", "USD"),
        "this_month": {
            **_month_summary(household, this_month),
            "percent_of_usual_month_spent": _percent_of(spent_now, usual_spending),
        },
        "last_month": _month_summary(household, last_month),
        "usual_month": {"income": _money(usual_income), "spending": _money(usual_spending), "months_averaged": 3},
        "budgets": [
            {
                "name": redactor.text(b.name),
                "available": _money(b.available),
                "spent": _money(b.spent),
                "remaining": _money(b.remaining),
                "percent": str(b.percent) if b.percent is not None else None,
                "status": b.status,
                "period_end": b.period_end.isoformat(),
            }
            for b in planning.budget_statuses(household, today=today)
        ],
        "goals": [
            {
                "name": redactor.text(g.name),
                "target": _money(g.target),
                "saved": _money(g.saved),
                "percent": g.percent,
                "target_date": g.target_date.isoformat() if g.target_date else None,
                "on_track": g.on_track,
            }
            for g in planning.goal_statuses(household, today=today)
            if g.is_active
        ],
        "upcoming_bills": [
            {
                "name": redactor.text(bill.name) if share_merchants else _bill_label(bill),
                "amount": _money(bill.amount),
                "due": bill.next_date.isoformat(),
            }
            for bill in ml_results.upcoming_bills(household, today, today + timedelta(days=14))
        ],
    }
    subscriptions = ml_results.active_subscriptions(household)
    snapshot["subscriptions"] = {
        "count": len(subscriptions),
        "monthly_total": _money(sum((s.monthly_cost for s in subscriptions), ZERO)),
    }
    forecast = ml_results.household_forecast(household)
    if forecast is not None and forecast.lowest is not None:
        snapshot["forecast"] = {
            "lowest_date": forecast.lowest.day.isoformat(),
            "lowest_balance": _money(forecast.lowest.expected),
            "cushion": _money(forecast.threshold),
        }
    if share_merchants:
        snapshot["top_merchants_this_month"] = [
            {"merchant": redactor.text(m.merchant), "spent": _money(m.amount), "transactions": m.count}
            for m in cashflow.spending_by_merchant(household, this_month, limit=5)
        ]
    return snapshot


def _month_summary(household, period: Period) -> dict:
    income = cashflow.income_total(household, period)
    spending = cashflow.spending_total(household, period)
    return {
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "income": _money(income),
        "spending": _money(spending),
        "net": _money(income - spending),
        "by_category": [
            {"category": c.name, "spent": _money(c.amount)}
            for c in cashflow.spending_by_category(household, period)[:8]
        ],
    }


def _percent_of(part: Decimal, whole: Decimal) -> int | None:
    if whole <= 0:
        return None
    return int((part * 100 / whole).quantize(Decimal("1")))


def _bill_label(bill: ml_results.Recurring) -> str:
    """A bill named by its category when merchant names may not be shared ("Internet and cable bill")."""
    definition = BY_CODE.get(bill.category_code)
    return f"{definition.name} bill" if definition else "Recurring bill"
