"""The coach's tools: read-only functions over the household's own data, used by the deterministic engine
directly and offered to the language model through function calling.

Results are JSON-ready dicts (money as decimal strings). For the language model, free text is redacted and
merchant names are replaced by categories unless the person allowed sharing them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from jsonschema import Draft202012Validator

from fincoach.money import ZERO, to_money
from transactions.taxonomy import BY_CODE, CATEGORIES

from ..facts import balances as balance_facts
from ..facts import cashflow, ml_results, planning
from ..facts.periods import Period, add_months, month_start
from ..llm.privacy import Redactor
from .parsing import CategoryMatch, find_category

MAX_RANGE_DAYS = 3 * 366
USUAL_MONTHS = 3


@dataclass
class ToolContext:
    household: object
    user: object
    today: date
    redactor: Redactor | None = None  # set when results go to the language model
    share_merchants: bool = True

    def text(self, value: str) -> str:
        """Free text people wrote (a goal's or a budget's name), scrubbed when it goes to the model."""
        return self.redactor.text(value) if self.redactor else value

    def merchant(self, name: str, fallback: str) -> str:
        """A merchant's name, or `fallback` when it goes to the model and the person did not allow that."""
        if self.redactor is None:
            return name
        return self.redactor.text(name) if self.share_merchants else fallback


def _money(value: Decimal) -> str:
    return str(to_money(value))


class ToolError(ValueError):
    """Arguments a tool cannot work with (shown to the model so it can correct itself)."""


def _period(start: str, end: str) -> Period:
    try:
        period = Period(date.fromisoformat(start), date.fromisoformat(end))
    except (TypeError, ValueError) as exc:
        raise ToolError("dates must be YYYY-MM-DD") from exc
    if period.end < period.start:
        raise ToolError("end is before start")
    if period.days > MAX_RANGE_DAYS:
        raise ToolError("at most three years at a time")
    return period


# --- the tools ---------------------------------------------------------------------------------------------------


def spending(ctx: ToolContext, start: str, end: str, category: str | None = None) -> dict:
    """Spending between two dates, in total or in one category (in plain words: "dining", "groceries")."""
    period = _period(start, end)
    result: dict = {"from": period.start.isoformat(), "to": period.end.isoformat()}
    if category:
        match = category if isinstance(category, CategoryMatch) else find_category(category)
        if match is None:
            raise ToolError(f"no category called {category!r}")
        result["category"] = match.label
        result["spent"] = _money(cashflow.spending_in_codes(ctx.household, period, set(match.codes)))
        unspecified = _unspecified_parent_spending(ctx, period, match)
        if unspecified:
            result["parent_category_without_detail"] = unspecified
        return result
    by_category = cashflow.spending_by_category(ctx.household, period)
    result["spent"] = _money(sum((c.amount for c in by_category), ZERO))
    result["by_category"] = [{"category": c.name, "spent": _money(c.amount)} for c in by_category[:8]]
    return result


def _unspecified_parent_spending(ctx: ToolContext, period: Period, match: CategoryMatch) -> dict | None:
    """Spending categorised only as the parent of the asked-for sub-categories ("Food and drink" for "dining"):
    it may partly belong to them, and an honest answer says so."""
    primaries = {BY_CODE[c].primary for c in match.codes if c in BY_CODE and not BY_CODE[c].is_primary}
    if len(primaries) != 1:
        return None
    primary = primaries.pop()
    spent = cashflow.spending_in_codes(ctx.household, period, {primary}) - cashflow.spending_in_codes(
        ctx.household, period, {c.code for c in _children(primary)}
    )
    if spent <= 0:
        return None
    return {"category": BY_CODE[primary].name, "spent": _money(spent)}


def _children(primary: str):
    return [c for c in CATEGORIES if c.primary == primary and not c.is_primary]


def cash_flow(ctx: ToolContext, start: str, end: str) -> dict:
    """Income, spending, net and savings rate between two dates."""
    period = _period(start, end)
    income = cashflow.income_total(ctx.household, period)
    spent = cashflow.spending_total(ctx.household, period)
    rate = None if income <= 0 else str(((income - spent) * 100 / income).quantize(Decimal("0.1")))
    return {
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "income": _money(income),
        "spent": _money(spent),
        "net": _money(income - spent),
        "savings_rate_percent": rate,
    }


