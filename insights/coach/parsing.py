"""Understanding the common questions without a language model: what is asked (the intent), about which period,
which categories, and which amount."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from transactions.taxonomy import BY_CODE, CATEGORIES

from ..facts.periods import Period, add_months, month_end, month_start, week_containing

# --- categories ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryMatch:
    label: str  # how the answer names it ("dining out")
    codes: frozenset[str]  # primary and/or detailed codes


def _codes(*codes: str) -> frozenset[str]:
    unknown = [c for c in codes if c not in BY_CODE]
    if unknown:
        raise KeyError(f"unknown category codes {unknown}")
    return frozenset(codes)


_DINING = _codes("FOOD_AND_DRINK_RESTAURANT", "FOOD_AND_DRINK_FAST_FOOD", "FOOD_AND_DRINK_COFFEE")

# Everyday words for categories; the taxonomy's own names are matched as well.
SYNONYMS: dict[str, CategoryMatch] = {
    **dict.fromkeys(
        ("dining", "dining out", "eating out", "restaurants", "restaurant", "takeout", "take-out", "takeaway"),
        CategoryMatch("dining out", _DINING),
    ),
    **dict.fromkeys(
        ("groceries", "grocery", "supermarket", "supermarkets"),
        CategoryMatch("groceries", _codes("FOOD_AND_DRINK_GROCERIES")),
    ),
    **dict.fromkeys(("food", "food and drink"), CategoryMatch("food and drink", _codes("FOOD_AND_DRINK"))),
    **dict.fromkeys(("coffee", "cafes", "coffee shops"), CategoryMatch("coffee", _codes("FOOD_AND_DRINK_COFFEE"))),
    **dict.fromkeys(
        ("alcohol", "bars", "drinks", "beer", "wine"),
        CategoryMatch("alcohol", _codes("FOOD_AND_DRINK_BEER_WINE_AND_LIQUOR")),
    ),
    **dict.fromkeys(("gas", "fuel", "petrol"), CategoryMatch("fuel", _codes("TRANSPORTATION_GAS"))),
    **dict.fromkeys(
        ("transport", "transportation", "getting around", "commuting"),
        CategoryMatch("transportation", _codes("TRANSPORTATION")),
    ),
    **dict.fromkeys(
        ("uber", "lyft", "taxis", "taxi", "rideshare", "ride shares"),
        CategoryMatch("taxis and ride shares", _codes("TRANSPORTATION_TAXIS_AND_RIDE_SHARES")),
    ),
    **dict.fromkeys(("parking",), CategoryMatch("parking", _codes("TRANSPORTATION_PARKING"))),
    **dict.fromkeys(
        ("travel", "trips", "holidays", "vacations", "vacation"), CategoryMatch("travel", _codes("TRAVEL"))
    ),
    **dict.fromkeys(("flights", "airfare"), CategoryMatch("flights", _codes("TRAVEL_FLIGHTS"))),
    **dict.fromkeys(("hotels", "lodging"), CategoryMatch("lodging", _codes("TRAVEL_LODGING"))),
    **dict.fromkeys(("rent",), CategoryMatch("rent", _codes("RENT_AND_UTILITIES_RENT"))),
    **dict.fromkeys(("utilities", "bills"), CategoryMatch("rent and utilities", _codes("RENT_AND_UTILITIES"))),
    **dict.fromkeys(
        ("electricity", "energy", "power"),
        CategoryMatch("gas and electricity", _codes("RENT_AND_UTILITIES_GAS_AND_ELECTRICITY")),
    ),
    **dict.fromkeys(
        ("internet", "broadband", "cable"),
        CategoryMatch("internet and cable", _codes("RENT_AND_UTILITIES_INTERNET_AND_CABLE")),
    ),
    **dict.fromkeys(("phone", "mobile", "cell phone"), CategoryMatch("phone", _codes("RENT_AND_UTILITIES_TELEPHONE"))),
    **dict.fromkeys(("shopping", "stuff"), CategoryMatch("shopping", _codes("GENERAL_MERCHANDISE"))),
    **dict.fromkeys(
        ("clothes", "clothing", "fashion"),
        CategoryMatch("clothing", _codes("GENERAL_MERCHANDISE_CLOTHING_AND_ACCESSORIES")),
    ),
    **dict.fromkeys(("entertainment", "fun", "going out"), CategoryMatch("entertainment", _codes("ENTERTAINMENT"))),
    **dict.fromkeys(
        ("streaming", "movies", "tv"), CategoryMatch("TV and movies", _codes("ENTERTAINMENT_TV_AND_MOVIES"))
    ),
    **dict.fromkeys(("music",), CategoryMatch("music", _codes("ENTERTAINMENT_MUSIC_AND_AUDIO"))),
    **dict.fromkeys(
        ("games", "gaming", "video games"), CategoryMatch("video games", _codes("ENTERTAINMENT_VIDEO_GAMES"))
    ),
    **dict.fromkeys(
        ("health", "healthcare", "medical", "doctors", "doctor"), CategoryMatch("medical", _codes("MEDICAL"))
    ),
    **dict.fromkeys(
        ("pharmacy", "medicine", "prescriptions"),
        CategoryMatch("pharmacy", _codes("MEDICAL_PHARMACIES_AND_SUPPLEMENTS")),
    ),
    **dict.fromkeys(
        ("gym", "fitness"), CategoryMatch("gyms and fitness", _codes("PERSONAL_CARE_GYMS_AND_FITNESS_CENTERS"))
    ),
    **dict.fromkeys(("personal care", "hair", "beauty"), CategoryMatch("personal care", _codes("PERSONAL_CARE"))),
    **dict.fromkeys(("insurance",), CategoryMatch("insurance", _codes("GENERAL_SERVICES_INSURANCE"))),
    **dict.fromkeys(("childcare", "daycare"), CategoryMatch("childcare", _codes("GENERAL_SERVICES_CHILDCARE"))),
    **dict.fromkeys(
        ("education", "school", "tuition"), CategoryMatch("education", _codes("GENERAL_SERVICES_EDUCATION"))
    ),
    **dict.fromkeys(("fees", "bank fees"), CategoryMatch("bank fees", _codes("BANK_FEES"))),
    **dict.fromkeys(
        ("donations", "charity", "giving"), CategoryMatch("donations", _codes("GOVERNMENT_AND_NON_PROFIT_DONATIONS"))
    ),
    **dict.fromkeys(("taxes", "tax"), CategoryMatch("taxes", _codes("GOVERNMENT_AND_NON_PROFIT_TAX_PAYMENT"))),
    **dict.fromkeys(
        ("home", "home improvement", "furniture", "repairs"),
        CategoryMatch("home improvement", _codes("HOME_IMPROVEMENT")),
    ),
    **dict.fromkeys(
        ("pets", "pet"),
        CategoryMatch("pets", _codes("GENERAL_MERCHANDISE_PET_SUPPLIES", "MEDICAL_VETERINARY_SERVICES")),
    ),
    **dict.fromkeys(
        ("loans", "loan payments", "debt payments", "mortgage"), CategoryMatch("loan payments", _codes("LOAN_PAYMENTS"))
    ),
}


def _vocabulary(extra: dict[str, CategoryMatch]) -> list[tuple[re.Pattern, CategoryMatch]]:
    words: dict[str, CategoryMatch] = {}
    for definition in CATEGORIES:
        if definition.primary not in ("INCOME", "TRANSFER_IN", "TRANSFER_OUT"):
            words[definition.name.lower()] = CategoryMatch(definition.name.lower(), frozenset({definition.code}))
    words.update(SYNONYMS)
    words.update(extra)
    # Longest phrases first: "dining out" before "dining", "food and drink" before "food".
    return [
        (re.compile(rf"\b{re.escape(w)}\b", re.IGNORECASE), m)
        for w, m in sorted(words.items(), key=lambda i: -len(i[0]))
    ]


def find_category(text: str, extra: dict[str, CategoryMatch] | None = None) -> CategoryMatch | None:
    """The category a question is about (the household's own category names in `extra` count too)."""
    for pattern, match in _vocabulary(extra or {}):
        if pattern.search(text):
            return match
    return None


# --- amounts -------------------------------------------------------------------------------------------------------

_AMOUNT = re.compile(
    r"(?:[$€£]\s?(?P<a>\d[\d,]*(?:\.\d{1,2})?)\s*(?P<ak>k|K|thousand)?)"
    r"|(?:(?P<b>\d[\d,]*(?:\.\d{1,2})?)\s*(?P<bk>k|K|thousand)?\s*(?:dollars|euros|pounds|usd|eur|gbp|bucks)\b)",
)


def find_amount(text: str) -> Decimal | None:
    """'$2,000' → 2000, '1.5k dollars' → 1500, '€300' → 300 (None without a currency sign or word)."""
    match = _AMOUNT.search(text)
    if not match:
        return None
    digits = match.group("a") or match.group("b")
    thousands = match.group("ak") or match.group("bk")
    try:
        value = Decimal(digits.replace(",", ""))
    except InvalidOperation:
        return None
    return value * 1000 if thousands else value


# --- periods -------------------------------------------------------------------------------------------------------

_MONTHS = {name.lower(): index for index, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): index for index, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MONTH_WORD = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + ")"
# "may" is also a verb ("may we afford…"): on its own it names a month only after "in", "for", "during" or "of".
_AMBIGUOUS_MONTHS = {"may"}


@dataclass(frozen=True)
class PeriodMatch:
    period: Period
    label: str  # "in March 2026", "last month"


def _month_index(word: str) -> int:
    return _MONTHS[word.lower()]


def _named_month(month: int, year: int | None, today: date, *, future: bool) -> date:
    """The first day of the named month: in the given year, else the most recent one (or the next one when the
    question looks ahead: "a trip in June")."""
    if year is not None:
        return date(year, month, 1)
    candidate = date(today.year, month, 1)
    if future:
        return candidate if candidate >= month_start(today) else date(today.year + 1, month, 1)
    return candidate if candidate <= today else date(today.year - 1, month, 1)


def find_period(text: str, today: date, *, future: bool = False) -> PeriodMatch | None:
    """The period a question names, relative to `today` (None when it names none)."""
    lowered = text.lower()
    this_month = month_start(today)
    simple = {
        "today": (Period(today, today), "today"),
        "yesterday": (Period(today - timedelta(days=1), today - timedelta(days=1)), "yesterday"),
        "this week": (Period(week_containing(today, 0).start, today), "this week"),
        "last week": (
            Period(
                week_containing(today, 0).start - timedelta(days=7), week_containing(today, 0).start - timedelta(days=1)
            ),
            "last week",
        ),
        "this month": (Period(this_month, today), "this month"),
        "last month": (Period(add_months(this_month, -1), this_month - timedelta(days=1)), "last month"),
        "next month": (Period(add_months(this_month, 1), month_end(add_months(this_month, 1))), "next month"),
        "this year": (Period(date(today.year, 1, 1), today), "this year"),
        "last year": (Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)), "last year"),
    }
    for phrase, (period, label) in simple.items():
        if re.search(rf"\b{phrase}\b", lowered):
            return PeriodMatch(period, label)
    recent = re.search(r"\b(?:last|past)\s+(\d{1,3})\s+(day|week|month)s?\b", lowered)
    if recent:
        count, unit = int(recent.group(1)), recent.group(2)
        start = (
            add_months(today, -count)
            if unit == "month"
            else today - timedelta(days=count * (7 if unit == "week" else 1))
        )
        return PeriodMatch(Period(start + timedelta(days=1), today), f"in the last {count} {unit}s")
    since = re.search(rf"\bsince\s+{_MONTH_WORD}\b(?:\s+(\d{{4}}))?", lowered)
    if since:
        start = _named_month(
            _month_index(since.group(1)), int(since.group(2)) if since.group(2) else None, today, future=False
        )
        return PeriodMatch(Period(start, today), f"since {start:%B %Y}")
    named = re.search(
        rf"\b(?:in|for|during|of)\s+{_MONTH_WORD}\b(?:\s+(\d{{4}}))?|\b{_MONTH_WORD}\s+(\d{{4}})\b", lowered
    )
    if named:
        word = named.group(1) or named.group(3)
        year = named.group(2) or named.group(4)
        start = _named_month(_month_index(word), int(year) if year else None, today, future=future)
        return PeriodMatch(Period(start, month_end(start)), f"in {start:%B %Y}")
    bare = re.search(rf"\b{_MONTH_WORD}\b", lowered)
    if bare and bare.group(1) not in _AMBIGUOUS_MONTHS:
        start = _named_month(_month_index(bare.group(1)), None, today, future=future)
        return PeriodMatch(Period(start, month_end(start)), f"in {start:%B %Y}")
    year = re.search(r"\b(?:in|for|during)\s+(20\d{2})\b", lowered)
    if year:
        value = int(year.group(1))
        return PeriodMatch(Period(date(value, 1, 1), min(date(value, 12, 31), today)), f"in {value}")
    return None


