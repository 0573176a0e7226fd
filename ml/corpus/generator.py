"""Realistic raw bank descriptors and labelled examples generated from the merchant list.

A merchant becomes text the way banks print it: a channel format (POS, ACH, SEPA, payroll ...), store
numbers, cities with state or country codes, phone numbers, reference numbers, the bank's casing, and
truncation at the bank's column width. `DescriptorStyle` fixes the per-statement choices (format, store,
city, casing) so a synthetic household sees the same merchant printed the same way every month.
"""

from __future__ import annotations

import math
import random
import re
import string
from dataclasses import dataclass
from datetime import date, timedelta

from ml.corpus import places
from ml.corpus.amounts import amount_range
from ml.corpus.merchants import Merchant, NamePools, name_pools
from ml.corpus.templates import BILL_KINDS, REFUND_MARKERS, Template, templates_for

MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
# Widths at which bank exports cut the description column.
COLUMN_WIDTHS = (18, 22, 25, 32, 40)
# Card networks keep 22 (Mastercard) or 25 (Visa) characters of the merchant name.
NAME_FIELD_WIDTHS = (22, 25)
REFUND_RATE = 0.03

_FIELD = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class LabelledExample:
    """One training or evaluation row for the categoriser."""

    description: str
    amount: float
    account_type: str
    category: str  # detailed or primary code
    merchant: str = ""  # the merchant it was generated from (for grouped splits); empty for user data


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def _alnum(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(n))


def _phone(rng: random.Random, region: str) -> str:
    if region == "US":
        area = rng.choice(("800", "888", "877", "866", "855", "206", "415", "212", "408", "312"))
        return rng.choice((f"{area}-{_digits(rng, 3)}-{_digits(rng, 4)}", f"{area}{_digits(rng, 7)}"))
    if region == "UK":
        return rng.choice((f"0800 {_digits(rng, 3)} {_digits(rng, 4)}", f"0{_digits(rng, 10)}"))
    return f"+{rng.choice(('49', '33', '31', '34', '39', '353'))}{_digits(rng, 9)}"


def _web(name: str, region: str, rng: random.Random) -> str:
    stem = re.sub(r"[^A-Za-z0-9]", "", name.split("*")[0]).upper() or "SHOP"
    if "." in name:
        return name.upper()
    tld = {"US": (".COM",), "UK": (".CO.UK", ".COM"), "EU": (".DE", ".FR", ".NL", ".EU", ".COM")}[region]
    return stem[:16] + rng.choice(tld)


def _account_ref(rng: random.Random) -> str:
    last4 = _digits(rng, 4)
    return rng.choice(
        (f"XXXXXX{last4}", f"SAV {last4}", f"CHK ...{last4}", f"x{last4}", f"ACCT {last4}", f"****{last4}")
    )


def _country_code(region: str, city_code: str, rng: random.Random) -> str:
    if region == "US":
        return rng.choice(("US", "USA"))
    if region == "UK":
        return rng.choice(("GB", "GBR"))
    return city_code


def descriptor_fields(rng: random.Random, region: str, pools: NamePools, name: str, when: date) -> dict[str, str]:
    """Every template field, filled for one transaction."""
    city, code = pools.city(rng, region)
    return {
        "name": name,
        "city": city,
        "st": code,
        "cc": _country_code(region, code, rng),
        "store": _digits(rng, rng.choice((3, 4, 5))),
        "phone": _phone(rng, region),
        "web": _web(name, region, rng),
        "ref": _alnum(rng, rng.randint(6, 12)),
        "num3": _digits(rng, 3),
        "num4": _digits(rng, 4),
        "num6": _digits(rng, 6),
        "num10": _digits(rng, 10),
        "num11": _digits(rng, 11),
        "num15": _digits(rng, 15),
        "mmdd": when.strftime("%m%d"),
        "mm_dd": when.strftime("%m/%d"),
        "yymmdd": when.strftime("%y%m%d"),
        "dd": when.strftime("%d"),
        "mm": when.strftime("%m"),
        "yy": when.strftime("%y"),
        "yyyy": when.strftime("%Y"),
        "mon": MONTHS[when.month - 1],
        "hh": f"{rng.randint(6, 23):02d}",
        "mi": f"{rng.randint(0, 59):02d}",
        "last4": _digits(rng, 4),
        "person": f"{rng.choice(pools.first_names)} {rng.choice(pools.surnames)}",
        "acct": _account_ref(rng),
        "bank": rng.choice(places.BANK_NAMES[region]),
        "street": f"{rng.randint(1, 9999)} {rng.choice(places.US_STREETS)}",
        "billkind": rng.choice(BILL_KINDS),
    }


