"""The deterministic coach: answers the common questions from the tools, in plain sentences with real numbers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from fincoach.money import format_money, to_money

from ..facts.periods import Period, add_months, month_end, month_start
from . import tools
from .parsing import ParsedQuestion, PeriodMatch
from .safety import DISCLAIMER

EXAMPLES = (
    "How much did we spend on dining in March?",
    "Can we afford $2,000 for a trip in June?",
    "What subscriptions do we have?",
    "How are our budgets doing?",
    "What was our savings rate last month?",
)


@dataclass
class Answer:
    text: str
    intent: str
    engine: str  # rules | llm | declined
    facts: list[tuple[str, str]] = field(default_factory=list)  # label, value: shown under the answer
    tools_used: list[str] = field(default_factory=list)
    disclaimer: str = DISCLAIMER


class _Writer:
    def __init__(self, ctx: tools.ToolContext):
        self.ctx = ctx
        self.currency = getattr(ctx.household, "currency", "USD") or "USD"
        self.used: list[str] = []

    def money(self, value) -> str:
        return format_money(to_money(value), self.currency)

    def call(self, tool: Callable[..., dict], *args, **kwargs) -> dict:
        self.used.append(tool.__name__)
        return tool(self.ctx, *args, **kwargs)

    def period(self, parsed: ParsedQuestion, default: str = "this month") -> PeriodMatch:
        if parsed.period is not None:
            return parsed.period
        today = self.ctx.today
        if default == "last month":
            start = add_months(month_start(today), -1)
            return PeriodMatch(Period(start, month_end(start)), "last month")
        return PeriodMatch(Period(month_start(today), today), "this month")


def _spending(w: _Writer, parsed: ParsedQuestion) -> Answer:
    when = w.period(parsed)
    start, end = when.period.start.isoformat(), min(when.period.end, w.ctx.today).isoformat()
    if parsed.category is not None:
        result = w.call(tools.spending, start, end, category=parsed.category)
        text = f"You spent {w.money(result['spent'])} on {result['category']} {when.label}."
        previous = _previous_month(when)
        if previous is not None:
            before = w.call(
                tools.spending, previous.start.isoformat(), previous.end.isoformat(), category=parsed.category
            )
            difference = Decimal(result["spent"]) - Decimal(before["spent"])
            if difference:
                direction = "more" if difference > 0 else "less"
                text += f" That's {w.money(abs(difference))} {direction} than in {previous.start:%B}."
        unspecified = result.get("parent_category_without_detail")
        if unspecified:
            text += (
                f" Another {w.money(unspecified['spent'])} is filed under {unspecified['category']} without a "
                "sub-category, so some of it may belong here too."
            )
        return Answer(text, "spending", "rules", [(result["category"].capitalize(), w.money(result["spent"]))])
    result = w.call(tools.spending, start, end)
    top = result["by_category"][:3]
    text = f"You spent {w.money(result['spent'])} {when.label}."
    if top:
        text += " The biggest categories: " + ", ".join(f"{c['category']} {w.money(c['spent'])}" for c in top) + "."
    facts = [(c["category"], w.money(c["spent"])) for c in result["by_category"]]
    return Answer(text, "spending", "rules", facts)


def _previous_month(when: PeriodMatch) -> Period | None:
    """The month before, when the question is about one whole (or current) month."""
    start = when.period.start
    if start.day != 1 or when.period.end > month_end(start):
        return None
    previous = add_months(start, -1)
    return Period(previous, month_end(previous))


def _top_categories(w: _Writer, parsed: ParsedQuestion) -> Answer:
    answer = _spending(w, ParsedQuestion("spending", parsed.period))
    answer.intent = "top_categories"
    return answer


def _income(w: _Writer, parsed: ParsedQuestion, *, intent: str = "income") -> Answer:
    when = w.period(parsed, default="last month" if intent == "savings_rate" else "this month")
    result = w.call(tools.cash_flow, when.period.start.isoformat(), min(when.period.end, w.ctx.today).isoformat())
    text = f"Income {when.label} was {w.money(result['income'])} and spending {w.money(result['spent'])}, "
    net = Decimal(result["net"])
    text += f"so you kept {w.money(net)}" if net >= 0 else f"so you spent {w.money(-net)} more than came in"
    rate = result["savings_rate_percent"]
    text += f" (a savings rate of {rate}%)." if rate is not None else "."
    facts = [("Income", w.money(result["income"])), ("Spending", w.money(result["spent"]))]
    if rate is not None:
        facts.append(("Savings rate", f"{rate}%"))
    return Answer(text, intent, "rules", facts)


def _balance(w: _Writer, parsed: ParsedQuestion) -> Answer:
    result = w.call(tools.balances)
    text = (
        f"You have {w.money(result['cash'])} in checking, savings and cash. Net worth is "
        f"{w.money(result['net_worth'])}: {w.money(result['assets'])} in assets and {w.money(result['debts'])} owed."
    )
    facts = [(kind.replace("_", " ").capitalize(), w.money(v)) for kind, v in result["by_account_type"].items()]
    return Answer(text, "balance", "rules", facts)


def _budgets(w: _Writer, parsed: ParsedQuestion) -> Answer:
    rows = w.call(tools.budgets)["budgets"]
    if not rows:
        return Answer(
            "You have no budgets yet. Setting one for your biggest category is a good start.", "budgets", "rules"
        )
    over = [b for b in rows if b["status"] == "over"]
    close = [b for b in rows if b["status"] == "warning"]
    text = f"You have {len(rows)} budget{'s' if len(rows) != 1 else ''}."
    if over:
        text += " Over: " + ", ".join(f"{b['name']} ({w.money(-Decimal(b['remaining']))} over)" for b in over) + "."
    if close:
        text += (
            " Close to the limit: " + ", ".join(f"{b['name']} ({w.money(b['remaining'])} left)" for b in close) + "."
        )
    if not over and not close:
        text += " All are on track."
    facts = [(b["name"], f"{w.money(b['spent'])} of {w.money(b['available'])}") for b in rows]
    return Answer(text, "budgets", "rules", facts)


def _goals(w: _Writer, parsed: ParsedQuestion) -> Answer:
    rows = w.call(tools.goals)["goals"]
    if not rows:
        return Answer("You have no active goals. An emergency fund is a good first one.", "goals", "rules")
    parts = []
    for g in rows[:4]:
        part = f"{g['name']}: {w.money(g['saved'])} of {w.money(g['target'])} ({g['percent']}%)"
        if g["on_track"] is False and g["required_monthly"]:
            part += f", behind: it needs {w.money(g['required_monthly'])} a month"
        parts.append(part)
    text = "; ".join(parts) + "."
    facts = [(g["name"], f"{g['percent']}%") for g in rows]
    return Answer(text, "goals", "rules", facts)


def _subscriptions(w: _Writer, parsed: ParsedQuestion) -> Answer:
    result = w.call(tools.subscriptions)
    if not result["count"]:
        return Answer("No subscriptions have been detected yet.", "subscriptions", "rules")
    names = ", ".join(f"{s['name']} ({w.money(s['monthly_cost'])})" for s in result["items"][:5])
    text = (
        f"You have {result['count']} subscriptions costing {w.money(result['monthly_total'])} a month "
        f"({w.money(Decimal(result['monthly_total']) * 12)} a year). The largest: {names}."
    )
    facts = [(s["name"], f"{w.money(s['monthly_cost'])}/month") for s in result["items"]]
    return Answer(text, "subscriptions", "rules", facts)


def _bills(w: _Writer, parsed: ParsedQuestion) -> Answer:
    days = 14
    if parsed.period is not None and parsed.period.period.end > w.ctx.today:
        days = (parsed.period.period.end - w.ctx.today).days
    result = w.call(tools.upcoming_bills, days=days)
    if not result["bills"]:
        return Answer(f"No recurring payments are expected in the next {result['days']} days.", "bills", "rules")
    listed = ", ".join(f"{b['name']} {w.money(b['amount'])} on {b['due']}" for b in result["bills"][:5])
    text = f"In the next {result['days']} days {w.money(result['total'])} is due: {listed}."
    facts = [(b["name"], f"{w.money(b['amount'])} · {b['due']}") for b in result["bills"]]
    return Answer(text, "bills", "rules", facts)


def _afford(w: _Writer, parsed: ParsedQuestion) -> Answer:
    if parsed.amount is None:
        return Answer(
            "How much would it cost? Ask for example: “Can we afford $2,000 for a trip in June?”", "afford", "rules"
        )
    month = parsed.period.period.start.strftime("%Y-%m") if parsed.period else None
    r = w.call(tools.affordability, str(parsed.amount), month)
    target = month_start(w.ctx.today) if month is None else parsed.period.period.start
    when = "this month" if r["months_until"] == 0 else f"by {target:%B %Y}"
    surplus = Decimal(r["usual_monthly_surplus"])
    habit = (
        f"usually keep {w.money(surplus)} a month"
        if surplus >= 0
        else f"have been spending {w.money(-surplus)} a month more than you earn"
    )
    base = (
        f"You have {w.money(r['cash_now'])} in cash and {habit}, "
        f"so {when} you'd have about {w.money(r['projected_cash'])}."
    )
    cost = w.money(r["amount"])
    if r["verdict"] == "yes":
        text = (
            f"Yes, most likely. {base} After {cost} you'd still have {w.money(r['left_after'])}, "
            f"more than a month of your usual spending ({w.money(r['buffer'])})."
        )
    elif r["verdict"] == "tight":
        text = (
            f"Possibly, but it would be tight. {base} After {cost} about {w.money(r['left_after'])} would remain, "
            f"less than a month of your usual spending ({w.money(r['buffer'])})."
        )
    else:
        text = f"Not comfortably yet. {base} {cost} would leave you {w.money(-Decimal(r['left_after']))} short."
    if r["verdict"] != "yes":
        if r["months_until"] > 0:
            text += (
                f" Setting aside an extra {w.money(r['extra_saving_per_month'])} a month until then would cover it "
                "and keep a month's buffer."
            )
        else:
            text += " Waiting a few months and saving toward it would keep your buffer intact."
    facts = [
        ("Cost", cost),
        ("Cash now", w.money(r["cash_now"])),
        ("Usual monthly surplus", w.money(r["usual_monthly_surplus"])),
        (f"Expected {when}", w.money(r["projected_cash"])),
        ("Buffer kept", w.money(r["buffer"])),
    ]
    return Answer(text, "afford", "rules", facts)


def _unknown(w: _Writer, parsed: ParsedQuestion) -> Answer:
    text = (
        "I can answer questions about your own spending, income, budgets, goals, bills and subscriptions. "
        "Try: " + " · ".join(f"“{e}”" for e in EXAMPLES[:3])
    )
    return Answer(text, "unknown", "rules")


HANDLERS: dict[str, Callable[[_Writer, ParsedQuestion], Answer]] = {
    "spending": _spending,
    "top_categories": _top_categories,
    "income": _income,
    "savings_rate": lambda w, p: _income(w, p, intent="savings_rate"),
    "balance": _balance,
    "budgets": _budgets,
    "goals": _goals,
    "subscriptions": _subscriptions,
    "bills": _bills,
    "afford": _afford,
    "unknown": _unknown,
}


def answer(parsed: ParsedQuestion, ctx: tools.ToolContext) -> Answer:
    writer = _Writer(ctx)
    result = HANDLERS.get(parsed.intent, _unknown)(writer, parsed)
    result.tools_used = writer.used
    return result
