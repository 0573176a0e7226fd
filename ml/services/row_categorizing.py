"""The model's decisions for rows not saved yet — an import's — with the confidence tiers applied.

Split from `categorizing` because an import calls it from its parsing thread: everything that reads the database
happens in `row_categorizer()`, on the caller's thread; the function it returns only reads files and memory.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from ml.categorizer.features import SeenDescriptions

from .categorizing import CategoryDecision, categorizer, decision_for, system_category_ids

RowCategorizer = Callable[[Sequence[str], Sequence[Decimal], str], list[CategoryDecision | None]]


def row_categorizer() -> RowCategorizer:
    """A function deciding the category of rows (descriptions, signed amounts, the account's kind), in order; None
    where the model is too unsure. The category ids are read now; the model loads on the first call."""
    system_category_ids()
    seen = SeenDescriptions()  # an import's chunks repeat its merchants: each description is featurised once

    def categorize(descriptions: Sequence[str], amounts: Sequence[Decimal], account_kind: str):
        codes, confidences = categorizer().decide(descriptions, amounts, [account_kind] * len(descriptions), seen)
        decided: dict[tuple[str, float], CategoryDecision | None] = {}  # a few hundred distinct answers
        out = []
        for code, confidence in zip(codes, confidences.round(3).tolist(), strict=True):
            key = (code, confidence)
            if key not in decided:
                decided[key] = decision_for(code, confidence)
            out.append(decided[key])
        return out

    return categorize