def bank_spelling(merchant: Merchant, rng: random.Random) -> str:
    """One of the merchant's bank spellings, sometimes mangled the way card networks do."""
    weights = [3.0] + [1.0] * (len(merchant.descriptors) - 1)
    name = rng.choices(merchant.descriptors, weights=weights)[0]
    roll = rng.random()
    if roll < 0.12:
        name = re.sub(r"['.]", "", name)
    elif roll < 0.18:
        name = name.replace(" ", "")
    elif roll < 0.30 and len(name) > NAME_FIELD_WIDTHS[-1]:
        name = name[: rng.choice(NAME_FIELD_WIDTHS)].rstrip()
    return name


def choose_casing(rng: random.Random) -> str:
    return rng.choices(("upper", "title", "lower", "asis"), weights=(72, 12, 6, 10))[0]


def choose_width(rng: random.Random) -> int | None:
    return rng.choice(COLUMN_WIDTHS) if rng.random() < 0.22 else None


def finish(text: str, casing: str, width: int | None, rng: random.Random, name: str = "") -> str:
    """Apply the bank's casing, spacing and column width to a rendered descriptor.

    The column width never cuts into the merchant's name (already cut to the card network's name field by
    `bank_spelling`): exports truncate long descriptors after the name, and a description whose merchant
    was cut away is not a labelled example of anything.
    """
    if rng.random() < 0.08:
        text = re.sub(r" ", lambda _: " " * rng.randint(1, 4), text)
    start = text.find(name) if name else -1
    if width is not None and start >= 0:
        width = max(width, start + len(name))
    if casing == "upper":
        text = text.upper()
    elif casing == "title":
        text = text.title()
    elif casing == "lower":
        text = text.lower()
    if width is not None:
        text = text[:width]
    return text.strip()


def account_type_for(merchant: Merchant, rng: random.Random) -> str:
    """The kind of account a transaction with this merchant typically appears on."""
    category, channel = merchant.category, merchant.channel
    if channel == "payment_received":
        return "loan" if category == "LOAN_PAYMENTS_OTHER_PAYMENT" else "credit_card"
    choices: dict[str, float]
    if channel in ("store", "online"):
        choices = {"checking": 55, "credit_card": 41, "cash": 4 if channel == "store" else 0}
    elif channel == "bill":
        choices = {"checking": 80, "credit_card": 20}
    elif channel == "payroll":
        choices = {"checking": 92, "savings": 8}
    elif category == "INCOME_DIVIDENDS":
        choices = {"investment": 70, "checking": 20, "savings": 10}
    elif category == "INCOME_INTEREST_EARNED":
        choices = {"savings": 55, "checking": 35, "investment": 10}
    elif category == "INCOME_OTHER_INCOME" and channel == "bank_credit":
        choices = {"credit_card": 70, "checking": 30}
    elif category == "TRANSFER_IN_SAVINGS":
        choices = {"savings": 100}
    elif category == "TRANSFER_IN_INVESTMENT_AND_RETIREMENT_FUNDS":
        choices = {"checking": 70, "investment": 30}
    elif category == "TRANSFER_IN_CASH_ADVANCES_AND_LOANS":
        choices = {"checking": 60, "credit_card": 40}
    elif channel in ("transfer_out", "transfer_in"):
        choices = {"checking": 72, "savings": 23, "investment": 5}
    elif channel == "atm":
        choices = {"checking": 90, "savings": 5, "credit_card": 5}
    elif category == "BANK_FEES_INTEREST_CHARGE":
        choices = {"credit_card": 80, "checking": 20}
    elif category == "BANK_FEES_FOREIGN_TRANSACTION_FEES":
        choices = {"credit_card": 60, "checking": 40}
    elif channel == "fee":
        choices = {"checking": 70, "credit_card": 20, "savings": 10}
    else:  # benefits and other bank credits
        choices = {"checking": 85, "savings": 15}
    kinds = [k for k, w in choices.items() if w > 0]
    return rng.choices(kinds, weights=[choices[k] for k in kinds])[0]