def monthly_history(ctx: ToolContext, months: int = 6) -> dict:
    """Income and spending of the last `months` months (this one included, so far)."""
    months = min(max(int(months), 1), 24)
    first = add_months(month_start(ctx.today), -(months - 1))
    flows = cashflow.monthly_flows(ctx.household, Period(first, ctx.today))
    return {
        "months": [
            {"month": f.month.strftime("%Y-%m"), "income": _money(f.income), "spent": _money(f.spending)} for f in flows
        ]
    }


def balances(ctx: ToolContext) -> dict:
    """Cash available, assets, debts and net worth (accounts summed by type, never by name)."""
    accounts = balance_facts.account_balances(ctx.household)
    worth = balance_facts.net_worth(accounts)
    by_kind: dict[str, Decimal] = {}
    for account in accounts:
        by_kind[account.kind] = by_kind.get(account.kind, ZERO) + account.balance
    return {
        "cash": _money(worth.cash),
        "assets": _money(worth.assets),
        "debts": _money(worth.liabilities),
        "net_worth": _money(worth.net),
        "by_account_type": {kind: _money(total) for kind, total in sorted(by_kind.items())},
    }


def budgets(ctx: ToolContext) -> dict:
    """Every active budget this period: available, spent, remaining, status."""
    return {
        "budgets": [
            {
                "name": ctx.text(b.name),
                "available": _money(b.available),
                "spent": _money(b.spent),
                "remaining": _money(b.remaining),
                "status": b.status,
                "period_end": b.period_end.isoformat(),
            }
            for b in planning.budget_statuses(ctx.household, today=ctx.today)
        ]
    }


def goals(ctx: ToolContext) -> dict:
    """Active goals: target, saved, percent, target date, on track or not."""
    return {
        "goals": [
            {
                "name": ctx.text(g.name),
                "target": _money(g.target),
                "saved": _money(g.saved),
                "percent": g.percent,
                "target_date": g.target_date.isoformat() if g.target_date else None,
                "on_track": g.on_track,
                "required_monthly": _money(g.required_monthly) if g.required_monthly is not None else None,
            }
            for g in planning.goal_statuses(ctx.household, today=ctx.today)
            if g.is_active
        ]
    }


def subscriptions(ctx: ToolContext) -> dict:
    """Active subscriptions with their monthly cost, and the total."""
    subs = ml_results.active_subscriptions(ctx.household)
    return {
        "count": len(subs),
        "monthly_total": _money(sum((s.monthly_cost for s in subs), ZERO)),
        "items": [
            {
                "name": ctx.merchant(s.name, _category_name(s.category_code)),
                "monthly_cost": _money(s.monthly_cost),
                "next_date": s.next_date.isoformat() if s.next_date else None,
            }
            for s in subs
        ],
    }


def upcoming_bills(ctx: ToolContext, days: int = 14) -> dict:
    """Recurring payments expected in the next `days` days."""
    days = min(max(int(days), 1), 60)
    bills = ml_results.upcoming_bills(ctx.household, ctx.today, ctx.today + timedelta(days=days))
    return {
        "days": days,
        "total": _money(sum((b.amount for b in bills), ZERO)),
        "bills": [
            {
                "name": ctx.merchant(b.name, _category_name(b.category_code)),
                "amount": _money(b.amount),
                "due": b.next_date.isoformat(),
            }
            for b in bills
        ],
    }


def affordability(ctx: ToolContext, amount: str, month: str | None = None) -> dict:
    """Whether a one-off expense of `amount` in `month` (YYYY-MM, default this month) fits: cash now plus the
    usual monthly surplus until then, keeping one month of usual spending as a buffer."""
    try:
        cost = to_money(amount)
    except (TypeError, ValueError) as exc:
        raise ToolError("amount must be a number") from exc
    if cost <= 0:
        raise ToolError("amount must be positive")
    target = month_start(ctx.today)
    if month:
        try:
            target = date.fromisoformat(f"{month}-01")
        except ValueError as exc:
            raise ToolError("month must be YYYY-MM") from exc
    months_until = max((target.year - ctx.today.year) * 12 + target.month - ctx.today.month, 0)
    history_end = month_start(ctx.today) - timedelta(days=1)
    flows = cashflow.monthly_flows(
        ctx.household, Period(add_months(month_start(ctx.today), -USUAL_MONTHS), history_end)
    )
    usual_spending = to_money(sum((f.spending for f in flows), ZERO) / len(flows))
    usual_surplus = to_money(sum((f.net for f in flows), ZERO) / len(flows))
    cash_now = balance_facts.net_worth(balance_facts.account_balances(ctx.household)).cash
    projected = cash_now + usual_surplus * months_until
    left_after = projected - cost
    buffer = usual_spending
    if left_after >= buffer:
        verdict = "yes"
    elif left_after >= 0:
        verdict = "tight"
    else:
        verdict = "no"
    shortfall = max(buffer - left_after, ZERO)
    return {
        "amount": _money(cost),
        "month": target.strftime("%Y-%m"),
        "months_until": months_until,
        "cash_now": _money(cash_now),
        "usual_monthly_surplus": _money(usual_surplus),
        "projected_cash": _money(projected),
        "left_after": _money(left_after),
        "buffer": _money(buffer),
        "verdict": verdict,
        "extra_saving_needed": _money(shortfall),
        "extra_saving_per_month": _money(shortfall / max(months_until, 1)),
    }


