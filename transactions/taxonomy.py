"""Plaid's personal-finance-category (PFC v1) taxonomy: the system categories.

Pure data, importable without Django, so the ML engine and the importers can use it too.
Detailed codes are the primary code plus a suffix; friendly names are derived from the suffix
unless overridden.
"""

from __future__ import annotations

from dataclasses import dataclass

# code -> (friendly name, colour, icon, detailed suffixes)
_PRIMARIES: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "INCOME": (
        "Income",
        "#16a34a",
        "💰",
        (
            "DIVIDENDS",
            "INTEREST_EARNED",
            "RETIREMENT_PENSION",
            "TAX_REFUND",
            "UNEMPLOYMENT",
            "WAGES",
            "OTHER_INCOME",
        ),
    ),
    "TRANSFER_IN": (
        "Transfer in",
        "#0891b2",
        "⬇️",
        (
            "CASH_ADVANCES_AND_LOANS",
            "DEPOSIT",
            "INVESTMENT_AND_RETIREMENT_FUNDS",
            "SAVINGS",
            "ACCOUNT_TRANSFER",
            "OTHER_TRANSFER_IN",
        ),
    ),
    "TRANSFER_OUT": (
        "Transfer out",
        "#0e7490",
        "⬆️",
        (
            "INVESTMENT_AND_RETIREMENT_FUNDS",
            "SAVINGS",
            "WITHDRAWAL",
            "ACCOUNT_TRANSFER",
            "OTHER_TRANSFER_OUT",
        ),
    ),
    "LOAN_PAYMENTS": (
        "Loan payments",
        "#ea580c",
        "💳",
        (
            "CAR_PAYMENT",
            "CREDIT_CARD_PAYMENT",
            "PERSONAL_LOAN_PAYMENT",
            "MORTGAGE_PAYMENT",
            "STUDENT_LOAN_PAYMENT",
            "OTHER_PAYMENT",
        ),
    ),
    "BANK_FEES": (
        "Bank fees",
        "#dc2626",
        "🏦",
        (
            "ATM_FEES",
            "FOREIGN_TRANSACTION_FEES",
            "INSUFFICIENT_FUNDS",
            "INTEREST_CHARGE",
            "OVERDRAFT_FEES",
            "OTHER_BANK_FEES",
        ),
    ),
    "ENTERTAINMENT": (
        "Entertainment",
        "#9333ea",
        "🎬",
        (
            "CASINOS_AND_GAMBLING",
            "MUSIC_AND_AUDIO",
            "SPORTING_EVENTS_AMUSEMENT_PARKS_AND_MUSEUMS",
            "TV_AND_MOVIES",
            "VIDEO_GAMES",
            "OTHER_ENTERTAINMENT",
        ),
    ),
    "FOOD_AND_DRINK": (
        "Food and drink",
        "#ca8a04",
        "🍽️",
        (
            "BEER_WINE_AND_LIQUOR",
            "COFFEE",
            "FAST_FOOD",
            "GROCERIES",
            "RESTAURANT",
            "VENDING_MACHINES",
            "OTHER_FOOD_AND_DRINK",
        ),
    ),
    "GENERAL_MERCHANDISE": (
        "Shopping",
        "#db2777",
        "🛍️",
        (
            "BOOKSTORES_AND_NEWSSTANDS",
            "CLOTHING_AND_ACCESSORIES",
            "CONVENIENCE_STORES",
            "DEPARTMENT_STORES",
            "DISCOUNT_STORES",
            "ELECTRONICS",
            "GIFTS_AND_NOVELTIES",
            "OFFICE_SUPPLIES",
            "ONLINE_MARKETPLACES",
            "PET_SUPPLIES",
            "SPORTING_GOODS",
            "SUPERSTORES",
            "TOBACCO_AND_VAPE",
            "OTHER_GENERAL_MERCHANDISE",
        ),
    ),
    "HOME_IMPROVEMENT": (
        "Home improvement",
        "#b45309",
        "🔨",
        ("FURNITURE", "HARDWARE", "REPAIR_AND_MAINTENANCE", "SECURITY", "OTHER_HOME_IMPROVEMENT"),
    ),
    "MEDICAL": (
        "Medical",
        "#e11d48",
        "⚕️",
        (
            "DENTAL_CARE",
            "EYE_CARE",
            "NURSING_CARE",
            "PHARMACIES_AND_SUPPLEMENTS",
            "PRIMARY_CARE",
            "VETERINARY_SERVICES",
            "OTHER_MEDICAL",
        ),
    ),
    "PERSONAL_CARE": (
        "Personal care",
        "#c026d3",
        "💇",
        ("GYMS_AND_FITNESS_CENTERS", "HAIR_AND_BEAUTY", "LAUNDRY_AND_DRY_CLEANING", "OTHER_PERSONAL_CARE"),
    ),
    "GENERAL_SERVICES": (
        "Services",
        "#4f46e5",
        "🧾",
        (
            "ACCOUNTING_AND_FINANCIAL_PLANNING",
            "AUTOMOTIVE",
            "CHILDCARE",
            "CONSULTING_AND_LEGAL",
            "EDUCATION",
            "INSURANCE",
            "POSTAGE_AND_SHIPPING",
            "STORAGE",
            "OTHER_GENERAL_SERVICES",
        ),
    ),
    "GOVERNMENT_AND_NON_PROFIT": (
        "Government and charity",
        "#475569",
        "🏛️",
        (
            "DONATIONS",
            "GOVERNMENT_DEPARTMENTS_AND_AGENCIES",
            "TAX_PAYMENT",
            "OTHER_GOVERNMENT_AND_NON_PROFIT",
        ),
    ),
    "TRANSPORTATION": (
        "Transportation",
        "#2563eb",
        "🚗",
        (
            "BIKES_AND_SCOOTERS",
            "GAS",
            "PARKING",
            "PUBLIC_TRANSIT",
            "TAXIS_AND_RIDE_SHARES",
            "TOLLS",
            "OTHER_TRANSPORTATION",
        ),
    ),
    "TRAVEL": ("Travel", "#0d9488", "✈️", ("FLIGHTS", "LODGING", "RENTAL_CARS", "OTHER_TRAVEL")),
    "RENT_AND_UTILITIES": (
        "Rent and utilities",
        "#65a30d",
        "🏠",
        (
            "GAS_AND_ELECTRICITY",
            "INTERNET_AND_CABLE",
            "RENT",
            "SEWAGE_AND_WASTE_MANAGEMENT",
            "TELEPHONE",
            "WATER",
            "OTHER_UTILITIES",
        ),
    ),
}

