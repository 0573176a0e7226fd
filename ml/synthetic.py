"""Deterministic generator of realistic synthetic households, with ground truth.

A household has a checking account (salary in; rent, bills, debit purchases, transfers out), a savings
account and a credit card (part of the discretionary spending, paid off monthly from checking). It follows
one of a few behaviour archetypes (frugal saver, weekend spender ...) with continuous variation, so the
population has structure for the persona model without being a set of clones.

Ground truth travels with every transaction: the category code, whether it was injected as an anomaly, and
the key of the recurring series it belongs to. `SyntheticHousehold.truth_series` describes each series
(cadence, income or not, subscription or not, price changes, cancelled or not).

Raw descriptors come from the corpus generator (`ml.corpus`), each merchant printed in one fixed style per
account, as a real statement does. Same seed, same household: `random.Random(seed)` drives everything.
"""

from __future__ import annotations

import calendar
import math
import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cache

import pandas as pd

from ml.corpus.generator import DescriptorStyle, make_style
from ml.corpus.merchants import Merchant, merchant_split
from ml.frames import transactions_frame
from ml.recurring import BY_NAME as CADENCES_BY_NAME
from transactions.taxonomy import BY_CODE

ACCOUNT_IDS = {"checking": 1, "savings": 2, "credit_card": 3}
ARCHETYPES = (
    "balanced",
    "frugal_saver",
    "weekend_spender",
    "big_ticket_buyer",
    "frequent_small_spender",
    "subscription_heavy",
)
DEFAULT_START = date(2024, 1, 1)


@dataclass(frozen=True)
class SyntheticTransaction:
    date: date
    amount: str  # Decimal string, negative = money out
    description: str
    merchant: str
    category: str  # detailed category code
    account_kind: str  # checking | savings | credit_card
    hour: int | None
    is_anomaly: bool = False
    series: str | None = None  # key of the recurring series it belongs to


@dataclass(frozen=True)
class TruthSeries:
    key: str
    merchant: str
    cadence: str  # weekly | biweekly | semimonthly | monthly | quarterly | yearly
    is_income: bool
    is_subscription: bool
    account_kind: str
    occurrences: int
    last_date: date
    cancelled: bool  # stopped before the end of the history
    price_changes: tuple[tuple[date, str, str], ...] = ()


@dataclass(frozen=True)
class Spending:
    """A discretionary spending stream: events per day, median ticket and its spread, merchants."""

    categories: tuple[str, ...]
    rate: float
    median: float
    sigma: float
    weekend_boost: float = 1.0  # extra multiplier on Fri-Sun for "social" spending
    hours: tuple[int, int] = (9, 20)
    evening: bool = False  # pulled towards 18-23 by the household's evening bias


