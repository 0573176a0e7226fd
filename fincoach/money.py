"""Money is Decimal: built from strings, stored as DECIMAL(14, 2) with an ISO currency code."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import models

CENT = Decimal("0.01")
ZERO = Decimal("0")


class MoneyField(models.DecimalField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "fincoach.money.MoneyField", args, kwargs


class CurrencyField(models.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 3)
        kwargs.setdefault("default", "USD")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "fincoach.money.CurrencyField", args, kwargs


def to_money(value) -> Decimal:
    """Decimal rounded to cents from a str/int/Decimal. Floats are refused: they are how cents go missing."""
    if isinstance(value, float):
        raise TypeError("money must not be built from a float; pass a string")
    try:
        return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:
        raise ValueError(f"{value!r} is not an amount of money") from exc


# Offered in currency pickers; any ISO 4217 code is still accepted where a code is typed (API, imports).
COMMON_CURRENCIES = (
    "USD", "EUR", "GBP", "CAD", "AUD", "NZD", "CHF", "JPY", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF",
    "INR", "SGD", "HKD", "MXN", "BRL", "ZAR",
)  # fmt: skip

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "CAD": "CA$", "AUD": "A$", "JPY": "¥", "CHF": "CHF "}


def format_money(amount: Decimal | None, currency: str = "USD", signed: bool = False) -> str:
    if amount is None:
        return "—"
    symbol = _SYMBOLS.get(currency, f"{currency} ")
    sign = "-" if amount < 0 else ("+" if signed and amount > 0 else "")
    return f"{sign}{symbol}{abs(amount):,.2f}"