def draw_amount(merchant: Merchant, rng: random.Random) -> float:
    """A plausible absolute amount for one transaction with `merchant`."""
    low, high = amount_range(merchant.category)
    value = math.exp(rng.uniform(math.log(low), math.log(high)))
    if merchant.channel == "atm":
        return float(max(20, round(value / 20) * 20))
    if merchant.channel in ("transfer_out", "transfer_in") and rng.random() < 0.5:
        step = rng.choice((10, 50, 100))
        return float(max(step, round(value / step) * step))
    if merchant.channel == "fee" and rng.random() < 0.5:
        return max(0.5, round(value * 2) / 2)
    return round(value, 2)


def is_money_in(merchant: Merchant) -> bool:
    """Whether this merchant's transactions normally arrive (positive) rather than leave."""
    return merchant.primary in ("INCOME", "TRANSFER_IN") or merchant.channel == "payment_received"


def pools_for(side: str) -> NamePools:
    """Held-out names for the held-out side; training names for 'train' and 'any'."""
    return name_pools()["holdout" if side == "holdout" else "train"]


@dataclass(frozen=True)
class DescriptorStyle:
    """How one merchant is printed on one account's statements: format, spelling, casing, width."""

    merchant: Merchant
    template: Template
    region: str
    spelling: str
    casing: str
    width: int | None
    fixed: tuple[tuple[str, str], ...]  # fields that stay the same every time (store, city, phone)

    def render(self, rng: random.Random, when: date, side: str = "train") -> str:
        if self.template.pattern == "{manual}":
            return finish(self.merchant.name, self.casing, None, rng)
        fields = descriptor_fields(rng, self.region, pools_for(side), self.spelling, when)
        fields.update(self.fixed)
        text = _FIELD.sub(lambda m: fields[m.group(1)], self.template.pattern)
        return finish(text, self.casing, self.width, rng, name=self.spelling)


# Fields a real statement repeats for the same merchant; everything else (refs, dates) changes.
_STICKY_FIELDS = ("city", "st", "cc", "store", "phone", "web", "person", "acct", "bank", "street")
_MANUAL = Template("{manual}", ("US", "UK", "EU"), False)


def make_style(
    merchant: Merchant, rng: random.Random, *, side: str, account_type: str, region: str | None = None
) -> DescriptorStyle:
    """Choose how `merchant` is printed; `side` is 'train', 'holdout' or 'any' (both template sets)."""
    region = region if region in merchant.regions else rng.choice(merchant.regions)
    if account_type == "cash":
        return DescriptorStyle(merchant, _MANUAL, region, merchant.name, rng.choice(("asis", "lower")), None, ())
    holdout_flags = {"train": (False,), "holdout": (True,), "any": (False, True)}[side]
    candidates = [t for flag in holdout_flags for t in templates_for(merchant.channel, region, merchant.primary, flag)]
    template = rng.choice(candidates)
    spelling = bank_spelling(merchant, rng)
    sticky = descriptor_fields(rng, region, pools_for(side), spelling, date(2024, 1, 1))
    fixed = tuple((key, sticky[key]) for key in _STICKY_FIELDS)
    return DescriptorStyle(merchant, template, region, spelling, choose_casing(rng), choose_width(rng), fixed)


def random_date(rng: random.Random) -> date:
    return date(2023, 1, 1) + timedelta(days=rng.randrange(3 * 365))


def generate_example(merchant: Merchant, rng: random.Random, side: str) -> LabelledExample:
    """One labelled example for `merchant`, printed in a format of `side` ('train' or 'holdout')."""
    account_type = account_type_for(merchant, rng)
    style = make_style(merchant, rng, side=side, account_type=account_type)
    description = style.render(rng, random_date(rng), side=side)
    amount = draw_amount(merchant, rng)
    money_in = is_money_in(merchant)
    if merchant.channel in ("store", "online") and rng.random() < REFUND_RATE:
        money_in = True  # a refund keeps the merchant's category
        if rng.random() < 0.5:
            description = rng.choice(REFUND_MARKERS) + description
    if merchant.channel == "payment_received" or (merchant.category.startswith("LOAN_") and account_type == "loan"):
        money_in = True
    return LabelledExample(description, amount if money_in else -amount, account_type, merchant.category, merchant.name)