SPENDING: dict[str, Spending] = {
    "groceries": Spending(("FOOD_AND_DRINK_GROCERIES",), 0.33, 62.0, 0.45, 1.2, (8, 21)),
    "restaurants": Spending(("FOOD_AND_DRINK_RESTAURANT",), 0.22, 42.0, 0.5, 1.8, (11, 22), True),
    "coffee": Spending(("FOOD_AND_DRINK_COFFEE",), 0.35, 5.2, 0.3, 1.0, (6, 16)),
    "fast_food": Spending(("FOOD_AND_DRINK_FAST_FOOD",), 0.18, 12.0, 0.35, 1.3, (11, 22), True),
    "bars": Spending(("FOOD_AND_DRINK_BEER_WINE_AND_LIQUOR",), 0.05, 34.0, 0.5, 2.5, (17, 23), True),
    "online_shopping": Spending(("GENERAL_MERCHANDISE_ONLINE_MARKETPLACES",), 0.13, 33.0, 0.8, 1.0, (7, 23), True),
    "stores": Spending(
        (
            "GENERAL_MERCHANDISE_SUPERSTORES",
            "GENERAL_MERCHANDISE_CLOTHING_AND_ACCESSORIES",
            "GENERAL_MERCHANDISE_DEPARTMENT_STORES",
            "GENERAL_MERCHANDISE_DISCOUNT_STORES",
        ),
        0.10,
        58.0,
        0.7,
        1.5,
        (10, 20),
    ),
    "convenience": Spending(("GENERAL_MERCHANDISE_CONVENIENCE_STORES",), 0.07, 9.0, 0.5, 1.0, (6, 23), True),
    "gas": Spending(("TRANSPORTATION_GAS",), 0.09, 46.0, 0.3, 1.0, (7, 21)),
    "transport": Spending(
        ("TRANSPORTATION_TAXIS_AND_RIDE_SHARES", "TRANSPORTATION_PUBLIC_TRANSIT", "TRANSPORTATION_PARKING"),
        0.12,
        14.0,
        0.6,
        1.3,
        (7, 23),
        True,
    ),
    "entertainment": Spending(
        (
            "ENTERTAINMENT_TV_AND_MOVIES",
            "ENTERTAINMENT_SPORTING_EVENTS_AMUSEMENT_PARKS_AND_MUSEUMS",
            "ENTERTAINMENT_OTHER_ENTERTAINMENT",
        ),
        0.035,
        38.0,
        0.5,
        2.5,
        (12, 23),
        True,
    ),
    "personal_care": Spending(("PERSONAL_CARE_HAIR_AND_BEAUTY",), 0.03, 45.0, 0.4, 1.2, (9, 19)),
    "pharmacy": Spending(("MEDICAL_PHARMACIES_AND_SUPPLEMENTS",), 0.05, 19.0, 0.6, 1.0, (8, 21)),
    "home": Spending(
        ("HOME_IMPROVEMENT_HARDWARE", "GENERAL_MERCHANDISE_OTHER_GENERAL_MERCHANDISE"), 0.03, 48.0, 0.7, 1.6, (9, 19)
    ),
    "big_purchases": Spending(
        ("GENERAL_MERCHANDISE_ELECTRONICS", "HOME_IMPROVEMENT_FURNITURE", "TRAVEL_FLIGHTS", "TRAVEL_LODGING"),
        0.012,
        650.0,
        0.55,
        1.0,
        (10, 21),
    ),
}

# Multipliers on SPENDING rates per archetype (missing = 1), plus savings rate and subscription count ranges.
ARCHETYPE_RATES: dict[str, dict[str, float]] = {
    "balanced": {},
    "frugal_saver": {
        "restaurants": 0.3,
        "coffee": 0.25,
        "fast_food": 0.35,
        "bars": 0.2,
        "online_shopping": 0.5,
        "stores": 0.5,
        "entertainment": 0.3,
        "big_purchases": 0.35,
        "convenience": 0.4,
    },
    "weekend_spender": {"restaurants": 1.4, "bars": 3.0, "entertainment": 2.2, "transport": 1.4, "coffee": 0.7},
    "big_ticket_buyer": {
        "big_purchases": 5.0,
        "stores": 0.7,
        "coffee": 0.35,
        "fast_food": 0.35,
        "convenience": 0.3,
        "online_shopping": 0.6,
        "transport": 0.6,
    },
    "frequent_small_spender": {
        "coffee": 2.6,
        "fast_food": 2.5,
        "convenience": 3.2,
        "online_shopping": 1.4,
        "big_purchases": 0.3,
        "restaurants": 0.6,
    },
    "subscription_heavy": {"entertainment": 0.7, "big_purchases": 0.7},
}
ARCHETYPE_TICKET: dict[str, dict[str, float]] = {
    "frugal_saver": {"*": 0.8},
    "big_ticket_buyer": {"big_purchases": 2.0, "stores": 2.0, "online_shopping": 1.8, "restaurants": 1.4},
    "frequent_small_spender": {"*": 0.85},
}
SAVINGS_RATE = {
    "balanced": (0.07, 0.14),
    "frugal_saver": (0.22, 0.36),
    "weekend_spender": (0.0, 0.06),
    "big_ticket_buyer": (0.04, 0.12),
    "frequent_small_spender": (0.0, 0.06),
    "subscription_heavy": (0.04, 0.1),
}
SUBSCRIPTIONS = {
    "balanced": (2, 4),
    "frugal_saver": (1, 2),
    "weekend_spender": (2, 4),
    "big_ticket_buyer": (2, 4),
    "frequent_small_spender": (2, 3),
    "subscription_heavy": (10, 15),
}
WEEKEND_BIAS = {"weekend_spender": (2.2, 3.2)}  # others (1.0, 1.4)
EVENING_BIAS = {"weekend_spender": (0.6, 0.85)}  # others (0.15, 0.45)

