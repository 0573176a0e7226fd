"""Small text helpers shared by the readers: whitespace, header keys, description joining."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

DESCRIPTION_JOINER = " - "

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def clean_whitespace(text: str) -> str:
    """Collapse runs of whitespace (including newlines and no-break spaces) into single spaces."""
    return " ".join(text.split())


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """A comparison key for headers and keywords: no accents, lower case, punctuation as single spaces.

    `Auftraggeber/Empfänger` and `auftraggeber empfanger` fold to the same key; `ß` becomes `ss`.
    """
    decomposed = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return _NON_ALNUM.sub(" ", ascii_only).strip()


def join_description(parts: Iterable[str]) -> str:
    """Join description parts (payee, memo...), dropping empty ones and ones another part already contains.

    Banks often truncate the payee and repeat it in the memo, so `AMAZON MKTPL` + `AMAZON MKTPL*2K4` gives
    just the longer memo.
    """
    kept: list[str] = []
    keys: list[str] = []
    for part in parts:
        part = " ".join(part.split())
        if not part:
            continue
        key = part.casefold()
        if any(key in other for other in keys):
            continue
        for index in range(len(keys) - 1, -1, -1):
            if keys[index] in key:
                del kept[index], keys[index]
        kept.append(part)
        keys.append(key)
    return DESCRIPTION_JOINER.join(kept)
