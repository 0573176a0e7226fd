"""Template filters for the money-in pages."""

from __future__ import annotations

from decimal import Decimal

from django import template

from fincoach.money import format_money

register = template.Library()


@register.filter
def money(value: Decimal | None, currency: str = "USD") -> str:
    return format_money(value, currency or "USD")


@register.filter
def signed_money(value: Decimal | None, currency: str = "USD") -> str:
    return format_money(value, currency or "USD", signed=True)


@register.filter
def amount_class(value: Decimal | None) -> str:
    """`negative` for money out, `positive` for money in (colours and the privacy blur hook on `.amount`)."""
    if value is None or value == 0:
        return ""
    return "negative" if value < 0 else "positive"


@register.filter
def control(field, extra: str = "") -> str:
    """Render a bound field's widget with Bootstrap's class for its kind (and `is-invalid` when it has errors)."""
    widget = field.field.widget
    kind = getattr(widget, "input_type", "") or ""
    if kind == "checkbox":
        css = "form-check-input"
    elif kind == "select" or widget.__class__.__name__.endswith("Select"):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    attrs = {"class": f"{css} {extra}".strip()}
    if field.help_text:
        attrs["aria-describedby"] = f"{field.id_for_label}-help"
    return field.as_widget(attrs=attrs)