SUBSCRIPTION_CATEGORIES = (
    "ENTERTAINMENT_TV_AND_MOVIES",
    "ENTERTAINMENT_MUSIC_AND_AUDIO",
    "GENERAL_SERVICES_OTHER_GENERAL_SERVICES",
    "PERSONAL_CARE_GYMS_AND_FITNESS_CENTERS",
    "ENTERTAINMENT_VIDEO_GAMES",
    "GENERAL_SERVICES_EDUCATION",
    "PERSONAL_CARE_OTHER_PERSONAL_CARE",
    "ENTERTAINMENT_OTHER_ENTERTAINMENT",
)
SUBSCRIPTION_PRICES = (4.99, 6.99, 7.99, 9.99, 10.99, 11.99, 12.99, 14.99, 15.49, 17.99, 19.99, 24.99, 29.99, 39.99)


@dataclass(frozen=True)
class HouseholdProfile:
    archetype: str
    region: str
    monthly_income: float
    pay_cadence: str  # monthly | biweekly | semimonthly
    housing: str  # rent | mortgage
    housing_cost: float
    savings_rate: float
    card_share: float  # share of discretionary purchases paid by credit card
    weekend_bias: float
    evening_bias: float
    subscriptions: int
    has_car: bool
    bank_gives_time: bool
    spending_scale: float  # scales every ticket so the budget roughly balances


@dataclass
class SyntheticHousehold:
    seed: int
    profile: HouseholdProfile
    start: date
    end: date  # last day of the history (inclusive)
    opening_balances: dict[str, str]
    transactions: list[SyntheticTransaction] = field(default_factory=list)
    truth_series: list[TruthSeries] = field(default_factory=list)

    def as_dicts(self) -> list[dict[str, object]]:
        """Plain dicts, one per transaction, in date order (for `seed_demo`)."""
        return [asdict(t) for t in self.transactions]

    def frame(self, account_kinds: tuple[str, ...] | None = None) -> pd.DataFrame:
        """The contract DataFrame (`ml.frames`) of the chosen accounts (default: all); txn_id numbers rows."""
        rows = [
            {
                "txn_id": i + 1,
                "date": t.date,
                "amount": t.amount,
                "description": t.description,
                "merchant": t.merchant,
                "category": BY_CODE[t.category].primary,
                "account_id": ACCOUNT_IDS[t.account_kind],
                "hour": t.hour,
            }
            for i, t in enumerate(self.transactions)
            if account_kinds is None or t.account_kind in account_kinds
        ]
        return transactions_frame(rows)

    def balance(self, account_kind: str, on: date) -> Decimal:
        """Balance of one account at the end of day `on`."""
        total = Decimal(self.opening_balances[account_kind])
        for t in self.transactions:
            if t.account_kind == account_kind and t.date <= on:
                total += Decimal(t.amount)
        return total


# -- merchants ----------------------------------------------------------------------------------------------


@cache
def _merchants_by_category() -> dict[tuple[str, str], tuple[Merchant, ...]]:
    """Consumer-facing merchants by (detailed category, region)."""
    split = merchant_split()
    table: dict[tuple[str, str], list[Merchant]] = defaultdict(list)
    for merchant in split.train + split.holdout:
        if merchant.channel in ("store", "online", "bill", "payroll"):
            for region in merchant.regions:
                table[(merchant.category, region)].append(merchant)
    return {key: tuple(sorted(value, key=lambda m: m.name)) for key, value in table.items()}


@cache
def _phrase(category: str) -> Merchant:
    """The bank-phrase 'merchant' of a structural category (transfers, interest, card payments)."""
    for merchant in merchant_split().train:
        if merchant.category == category and merchant.origin == "phrase":
            return merchant
    raise LookupError(category)


def _pick(rng: random.Random, category: str, region: str, k: int = 1, channel: str | None = None) -> list[Merchant]:
    pool = [m for m in _merchants_by_category().get((category, region), ()) if channel is None or m.channel == channel]
    if not pool:
        pool = list(_merchants_by_category().get((category, "US"), ()))
    return rng.sample(pool, min(k, len(pool)))


# -- generation ---------------------------------------------------------------------------------------------


