"""Debt payoff arithmetic: a month-by-month schedule for one debt, and avalanche vs snowball for several.

Each month, interest is added first (balance × APR / 12, rounded to the cent), then payments are taken off.
Pure functions on Decimals, checked against hand-computed cases.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0")
MAX_MONTHS = 1200  # a century: anything longer is a payment that never wins against the interest


class PayoffNeverEnds(ValueError):
    """The payments do not cover the interest, so the balance never reaches zero."""


@dataclass(frozen=True)
class Debt:
    name: str
    balance: Decimal
    apr: Decimal  # percent per year, e.g. Decimal("19.99")
    minimum_payment: Decimal


@dataclass(frozen=True)
class ScheduleRow:
    month: int  # 1 = the first payment
    payment: Decimal
    interest: Decimal
    principal: Decimal
    balance: Decimal  # after the payment


def monthly_interest(balance: Decimal, apr: Decimal) -> Decimal:
    return (balance * apr / Decimal(1200)).quantize(CENT, rounding=ROUND_HALF_UP)


def payoff_schedule(balance: Decimal, apr: Decimal, payment: Decimal) -> list[ScheduleRow]:
    """Pay `payment` a month until the balance is gone (the last payment is just what is left)."""
    if payment <= 0:
        raise PayoffNeverEnds("A monthly payment above zero is needed to pay a debt off.")
    first_interest = monthly_interest(balance, apr)
    if balance > 0 and payment <= first_interest:
        raise PayoffNeverEnds(
            f"A payment of {payment} a month does not cover the {first_interest} of interest the debt adds each "
            "month, so it would never be paid off."
        )
    rows: list[ScheduleRow] = []
    while balance > 0:
        interest = monthly_interest(balance, apr)
        paid = min(payment, balance + interest)
        balance = balance + interest - paid
        rows.append(ScheduleRow(len(rows) + 1, paid, interest, paid - interest, balance))
    return rows


@dataclass(frozen=True)
class ScheduleTotals:
    months: int
    total_interest: Decimal
    total_paid: Decimal


def schedule_totals(rows: Sequence[ScheduleRow]) -> ScheduleTotals:
    return ScheduleTotals(
        months=len(rows),
        total_interest=sum((r.interest for r in rows), ZERO),
        total_paid=sum((r.payment for r in rows), ZERO),
    )


@dataclass
class StrategyResult:
    strategy: str  # "avalanche" or "snowball"
    months: int = 0
    total_interest: Decimal = ZERO
    total_paid: Decimal = ZERO
    payoff_month: dict[str, int] = field(default_factory=dict)  # debt name → month it is paid off

    @property
    def order(self) -> list[str]:
        """Debts in the order they are paid off."""
        return sorted(self.payoff_month, key=lambda name: self.payoff_month[name])


# Which debt gets the money beyond the minimums first.
STRATEGIES: dict[str, Callable[[Debt], tuple]] = {
    "avalanche": lambda d: (-d.apr, d.balance, d.name),  # the highest interest rate: least interest overall
    "snowball": lambda d: (d.balance, -d.apr, d.name),  # the smallest balance: quick wins
}


def simulate_strategy(debts: Sequence[Debt], extra: Decimal, strategy: str) -> StrategyResult:
    """Pay every minimum each month, and put `extra` plus the minimums of debts already paid off on the debt the
    strategy picks (the same total each month, so a cleared debt's payment rolls on to the next one)."""
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}; use one of {', '.join(STRATEGIES)}")
    if extra < 0:
        raise ValueError("the extra monthly amount cannot be negative")
    monthly_budget = sum((d.minimum_payment for d in debts), ZERO) + extra
    order = sorted(debts, key=STRATEGIES[strategy])
    balances = {d.name: d.balance for d in debts}
    result = StrategyResult(strategy)
    while any(b > 0 for b in balances.values()):
        if result.months >= MAX_MONTHS:
            raise PayoffNeverEnds("These payments would not clear the debts within a hundred years.")
        result.months += 1
        before = sum(balances.values(), ZERO)
        for debt in order:
            if balances[debt.name] > 0:
                interest = monthly_interest(balances[debt.name], debt.apr)
                balances[debt.name] += interest
                result.total_interest += interest
        available = monthly_budget
        for debt in order:  # minimums first
            paid = min(debt.minimum_payment, balances[debt.name], available)
            balances[debt.name] -= paid
            available -= paid
        for debt in order:  # then whatever is left, in the strategy's order
            paid = min(available, balances[debt.name])
            balances[debt.name] -= paid
            available -= paid
        result.total_paid += monthly_budget - available
        if sum(balances.values(), ZERO) >= before:
            raise PayoffNeverEnds(
                f"{monthly_budget} a month does not cover the interest on these debts, so they would never be paid off."
            )
        for debt in order:
            if balances[debt.name] <= 0 and debt.name not in result.payoff_month:
                result.payoff_month[debt.name] = result.months
    return result


def compare_strategies(debts: Sequence[Debt], extra: Decimal) -> dict[str, StrategyResult]:
    """Avalanche and snowball side by side for the same debts and extra monthly amount."""
    names = [d.name for d in debts]
    if len(set(names)) != len(names):
        raise ValueError("each debt needs a distinct name")
    return {name: simulate_strategy(debts, extra, name) for name in STRATEGIES}