def forecast_low_point(ctx: ToolContext) -> dict:
    """The lowest balance the forecast expects, when, and the cushion it is measured against."""
    forecast = ml_results.household_forecast(ctx.household)
    if forecast is None or forecast.lowest is None:
        return {"available": False}
    lowest = forecast.lowest
    return {
        "available": True,
        "lowest_date": lowest.day.isoformat(),
        "lowest_balance": _money(lowest.expected),
        "cushion": _money(forecast.threshold),
        "horizon_end": forecast.points[-1].day.isoformat(),
    }


def _category_name(code: str) -> str:
    definition = BY_CODE.get(code)
    return f"{definition.name} payment" if definition else "a recurring payment"


# --- the registry offered to the language model ----------------------------------------------------------------

_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}


@dataclass(frozen=True)
class Tool:
    function: Callable[..., dict]
    description: str
    parameters: dict

    @property
    def name(self) -> str:
        return self.function.__name__

    def spec(self) -> dict:
        return {
            "type": "function",
            "function": {"name": self.name, "description": self.description, "parameters": self.parameters},
        }


def _object(properties: dict, required: list[str]) -> dict:
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


TOOLS: dict[str, Tool] = {
    t.name: t
    for t in (
        Tool(
            spending,
            "Spending between two dates, in total (with the top categories) or in one category.",
            _object(
                {"start": _DATE, "end": _DATE, "category": {"type": "string", "description": "e.g. dining, rent"}},
                ["start", "end"],
            ),
        ),
        Tool(
            cash_flow,
            "Income, spending, net and savings rate between two dates.",
            _object({"start": _DATE, "end": _DATE}, ["start", "end"]),
        ),
        Tool(
            monthly_history,
            "Income and spending per month for recent months.",
            _object({"months": {"type": "integer", "minimum": 1, "maximum": 24}}, []),
        ),
        Tool(balances, "Cash, assets, debts and net worth.", _object({}, [])),
        Tool(budgets, "Budgets this period.", _object({}, [])),
        Tool(goals, "Savings goals and their progress.", _object({}, [])),
        Tool(subscriptions, "Active subscriptions and their monthly cost.", _object({}, [])),
        Tool(
            upcoming_bills,
            "Recurring payments expected soon.",
            _object({"days": {"type": "integer", "minimum": 1, "maximum": 60}}, []),
        ),
        Tool(
            affordability,
            "Whether a one-off expense fits by a given month, with the numbers behind the verdict.",
            _object(
                {
                    "amount": {"type": "string", "pattern": r"^\d+(\.\d{1,2})?$"},
                    "month": {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
                },
                ["amount"],
            ),
        ),
        Tool(forecast_low_point, "The lowest balance the forecast expects and when.", _object({}, [])),
    )
}


def tool_specs() -> list[dict]:
    return [tool.spec() for tool in TOOLS.values()]


def run_tool(ctx: ToolContext, name: str, arguments: str) -> dict:
    """Run a tool the model asked for; bad names or arguments come back as {"error": …} for the model to fix."""
    tool = TOOLS.get(name)
    if tool is None:
        return {"error": f"unknown tool {name!r}"}
    try:
        args = json.loads(arguments or "{}")
    except ValueError:
        return {"error": "arguments must be a JSON object"}
    error = next(iter(Draft202012Validator(tool.parameters).iter_errors(args)), None)
    if error is not None:
        return {"error": error.message}
    try:
        return tool.function(ctx, **args)
    except ToolError as exc:
        return {"error": str(exc)}