def _money(value: float) -> str:
    return str(Decimal(f"{value:.2f}"))


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _month_starts(start: date, end: date) -> Iterator[date]:
    current = date(start.year, start.month, 1)
    while current <= end:
        yield current
        current = _add_months(current, 1)


def _on_day(month_start: date, day: int) -> date:
    return month_start.replace(day=min(day, calendar.monthrange(month_start.year, month_start.month)[1]))


def sample_profile(rng: random.Random, archetype: str | None = None, region: str | None = None) -> HouseholdProfile:
    """A household's behaviour parameters; the archetype sets ranges, the seed picks values within them."""
    archetype = archetype or rng.choice(ARCHETYPES)
    if archetype not in ARCHETYPES:
        raise ValueError(f"unknown archetype {archetype!r}; choose from {ARCHETYPES}")
    region = region or rng.choices(("US", "UK", "EU"), weights=(5, 3, 3))[0]
    income = math.exp(rng.gauss(math.log(4600), 0.3))
    housing = "mortgage" if rng.random() < 0.35 else "rent"
    savings = rng.uniform(*SAVINGS_RATE[archetype])
    # US payrolls: every other Friday, twice a month (1st and 15th) or monthly; elsewhere monthly.
    pay_draw = rng.random() if region == "US" else 1.0
    return HouseholdProfile(
        archetype=archetype,
        region=region,
        monthly_income=round(income, 2),
        pay_cadence="biweekly" if pay_draw < 0.5 else "semimonthly" if pay_draw < 0.7 else "monthly",
        housing=housing,
        housing_cost=round(income * rng.uniform(0.24, 0.32), -1 if housing == "rent" else 0),
        savings_rate=savings,
        card_share=rng.uniform(0.15, 0.7),
        weekend_bias=rng.uniform(*WEEKEND_BIAS.get(archetype, (1.0, 1.4))),
        evening_bias=rng.uniform(*EVENING_BIAS.get(archetype, (0.15, 0.45))),
        subscriptions=rng.randint(*SUBSCRIPTIONS[archetype]),
        has_car=rng.random() < (0.8 if region == "US" else 0.55),
        bank_gives_time=rng.random() < 0.75,
        spending_scale=1.0,
    )


class _Builder:
    """Collects one household's transactions and series while the generators run."""

    def __init__(
        self,
        rng: random.Random,
        profile: HouseholdProfile,
        start: date,
        end: date,
        descriptors: bool,
        text_rng: random.Random,
    ):
        self.rng = rng
        self.text_rng = text_rng  # separate stream: with or without descriptors, the same household
        self.profile = profile
        self.start = start
        self.end = end
        self.descriptors = descriptors
        self.rows: list[SyntheticTransaction] = []
        self.series: list[TruthSeries] = []
        self._styles: dict[tuple[str, str], DescriptorStyle] = {}

    def describe(self, merchant: Merchant, account: str, when: date) -> str:
        if not self.descriptors:
            return merchant.name
        key = (merchant.name, account)
        if key not in self._styles:
            self._styles[key] = make_style(
                merchant, self.text_rng, side="any", account_type=account, region=self.profile.region
            )
        return self._styles[key].render(self.text_rng, when, side="any")

    def hour(self, low: int, high: int, evening: bool = False) -> int | None:
        if not self.profile.bank_gives_time:
            return None
        if evening and self.rng.random() < self.profile.evening_bias:
            return self.rng.randint(18, 22)
        return self.rng.randint(low, high)

    def emit(
        self,
        when: date,
        amount: float,
        merchant: Merchant,
        account: str,
        *,
        hour: int | None = None,
        series: str | None = None,
        anomaly: bool = False,
        category: str | None = None,
    ) -> None:
        if not self.start <= when <= self.end:
            return
        self.rows.append(
            SyntheticTransaction(
                when,
                _money(amount),
                self.describe(merchant, account, when),
                merchant.name,
                category or merchant.category,
                account,
                hour,
                anomaly,
                series,
            )
        )

    def add_series(
        self,
        key: str,
        merchant: Merchant,
        cadence: str,
        account: str,
        *,
        income: bool = False,
        subscription: bool = False,
        price_changes: tuple[tuple[date, str, str], ...] = (),
    ) -> None:
        dates = sorted(t.date for t in self.rows if t.series == key)
        if not dates:
            return
        cancelled = (self.end - dates[-1]).days > CADENCES_BY_NAME[cadence].days * 1.5
        self.series.append(
            TruthSeries(
                key,
                merchant.name,
                cadence,
                income,
                subscription,
                account,
                len(dates),
                dates[-1],
                cancelled,
                price_changes,
            )
        )


