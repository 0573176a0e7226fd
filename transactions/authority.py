"""Who may set a transaction's category (pure: no Django, so the rule engine and ML code can share it).

Highest first: the user > the household's rules > what the household taught (per-merchant memory) > the bank's own
category > the model. A source never overwrites a category set by a higher one, and nothing overwrites a field
the user changed by hand (listed in `Transaction.user_edited`).
"""

from __future__ import annotations

from collections.abc import Iterable

AUTHORITY: dict[str, int] = {
    "": 0,
    "model": 1,
    "import": 2,
    "bank": 2,
    "learned": 3,
    "rule": 4,
    "user": 5,
}


def may_set_category(*, current_source: str, user_edited: Iterable[str] | None, new_source: str) -> bool:
    """True when `new_source` may replace the current category: it ranks at least as high as the source that set it
    (a rule may re-categorise what a rule set) and the user has not chosen the category by hand."""
    if user_edited and "category" in user_edited:
        return False
    return AUTHORITY.get(new_source, 0) >= AUTHORITY.get(current_source or "", 0)