_NAME_OVERRIDES = {
    "TV_AND_MOVIES": "TV and movies",
    "ATM_FEES": "ATM fees",
    "SPORTING_EVENTS_AMUSEMENT_PARKS_AND_MUSEUMS": "Events, parks and museums",
}

PRIMARY_CODES: tuple[str, ...] = tuple(_PRIMARIES)

# Primaries that are not spending: money coming in, or money moving between pockets.
NON_SPENDING_PRIMARIES = frozenset({"INCOME", "TRANSFER_IN", "TRANSFER_OUT"})


@dataclass(frozen=True)
class CategoryDef:
    code: str
    name: str
    primary: str  # equals code for a primary
    colour: str
    icon: str

    @property
    def is_primary(self) -> bool:
        return self.code == self.primary


def _friendly(suffix: str) -> str:
    if suffix in _NAME_OVERRIDES:
        return _NAME_OVERRIDES[suffix]
    words = suffix.lower().split("_")
    return " ".join(words).capitalize().replace(" and ", " and ")


def _build() -> list[CategoryDef]:
    out: list[CategoryDef] = []
    for code, (name, colour, icon, suffixes) in _PRIMARIES.items():
        out.append(CategoryDef(code, name, code, colour, icon))
        for suffix in suffixes:
            out.append(CategoryDef(f"{code}_{suffix}", _friendly(suffix), code, colour, icon))
    return out


CATEGORIES: tuple[CategoryDef, ...] = tuple(_build())
BY_CODE: dict[str, CategoryDef] = {c.code: c for c in CATEGORIES}


def primary_of(code: str) -> str:
    """The primary code of any primary or detailed code (KeyError for unknown codes)."""
    return BY_CODE[code].primary


def load_system_categories(category_model) -> int:
    """Create or update the system categories through `category_model` (the real model, or a migration's
    historical one). Idempotent; returns how many definitions were written."""
    by_code = {}
    for definition in CATEGORIES:
        category, _ = category_model.objects.update_or_create(
            household=None,
            code=definition.code,
            defaults={
                "name": definition.name,
                "parent": None if definition.is_primary else by_code[definition.primary],
                "primary_code": definition.primary,
                "colour": definition.colour,
                "icon": definition.icon,
                "is_system": True,
            },
        )
        by_code[definition.code] = category
    return len(by_code)