def _business_day_before(when: date) -> date:
    """Paid on the Friday before when the day falls on a weekend."""
    return when - timedelta(days=when.weekday() - 4) if when.weekday() >= 5 else when


def _salary(b: _Builder) -> None:
    p, rng = b.profile, b.rng
    employer = _pick(rng, "INCOME_WAGES", p.region, channel="payroll")[0]
    if p.pay_cadence == "biweekly":
        payday = b.start + timedelta(days=(4 - b.start.weekday()) % 7)  # a Friday
        net = p.monthly_income * 12 / 26
        while payday <= b.end:
            b.emit(payday, net * rng.uniform(0.995, 1.005), employer, "checking", series="salary")
            payday += timedelta(days=14)
        b.add_series("salary", employer, "biweekly", "checking", income=True)
        return
    if p.pay_cadence == "semimonthly":
        net = p.monthly_income / 2
        for month in _month_starts(b.start, b.end):
            for day in (1, 15):
                b.emit(_business_day_before(_on_day(month, day)), net * rng.uniform(0.995, 1.005), employer, "checking",
                       series="salary")  # fmt: skip
        b.add_series("salary", employer, "semimonthly", "checking", income=True)
        return
    day = rng.choice((25, 26, 27, 28))
    for month in _month_starts(b.start, b.end):
        when = _business_day_before(_on_day(month, day))
        b.emit(when, p.monthly_income * rng.uniform(0.99, 1.01), employer, "checking", series="salary")
    b.add_series("salary", employer, "monthly", "checking", income=True)


def _fixed_monthly(
    b: _Builder,
    key: str,
    category: str,
    amount: float,
    day: int,
    *,
    jitter: int = 1,
    variation: float = 0.0,
    seasonal: float = 0.0,
    channel: str | None = "bill",
) -> None:
    rng = b.rng
    merchant = _pick(rng, category, b.profile.region, channel=channel)
    if not merchant:
        return
    for month in _month_starts(b.start, b.end):
        when = _on_day(month, day) + timedelta(days=rng.randint(-jitter, jitter))
        season = 1 + seasonal * math.cos(2 * math.pi * (when.month - 1) / 12)
        value = amount * season * (1 + rng.uniform(-variation, variation))
        b.emit(when, -value, merchant[0], "checking", series=key)
    b.add_series(key, merchant[0], "monthly", "checking")


def _housing_and_bills(b: _Builder) -> None:
    p, rng = b.profile, b.rng
    if p.housing == "rent":
        _fixed_monthly(b, "rent", "RENT_AND_UTILITIES_RENT", p.housing_cost, 1, jitter=1)
    else:
        _fixed_monthly(
            b, "mortgage", "LOAN_PAYMENTS_MORTGAGE_PAYMENT", p.housing_cost, rng.choice((1, 5, 15)), jitter=0
        )
    _fixed_monthly(
        b,
        "electricity",
        "RENT_AND_UTILITIES_GAS_AND_ELECTRICITY",
        rng.uniform(70, 150),
        rng.randint(8, 18),
        jitter=2,
        variation=0.08,
        seasonal=0.25,
    )
    _fixed_monthly(
        b,
        "internet",
        "RENT_AND_UTILITIES_INTERNET_AND_CABLE",
        rng.choice((49.99, 59.99, 69.99, 79.99)),
        rng.randint(3, 20),
        jitter=1,
    )
    _fixed_monthly(
        b,
        "phone",
        "RENT_AND_UTILITIES_TELEPHONE",
        rng.choice((25.0, 35.0, 45.0, 65.0, 85.0)),
        rng.randint(3, 25),
        jitter=1,
    )
    _fixed_monthly(b, "insurance", "GENERAL_SERVICES_INSURANCE", rng.uniform(60, 180), rng.randint(1, 28), jitter=0)
    _quarterly_water(b)
    if p.has_car and rng.random() < 0.45:
        _fixed_monthly(b, "car_loan", "LOAN_PAYMENTS_CAR_PAYMENT", rng.uniform(220, 480), rng.randint(5, 25), jitter=0)


