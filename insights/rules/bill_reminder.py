"""Bill reminders: recurring payments due in the next three days, with a warning when the account looks short."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from .. import links
from ..facts.ml_results import upcoming_bills
from .base import Candidate, Kind, Priority, RuleContext, Sentiment
from .text import fit

DAYS_AHEAD = 3
MIN_AMOUNT = Decimal("25")  # a $4 app subscription is not worth a reminder


def evaluate(ctx: RuleContext) -> list[Candidate]:
    balances = {b.id: b for b in ctx.balances}
    out = []
    for bill in upcoming_bills(ctx.household, ctx.today, ctx.today + timedelta(days=DAYS_AHEAD)):
        if bill.amount < MIN_AMOUNT:
            continue
        account = balances.get(bill.account_id)
        when = "today" if bill.next_date == ctx.today else f"on {bill.next_date:%a}, {ctx.day(bill.next_date)}"
        message = f"{bill.name[:40]} of {ctx.money(bill.amount)} is due {when}"
        message += f" from {account.name[:30]}." if account else "."
        short = account is not None and not account.is_liability and account.balance < bill.amount
        if short:
            message += (
                f" {account.name[:30]} holds {ctx.money(account.balance)}, "
                f"{ctx.money(bill.amount - account.balance)} short."
            )
        out.append(
            Candidate(
                kind=Kind.BILL_REMINDER,
                title=fit(f"{bill.name} due {'today' if bill.next_date == ctx.today else ctx.day(bill.next_date)}", 60),
                message=message,
                priority=Priority.HIGH if short else Priority.NORMAL,
                sentiment=Sentiment.WARNING if short else Sentiment.NEUTRAL,
                is_alert=True,
                dedupe_key=f"bill:{bill.id}:{bill.next_date.isoformat()}",
                expires_at=ctx.expires_end_of(bill.next_date),
                relevance=1.0 if short else 0.5,
                action_url=links.subscriptions_page(),
                action_label="See upcoming bills",
                data={
                    "name": bill.name,
                    "amount": str(bill.amount),
                    "due": bill.next_date.isoformat(),
                    "account": account.name if account else "",
                    "account_balance": str(account.balance) if account else None,
                },
            )
        )
    return out