# --- intents -------------------------------------------------------------------------------------------------------


@dataclass
class ParsedQuestion:
    intent: str
    period: PeriodMatch | None = None
    category: CategoryMatch | None = None
    amount: Decimal | None = None
    extras: dict = field(default_factory=dict)


_INTENTS: list[tuple[str, re.Pattern]] = [
    ("afford", re.compile(r"\b(?:afford|enough (?:money|cash|saved)|can (?:we|i) (?:pay for|buy|spend))\b")),
    ("subscriptions", re.compile(r"\bsubscriptions?\b")),
    (
        "bills",
        re.compile(
            r"\b(?:bills?|payments?)\b.*\b(?:due|coming up|upcoming)\b|\bupcoming (?:bills|payments)\b"
            r"|\bwhat(?:'s| is) due\b"
        ),
    ),
    ("budgets", re.compile(r"\bbudgets?\b")),
    ("goals", re.compile(r"\bgoals?\b")),
    ("savings_rate", re.compile(r"\bsavings? rate\b|\bhow much (?:did|do|have) (?:we|i) (?:save|saved)\b")),
    ("balance", re.compile(r"\b(?:balances?|net worth|how much (?:money|cash) (?:do|have) (?:we|i)(?: got| have)?)\b")),
    ("income", re.compile(r"\b(?:income|earn(?:ed)?|salary|paid in|made)\b")),
    (
        "top_categories",
        re.compile(
            r"\b(?:where (?:does|did) (?:our|my|the) money go|biggest|largest|top)"
            r" ?(?:expenses|spending|categories|costs)?\b"
        ),
    ),
    ("spending", re.compile(r"\b(?:spen[dt]|spending|cost|costs|pay|paid|expenses?)\b")),
]


def parse(question: str, today: date, *, extra_categories: dict[str, CategoryMatch] | None = None) -> ParsedQuestion:
    """The intent of a question and its details. Unknown questions get the intent "unknown"."""
    lowered = question.lower()
    intent = next((name for name, pattern in _INTENTS if pattern.search(lowered)), "unknown")
    category = find_category(question, extra_categories)
    if intent == "top_categories" and category is not None:
        intent = "spending"
    if intent in ("unknown", "savings_rate") and category is not None and "save" not in lowered:
        intent = "spending"
    return ParsedQuestion(
        intent=intent,
        period=find_period(question, today, future=intent in ("afford", "bills")),
        category=category,
        amount=find_amount(question),
    )
