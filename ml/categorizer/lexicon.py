"""Brand-lexicon features: which categories the lexicon (`ml.corpus.brand_lexicon`) gives the brand names found in a
description.

Matching is on whole tokens (`name_tokens`: "MAXIMUM" never matches "max"), over the token n-grams of one to
`MAX_TOKENS` tokens, longest match first: a match inside a longer one ("express" inside "american express") is
dropped. Vectorised over the batch: one regex pass tokenises the joined batch, tokens become vocabulary ids,
and each n-gram is a packed integer looked up in a sorted key array with `np.searchsorted`.

Features: one indicator per detailed code the matched names map to, and one per primary, in two tiers: names of
one token ("express", "bristol": often also a plain word, a surname or a town) and names of several tokens
("blue bottle coffee"). The linear model learns how far to trust each tier from the training merchants the
lexicon also knows, and from the false matches in everything else.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from functools import cache

import numpy as np
import scipy.sparse as sp

from ml.corpus.brand_lexicon import MAX_TOKENS, load_lexicon
from transactions.taxonomy import BY_CODE

# Columns: every detailed code, then every primary code (taxonomy order, fixed for a given taxonomy).
DETAILED_CODES = tuple(code for code, c in BY_CODE.items() if c.primary != code)
PRIMARY_CODES = tuple(dict.fromkeys(c.primary for c in BY_CODE.values()))
_COLUMN = {code: i for i, code in enumerate(DETAILED_CODES)} | {
    code: len(DETAILED_CODES) + i for i, code in enumerate(PRIMARY_CODES)
}
_TIER_DIM = len(DETAILED_CODES) + len(PRIMARY_CODES)
LEXICON_TIERS = 2  # single-token names, multi-token names
LEXICON_DIM = LEXICON_TIERS * _TIER_DIM
# Indicator value (the text block is L2-normalised, the meta block uses 0.5).
LEXICON_WEIGHT = 0.5

_APOSTROPHES = re.compile(r"['\u2019`\u00b4]")
_TOKENS = re.compile(r"[a-z0-9]+|\x00")


class LexiconMatcher:
    """Finds lexicon names in descriptions; built once from a name -> codes mapping."""

    def __init__(self, lexicon: Mapping[str, Sequence[str]]) -> None:
        names = [n for n in lexicon if n and len(n.split(" ")) <= MAX_TOKENS]
        self.vocab: dict[str, int] = {}
        for name in names:
            for token in name.split(" "):
                self.vocab.setdefault(token, len(self.vocab) + 1)  # 0 = not in the lexicon
        self.separator = len(self.vocab) + 1
        self.bits = max(16, self.separator.bit_length())
        if self.bits * MAX_TOKENS > 64:
            raise ValueError(f"lexicon vocabulary of {len(self.vocab):,} tokens is too large to pack")
        keys = np.array([self._key([self.vocab[t] for t in n.split(" ")]) for n in names], dtype=np.uint64)
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.lengths = np.array([len(names[i].split(" ")) for i in order], dtype=np.int64)
        # Per entry, its feature columns (CSR-style): detailed codes, then their primary.
        columns: list[list[int]] = []
        for i in order:
            codes = [c for c in lexicon[names[i]] if c in _COLUMN]
            primaries = dict.fromkeys(BY_CODE[c].primary for c in codes)
            columns.append([_COLUMN[c] for c in codes if c not in primaries] + [_COLUMN[p] for p in primaries])
        self.entry_ptr = np.concatenate(([0], np.cumsum([len(c) for c in columns]))).astype(np.int64)
        self.entry_cols = np.array([c for cols in columns for c in cols], dtype=np.int64)
        self.names = [names[i] for i in order]

    def _key(self, ids: Sequence[int]) -> int:
        key = 0
        for k, token_id in enumerate(ids):
            key |= token_id << (self.bits * k)
        return key

    def _token_ids(self, descriptions: Sequence[str]) -> np.ndarray:
        joined = "\x00".join(d.replace("\x00", " ") for d in descriptions).lower()
        if not joined.isascii():
            joined = unicodedata.normalize("NFKD", joined).encode("ascii", "ignore").decode("ascii")
        tokens = _TOKENS.findall(_APOSTROPHES.sub("", joined))
        vocab, separator = self.vocab, self.separator
        return np.fromiter(
            (separator if t == "\x00" else vocab.get(t, 0) for t in tokens), dtype=np.uint64, count=len(tokens)
        )

    def match(self, descriptions: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(document index, entry index) of every match kept (longest first; a match inside a longer one is
        dropped)."""
        if not len(descriptions) or not len(self.keys):
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        ids = self._token_ids(descriptions)
        m = len(ids)
        usable = (ids > 0) & (ids != self.separator)
        doc_of = np.cumsum(ids == self.separator)
        starts, entries, lengths = [], [], []
        key = np.zeros(m, dtype=np.uint64)
        valid = np.ones(m, dtype=bool)
        for n in range(1, MAX_TOKENS + 1):
            width = m - n + 1
            if width <= 0:
                break
            key = key[:width] | (ids[n - 1 : n - 1 + width] << np.uint64(self.bits * (n - 1)))
            valid = valid[:width] & usable[n - 1 : n - 1 + width]
            at = np.flatnonzero(valid)
            if not len(at):
                break  # no n-gram of this length is all-lexicon tokens, so no longer one is either
            pos = np.searchsorted(self.keys, key[at])
            pos = np.minimum(pos, len(self.keys) - 1)
            hit = self.keys[pos] == key[at]
            starts.append(at[hit])
            entries.append(pos[hit])
            lengths.append(np.full(int(hit.sum()), n, dtype=np.int64))
        if not starts:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        start, entry, length = np.concatenate(starts), np.concatenate(entries), np.concatenate(lengths)
        if not len(start):
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        # Longest match wins: the longest match covering each token position; a match is dropped when every
        # one of its tokens is covered by a longer match.
        cover = np.zeros(m, dtype=np.int64)
        for k in range(MAX_TOKENS):
            inside = length > k
            np.maximum.at(cover, start[inside] + k, length[inside])
        dominated = np.ones(len(start), dtype=bool)
        for k in range(MAX_TOKENS):
            inside = length > k
            dominated[inside] &= cover[start[inside] + k] > length[inside]
        keep = ~dominated
        return doc_of[start[keep]].astype(np.int64), entry[keep].astype(np.int64)

    def matrix(self, descriptions: Sequence[str]) -> sp.csr_matrix:
        """(n, LEXICON_DIM) indicators of the categories of the names found in each description."""
        n = len(descriptions)
        docs, entries = self.match(descriptions)
        counts = self.entry_ptr[entries + 1] - self.entry_ptr[entries]
        rows = np.repeat(docs, counts)
        offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        cols = self.entry_cols[np.repeat(self.entry_ptr[entries], counts) + offsets]
        tier = np.minimum(np.repeat(self.lengths[entries], counts), LEXICON_TIERS) - 1
        cols = cols + tier * _TIER_DIM
        pairs = np.unique(rows * LEXICON_DIM + cols)
        data = np.full(len(pairs), LEXICON_WEIGHT, dtype=np.float32)
        return sp.csr_matrix((data, (pairs // LEXICON_DIM, pairs % LEXICON_DIM)), shape=(n, LEXICON_DIM))

    def found(self, description: str) -> list[tuple[str, tuple[str, ...]]]:
        """The lexicon names found in one description and the columns' codes (for explanations and tests)."""
        _, entries = self.match([description])
        all_codes = DETAILED_CODES + PRIMARY_CODES
        return [
            (self.names[e], tuple(all_codes[c] for c in self.entry_cols[self.entry_ptr[e] : self.entry_ptr[e + 1]]))
            for e in entries.tolist()
        ]


@cache
def default_matcher() -> LexiconMatcher:
    """The matcher of the committed lexicon (built once per process)."""
    return LexiconMatcher(load_lexicon())