def _quarterly_water(b: _Builder) -> None:
    rng = b.rng
    merchant = _pick(rng, "RENT_AND_UTILITIES_WATER", b.profile.region, channel="bill")
    if not merchant:
        return
    amount = rng.uniform(90, 180)
    first = b.start + timedelta(days=rng.randint(5, 80))
    when = first
    while when <= b.end:
        b.emit(
            when + timedelta(days=rng.randint(-2, 2)),
            -amount * rng.uniform(0.9, 1.1),
            merchant[0],
            "checking",
            series="water",
        )
        when = _add_months(when, 3)
    b.add_series("water", merchant[0], "quarterly", "checking")


def _subscriptions(b: _Builder) -> None:
    p, rng = b.profile, b.rng
    chosen: list[Merchant] = []
    for _ in range(p.subscriptions * 3):
        if len(chosen) >= p.subscriptions:
            break
        category = rng.choice(SUBSCRIPTION_CATEGORIES)
        candidates = _pick(rng, category, p.region, channel="online") or _pick(rng, category, p.region)
        if candidates and candidates[0] not in chosen:
            chosen.append(candidates[0])
    span_days = (b.end - b.start).days
    for index, merchant in enumerate(chosen):
        key = f"sub:{merchant.name}"
        account = "credit_card" if rng.random() < 0.6 else "checking"
        yearly = index == 0 and span_days > 400 and rng.random() < 0.5
        price = rng.choice(SUBSCRIPTION_PRICES)
        price = math.floor(price * 10) + 0.99 if yearly else price  # yearly plans: about ten months' price
        when = b.start + timedelta(days=rng.randint(0, 27))
        raise_on = b.start + timedelta(days=rng.randint(span_days // 3, span_days)) if rng.random() < 0.3 else None
        stop_on = (
            b.start + timedelta(days=rng.randint(int(span_days * 0.5), int(span_days * 0.85)))
            if rng.random() < 0.15
            else None
        )
        changes: list[tuple[date, str, str]] = []
        while when <= b.end and (stop_on is None or when < stop_on):
            if raise_on is not None and when >= raise_on and not changes:
                new_price = math.floor(price * rng.uniform(1.1, 1.25)) + 0.99
                changes.append((when, _money(-price), _money(-new_price)))
                price = new_price
            b.emit(when, -price, merchant, account, series=key, category=merchant.category)
            when = _add_months(when, 12 if yearly else 1)
        b.add_series(
            key, merchant, "yearly" if yearly else "monthly", account, subscription=True, price_changes=tuple(changes)
        )


def _weekly_service(b: _Builder) -> None:
    """About a fifth of households pay a cleaner or a class every week or every other week."""
    rng = b.rng
    if rng.random() > 0.2:
        return
    category = rng.choice(("GENERAL_SERVICES_OTHER_GENERAL_SERVICES", "PERSONAL_CARE_GYMS_AND_FITNESS_CENTERS"))
    merchant = _pick(rng, category, b.profile.region, channel="store") or _pick(rng, category, b.profile.region)
    if not merchant:
        return
    cadence = rng.choice(("weekly", "biweekly"))
    step = 7 if cadence == "weekly" else 14
    amount = rng.choice((20.0, 25.0, 40.0, 60.0, 80.0))
    when = b.start + timedelta(days=rng.randint(0, 6))
    while when <= b.end:
        b.emit(
            when + timedelta(days=rng.choice((0, 0, 0, 1))),
            -amount,
            merchant[0],
            "checking",
            hour=b.hour(8, 18),
            series="service",
        )
        when += timedelta(days=step)
    b.add_series("service", merchant[0], cadence, "checking")


def _savings_and_interest(b: _Builder) -> None:
    p, rng = b.profile, b.rng
    interest = _phrase("INCOME_INTEREST_EARNED")
    transfer_out = _phrase("TRANSFER_OUT_SAVINGS")
    transfer_in = _phrase("TRANSFER_IN_SAVINGS")
    balance = float(rng.uniform(500, 8000))
    amount = round(p.monthly_income * p.savings_rate, -1)
    day = 2 if p.pay_cadence == "biweekly" else 28
    for month in _month_starts(b.start, b.end):
        when = _on_day(month, day)
        if amount > 0:
            b.emit(when, -amount, transfer_out, "checking", series="savings_out")
            b.emit(when, amount, transfer_in, "savings", series="savings_in")
            balance += amount
        last = _on_day(month, 31)
        earned = balance * 0.035 / 12
        balance += earned
        b.emit(last, earned, interest, "savings", series="interest")
    if amount > 0:
        b.add_series("savings_out", transfer_out, "monthly", "checking")
        b.add_series("savings_in", transfer_in, "monthly", "savings", income=True)
    b.add_series("interest", interest, "monthly", "savings", income=True)


def _discretionary(b: _Builder) -> None:
    p, rng = b.profile, b.rng
    rates = ARCHETYPE_RATES[p.archetype]
    tickets = ARCHETYPE_TICKET.get(p.archetype, {})
    pools = {}
    for name, stream in SPENDING.items():
        if name == "gas" and not p.has_car:
            continue
        per_category = 3 if len(stream.categories) == 1 else 2
        merchants = [m for category in stream.categories for m in _pick(rng, category, p.region, k=per_category)]
        rng.shuffle(merchants)  # the first ones are the household's favourites
        pools[name] = (stream, merchants)
    day = b.start
    while day <= b.end:
        weekend = day.weekday() >= 4
        for name, (stream, merchants) in pools.items():
            if not merchants:
                continue
            rate = stream.rate * rates.get(name, 1.0)
            if weekend:
                rate *= 1 + (stream.weekend_boost - 1) * p.weekend_bias
            for _ in range(_poisson(rng, rate)):
                merchant = merchants[min(int(rng.expovariate(1.2)), len(merchants) - 1)]  # favourites dominate
                scale = tickets.get(name, tickets.get("*", 1.0)) * p.spending_scale
                amount = math.exp(rng.gauss(math.log(stream.median * scale), stream.sigma))
                account = "credit_card" if rng.random() < p.card_share else "checking"
                b.emit(day, -amount, merchant, account, hour=b.hour(*stream.hours, evening=stream.evening))
        day += timedelta(days=1)


def _poisson(rng: random.Random, lam: float) -> int:
    threshold, k, product = math.exp(-lam), 0, rng.random()
    while product > threshold:
        k += 1
        product *= rng.random()
    return k


def _card_payments(b: _Builder) -> None:
    """Pay the card's previous month in full on the 20th, from checking."""
    card_side = _phrase("LOAN_PAYMENTS_CREDIT_CARD_PAYMENT")
    bank_side = _pick(b.rng, "LOAN_PAYMENTS_CREDIT_CARD_PAYMENT", b.profile.region, channel="bill")[0]
    spent: dict[tuple[int, int], float] = defaultdict(float)
    for t in b.rows:
        if t.account_kind == "credit_card":
            spent[(t.date.year, t.date.month)] += float(t.amount)
    for month in _month_starts(b.start, b.end):
        previous = _add_months(month, -1)
        due = -spent.get((previous.year, previous.month), 0.0)
        if due > 0:
            when = _on_day(month, 20)
            b.emit(when, -due, bank_side, "checking", series="card_payment")
            b.emit(when, due, card_side, "credit_card", series="card_payment_received")
    b.add_series("card_payment", bank_side, "monthly", "checking")
    b.add_series("card_payment_received", card_side, "monthly", "credit_card", income=True)


def _inject_anomalies(b: _Builder, count: int) -> None:
    """Spikes at usual merchants, duplicate charges, and night-time charges at new merchants."""
    rng = b.rng
    history_start = b.start + (b.end - b.start) * 2 // 5
    candidates = [t for t in b.rows if t.series is None and t.date >= history_start and float(t.amount) < 0]
    if not candidates:
        return
    kinds = ["spike", "duplicate", "night"] * ((count + 2) // 3)
    rng.shuffle(kinds)
    for kind in kinds[:count]:
        base = rng.choice(candidates)
        merchant = _merchant_named(base.merchant, base.category, b.profile.region)
        if kind == "spike":
            amount = float(base.amount) * rng.uniform(6, 10)
            b.emit(base.date, amount, merchant, base.account_kind, hour=base.hour, anomaly=True)
        elif kind == "duplicate":
            big = [t for t in candidates if float(t.amount) <= -20] or candidates
            base = rng.choice(big)
            merchant = _merchant_named(base.merchant, base.category, b.profile.region)
            b.emit(
                base.date + timedelta(days=rng.choice((0, 1))),
                float(base.amount),
                merchant,
                base.account_kind,
                hour=base.hour,
                anomaly=True,
            )
        else:
            new = _pick(
                rng,
                rng.choice(
                    (
                        "GENERAL_MERCHANDISE_ELECTRONICS",
                        "TRAVEL_OTHER_TRAVEL",
                        "GENERAL_MERCHANDISE_ONLINE_MARKETPLACES",
                    )
                ),
                b.profile.region,
                k=8,
            )
            known = {t.merchant for t in b.rows}
            fresh = [m for m in new if m.name not in known] or new
            hour = rng.randint(2, 4) if b.profile.bank_gives_time else None
            b.emit(base.date, -rng.uniform(350, 900), fresh[0], "credit_card", hour=hour, anomaly=True)


def _merchant_named(name: str, category: str, region: str) -> Merchant:
    for merchant in _merchants_by_category().get((category, region), ()):
        if merchant.name == name:
            return merchant
    raise LookupError(name)


def _budget_scale(profile: HouseholdProfile, fixed_monthly: float) -> float:
    """Scale tickets so expected discretionary spending fits what is left after fixed costs and saving."""
    rates = ARCHETYPE_RATES[profile.archetype]
    tickets = ARCHETYPE_TICKET.get(profile.archetype, {})
    expected = 0.0
    for name, stream in SPENDING.items():
        if name == "gas" and not profile.has_car:
            continue
        weekly_boost = (4 + 3 * (1 + (stream.weekend_boost - 1) * profile.weekend_bias)) / 7
        ticket = stream.median * tickets.get(name, tickets.get("*", 1.0)) * math.exp(stream.sigma**2 / 2)
        expected += stream.rate * rates.get(name, 1.0) * weekly_boost * 30.44 * ticket
    budget = profile.monthly_income * (1 - profile.savings_rate) - fixed_monthly
    return max(0.3, budget * 0.95 / expected)


def generate_household(
    seed: int,
    months: int = 12,
    start: date = DEFAULT_START,
    archetype: str | None = None,
    region: str | None = None,
    descriptors: bool = True,
    anomalies: int = 3,
) -> SyntheticHousehold:
    """One household's history of `months` months from `start`; the same seed gives the same household."""
    if months < 1:
        raise ValueError("months must be at least 1")
    rng = random.Random(f"household:{seed}")
    profile = sample_profile(rng, archetype, region)
    # Fixed costs before discretionary spending: housing, bills (~12 % of income) and subscriptions.
    fixed = profile.housing_cost + profile.monthly_income * 0.12 + profile.subscriptions * 12
    profile = HouseholdProfile(**{**asdict(profile), "spending_scale": _budget_scale(profile, fixed)})
    end = _add_months(start, months) - timedelta(days=1)
    b = _Builder(rng, profile, start, end, descriptors, random.Random(f"household-text:{seed}"))
    _salary(b)
    _housing_and_bills(b)
    _subscriptions(b)
    _weekly_service(b)
    _savings_and_interest(b)
    _discretionary(b)
    _card_payments(b)
    _inject_anomalies(b, anomalies)
    rows = sorted(b.rows, key=lambda t: (t.date, t.account_kind, t.merchant, t.amount))
    opening = {
        "checking": _money(profile.monthly_income * rng.uniform(0.6, 1.4)),
        "savings": _money(rng.uniform(500, 8000)),
        "credit_card": "0.00",
    }
    return SyntheticHousehold(seed, profile, start, end, opening, rows, b.series)


def generate_population(
    n: int, seed: int = 0, months: int = 12, start: date = DEFAULT_START, descriptors: bool = True
) -> list[SyntheticHousehold]:
    """`n` households with seeds derived from `seed` (archetypes drawn at random)."""
    return [generate_household(seed * 100_003 + i, months, start, descriptors=descriptors) for i in range(n)]
