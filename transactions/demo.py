"""Demo money for `seed_demo`: three accounts and about a year of realistic, deterministic transactions.

Bulk-written (thousands of rows in a few statements) and idempotent: the rows carry the same duplicate keys every
run, so a second run adds nothing. Categories are set as the bank/categoriser would have (a few left as suggestions
to confirm, a few uncategorised); transfers between the accounts are linked.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from transactions.importing import fingerprint
from transactions.merchants import normalize_merchant
from transactions.models import Category, Transaction
from transactions.services.accounts import account_get_or_create
from transactions.services.transfers import transfers_detect

DEMO_ORDER = 10

CHECKING, SAVINGS, CARD = "Everyday checking", "Rainy-day savings", "Visa card"


@dataclass(frozen=True)
class DemoRow:
    date: dt.date
    amount: Decimal
    description: str
    category: str | None  # PFC code; None = left uncategorised
    account: str
    confidence: Decimal = Decimal("0.950")


# (description, category, low, high, visits per month) for everyday card spending.
EVERYDAY = (
    ("WHOLEFDS MKT #10234 SAN FRANCISCO CA", "FOOD_AND_DRINK_GROCERIES", 45, 160, 3),
    ("TRADER JOE'S #545 QPS OAKLAND CA", "FOOD_AND_DRINK_GROCERIES", 25, 90, 3),
    ("SQ *BLUE BOTTLE COFFEE OAKLAND CA", "FOOD_AND_DRINK_COFFEE", 4, 9, 6),
    ("STARBUCKS STORE 05521 SAN FRANCISCO", "FOOD_AND_DRINK_COFFEE", 4, 8, 3),
    ("CHIPOTLE 1234 OAKLAND CA", "FOOD_AND_DRINK_FAST_FOOD", 11, 18, 2),
    ("TST* NOPALITO SAN FRANCISCO CA", "FOOD_AND_DRINK_RESTAURANT", 38, 95, 2),
    ("UBER *TRIP HELP.UBER.COM CA", "TRANSPORTATION_TAXIS_AND_RIDE_SHARES", 9, 34, 3),
    ("SHELL OIL 57444 AUSTIN TX", "TRANSPORTATION_GAS", 35, 65, 2),
    ("AMZN MKTP US*2K4L81", "GENERAL_MERCHANDISE_ONLINE_MARKETPLACES", 12, 120, 3),
    ("TARGET 00012345 OAKLAND CA", "GENERAL_MERCHANDISE_SUPERSTORES", 20, 140, 1),
    ("CVS/PHARMACY #08123 OAKLAND CA", "MEDICAL_PHARMACIES_AND_SUPPLEMENTS", 8, 45, 1),
    ("AMC THEATRES 2231 EMERYVILLE", "ENTERTAINMENT_TV_AND_MOVIES", 18, 42, 0.5),
)
# (day of month, description, category, amount, account)
MONTHLY = (
    (1, "RENT PAYMENT - OAKWOOD APTS", "RENT_AND_UTILITIES_RENT", "-2150.00", CHECKING),
    (4, "PG&E WEB ONLINE PAYMENT", "RENT_AND_UTILITIES_GAS_AND_ELECTRICITY", None, CHECKING),
    (8, "COMCAST CABLE COMM 800-266-2278", "RENT_AND_UTILITIES_INTERNET_AND_CABLE", "-79.99", CARD),
    (12, "VERIZON WIRELESS PAYMENTS", "RENT_AND_UTILITIES_TELEPHONE", "-65.00", CARD),
    (15, "NETFLIX.COM 866-579-7172 CA", "ENTERTAINMENT_TV_AND_MOVIES", "-15.49", CARD),
    (17, "SPOTIFY USA 877-778-1161", "ENTERTAINMENT_MUSIC_AND_AUDIO", "-11.99", CARD),
    (3, "24 HOUR FITNESS USA 800-432-6348", "PERSONAL_CARE_GYMS_AND_FITNESS_CENTERS", "-44.99", CARD),
)


def demo_rows(seed: int, months: int, today: dt.date) -> Iterator[DemoRow]:
    """The demo household's history, oldest first (deterministic for a seed and a day)."""
    rng = random.Random(seed)
    index = today.year * 12 + today.month - 1 - max(months - 1, 0)
    month = dt.date(index // 12, index % 12 + 1, 1)
    while month <= today:
        yield from _month(rng, month, today)
        month = (month + dt.timedelta(days=32)).replace(day=1)


def _money(rng: random.Random, low: float, high: float) -> Decimal:
    return Decimal(f"{rng.uniform(low, high):.2f}")


def _month(rng: random.Random, month: dt.date, today: dt.date) -> Iterator[DemoRow]:
    def day(n: int) -> dt.date:
        return month.replace(day=min(n, 28))

    rows = [
        DemoRow(day(1), Decimal("3120.55"), "ACME CORP PAYROLL PPD ID: 9876543210", "INCOME_WAGES", CHECKING),
        DemoRow(day(15), Decimal("3120.55"), "ACME CORP PAYROLL PPD ID: 9876543210", "INCOME_WAGES", CHECKING),
        DemoRow(day(2), Decimal("-400.00"), "ONLINE TRANSFER TO SAV XXXXXX4321", "TRANSFER_OUT_SAVINGS", CHECKING),
        DemoRow(day(3), Decimal("400.00"), "ONLINE TRANSFER FROM CHK XXXXXX1234", "TRANSFER_IN_SAVINGS", SAVINGS),
        DemoRow(day(28), Decimal("1.37"), "INTEREST PAYMENT", "INCOME_INTEREST_EARNED", SAVINGS),
    ]
    for dom, description, code, amount, account in MONTHLY:
        value = Decimal(amount) if amount else -_money(rng, 60, 140)
        rows.append(DemoRow(day(dom), value, description, code, account))
    card_spend = sum((r.amount for r in rows if r.account == CARD), Decimal("0"))
    for description, code, low, high, per_month in EVERYDAY:
        visits = int(per_month) + (rng.random() < per_month % 1)
        for _ in range(visits):
            amount = -_money(rng, low, high)
            when = day(rng.randint(1, 28))
            account = CARD if rng.random() < 0.7 else CHECKING
            roll = rng.random()
            category, confidence = (
                (code, Decimal("0.950"))
                if roll > 0.1
                else ((code, Decimal("0.700")) if roll > 0.04 else (None, Decimal("0")))
            )
            rows.append(DemoRow(when, amount, description, category, account, confidence))
            card_spend += amount if account == CARD else 0
    if rng.random() < 0.25:  # the odd surprise the anomaly detector should notice
        rows.append(
            DemoRow(
                day(rng.randint(5, 25)),
                -_money(rng, 600, 1400),
                "BEST BUY 00004567 SAN JOSE CA",
                "GENERAL_MERCHANDISE_ELECTRONICS",
                CARD,
            )
        )
    # Last month's card bill is paid in full from checking: money arrives on the card, leaves checking.
    rows.append(
        DemoRow(day(25), -card_spend, "AUTOMATIC PAYMENT - THANK YOU", "LOAN_PAYMENTS_CREDIT_CARD_PAYMENT", CARD)
    )
    rows.append(DemoRow(day(25), card_spend, "VISA CARD AUTOPAY PPD", "LOAN_PAYMENTS_CREDIT_CARD_PAYMENT", CHECKING))
    yield from sorted((r for r in rows if r.date <= today), key=lambda r: (r.date, r.description))


@transaction.atomic
def seed_demo(context) -> dict:
    """Create the demo accounts and history for `context.household` (idempotent)."""
    household = context.household
    accounts = {}
    for name, kind, opening in (
        (CHECKING, "checking", "2450.00"),
        (SAVINGS, "savings", "8000.00"),
        (CARD, "credit_card", "0"),
    ):
        account, created = account_get_or_create(household=household, name=name)
        if created:
            account.kind, account.opening_balance = kind, Decimal(opening)
            account.save(update_fields=["kind", "opening_balance"])
        accounts[name] = account
    categories = dict(Category.objects.filter(household__isnull=True).values_list("code", "pk"))
    now = timezone.now()
    seen: Counter[tuple[str, str]] = Counter()
    new = []
    for row in demo_rows(context.seed, context.months, timezone.localdate()):
        account = accounts[row.account]
        key = fingerprint(row.date, row.amount, row.description)
        seen[(row.account, key)] += 1
        suggested = row.category is not None and row.confidence < Decimal("0.8")
        new.append(
            Transaction(
                household=household,
                account=account,
                date=row.date,
                amount=row.amount,
                currency=account.currency,
                description=row.description,
                merchant=normalize_merchant(row.description),
                category_id=categories.get(row.category) if row.category else None,
                category_source=Transaction.CategorySource.MODEL if row.category else "",
                category_confidence=row.confidence if row.category else None,
                category_suggested=suggested,
                fingerprint=key,
                occurrence=seen[(row.account, key)],
                created_at=now,
                updated_at=now,
            )
        )
    before = Transaction.objects.filter(account__in=accounts.values()).count()
    Transaction.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    added = Transaction.objects.filter(account__in=accounts.values()).count() - before
    transfers = transfers_detect(household) if added else 0
    return {"accounts": len(accounts), "transactions": added, "transfers": transfers}
