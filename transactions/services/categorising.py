"""Writing many category decisions at once (the authority rules themselves live in `transactions.authority`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from transactions.models import Transaction

from .bulk import update_by_id

# Model predictions: applied from 0.8; from 0.6 applied but flagged "suggested" for a one-click confirmation.
APPLY_CONFIDENCE = Decimal("0.8")
SUGGEST_CONFIDENCE = Decimal("0.6")


@dataclass(frozen=True, slots=True)
class CategoryAssignment:
    transaction_id: int
    category_id: int
    source: str
    confidence: Decimal | None = None
    suggested: bool = False


def assign_categories(assignments: Iterable[CategoryAssignment]) -> int:
    """Write the assignments (callers have checked authority). Returns the number of rows updated."""
    return update_by_id(
        Transaction,
        ("category", "category_source", "category_confidence", "category_suggested"),
        ((a.transaction_id, a.category_id, a.source, _confidence(a.confidence), a.suggested) for a in assignments),
    )


def _confidence(value: Decimal | float | None) -> Decimal | None:
    if value is None:
        return None
    return min(Decimal("1"), max(Decimal("0"), Decimal(str(value)))).quantize(Decimal("0.001"))


@dataclass(frozen=True, slots=True)
class ModelDecision:
    category_id: int
    source: str  # "model", or "learned" when the categoriser answered from the household's memory
    confidence: Decimal
    suggested: bool


def model_decision(prediction, categories: dict[str, int]) -> ModelDecision | None:
    """Read one answer of `ml.services.categorize_transactions` (an object or mapping with `category_code` or
    `category`, `confidence`, optionally `source` and `suggested`) and apply the confidence tiers: None when the
    category is unknown or the model is too unsure (< 0.6)."""
    if isinstance(prediction, dict):
        get = prediction.get
    else:

        def get(name, default=None):
            return getattr(prediction, name, default)

    code = get("category_code") or get("category")
    code = getattr(code, "code", code)  # a Category instance
    confidence = _confidence(get("confidence", 0) or 0)
    if code not in categories or confidence < SUGGEST_CONFIDENCE:
        return None
    source = get("source") if get("source") in ("learned", "model") else "model"
    flagged = get("suggested")
    suggested = bool(flagged) if flagged is not None else confidence < APPLY_CONFIDENCE
    return ModelDecision(categories[code], source, confidence, suggested)
