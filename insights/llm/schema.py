"""What the model must answer: JSON that fits a schema, whose numbers all come from the data it was given."""

from __future__ import annotations

import json
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from jsonschema import Draft202012Validator

from ..models import Insight
from .client import LLMError

TOPICS = ["spending", "income", "budgets", "goals", "bills", "subscriptions", "forecast", "savings"]
SENTIMENTS = [s.value for s in Insight.Sentiment]

_TEXT = {
    "title": {"type": "string", "minLength": 3, "maxLength": Insight.TITLE_MAX},
    "message": {"type": "string", "minLength": 10, "maxLength": Insight.MESSAGE_MAX},
}

DAILY_INSIGHTS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["insights"],
    "properties": {
        "insights": {
            "type": "array",
            "maxItems": 2,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["topic", "title", "message", "sentiment"],
                "properties": {
                    "topic": {"type": "string", "enum": TOPICS},
                    "sentiment": {"type": "string", "enum": SENTIMENTS},
                    **_TEXT,
                },
            },
        }
    },
}

REWRITES = {
    "type": "object",
    "additionalProperties": False,
    "required": ["rewrites"],
    "properties": {
        "rewrites": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "title", "message"],
                "properties": {"id": {"type": "string", "maxLength": 20}, **_TEXT},
            },
        }
    },
}


class LLMInvalid(LLMError):
    """The model answered, but not with what was asked for."""


_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)


def parse(text: str, schema: dict) -> dict:
    """The model's answer as a dict that fits `schema` (a ```json fence around it is tolerated)."""
    fenced = _FENCE.match(text or "")
    try:
        document = json.loads(fenced.group(1) if fenced else text)
    except (TypeError, ValueError) as exc:
        raise LLMInvalid(f"not JSON: {exc}") from exc
    error = next(iter(Draft202012Validator(schema).iter_errors(document)), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "the answer"
        raise LLMInvalid(f"{where}: {error.message}")
    return document


_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def numbers_in(text: str) -> set[Decimal]:
    """Every number written in `text`, as an absolute value: '$1,240.50' → 1240.50, '28%' → 28, '2026-03-14' →
    2026, 3 and 14."""
    found = set()
    for token in _NUMBER.findall(text or ""):
        cleaned = token.replace(",", "").rstrip(".")
        try:
            found.add(Decimal(cleaned))
        except InvalidOperation:
            continue
    return found


def allowed_numbers(source: str) -> set[Decimal]:
    """The numbers the model may use: the source's own, also rounded to whole units and to one decimal."""
    allowed = set()
    for number in numbers_in(source):
        allowed.add(number)
        allowed.add(number.quantize(Decimal("1"), rounding=ROUND_HALF_UP))
        allowed.add(number.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    return {n.normalize() for n in allowed}


def invented_numbers(text: str, allowed: set[Decimal]) -> list[Decimal]:
    """Numbers in `text` that are not in `allowed` (empty = every number matches the data)."""
    return sorted(n for n in numbers_in(text) if n.normalize() not in allowed)


def require_known_numbers(text: str, allowed: set[Decimal]) -> None:
    invented = invented_numbers(text, allowed)
    if invented:
        raise LLMInvalid(f"numbers not in the data: {', '.join(str(n) for n in invented[:5])}")
