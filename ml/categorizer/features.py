"""Feature space of the categoriser: hashed character and word n-grams of the description, amount and
account-type indicators, and the categories a brand lexicon gives the names in the description
(`ml.categorizer.lexicon`).

The whole batch is processed at once with numpy (one joined string, vectorised rolling hashes), which is what
makes batch categorisation fast: scikit-learn's per-document `char_wb` analyser tops out near 15,000
descriptions per second, this is several times faster. The hashes are our own and fixed, so a saved model
and its features always agree.

Only hashed columns seen in at least `min_df` training descriptions are kept (`FeatureSpace.columns`), which
drops one-off reference numbers and keeps the weight matrices small enough to ship.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ml.account_types import ACCOUNT_TYPES
from ml.categorizer.lexicon import LEXICON_DIM, default_matcher

CHAR_NGRAMS = (3, 4, 5)
CHAR_BUCKETS = 1 << 20
WORD_BUCKETS = 1 << 18
HASHED_DIM = CHAR_BUCKETS + WORD_BUCKETS

# Absolute-amount bin edges: the size of a transaction says a lot (a coffee is not a rent).
AMOUNT_EDGES = np.array([1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0, 3000.0, 10000.0])
_N_ACCOUNTS = len(ACCOUNT_TYPES) + 1  # + unknown
_N_BINS = len(AMOUNT_EDGES) + 1
# Meta columns: sign(2) | account(7) | sign x account(14) | bin(10) | sign x bin(20) | whole, x10, x100 (3)
_OFF_ACCOUNT = 2
_OFF_SIGN_ACCOUNT = _OFF_ACCOUNT + _N_ACCOUNTS
_OFF_BIN = _OFF_SIGN_ACCOUNT + 2 * _N_ACCOUNTS
_OFF_SIGN_BIN = _OFF_BIN + _N_BINS
_OFF_ROUND = _OFF_SIGN_BIN + 2 * _N_BINS
META_DIM = _OFF_ROUND + 3
# Meta indicators are one-hot while the text block is L2-normalised; this balances their influence.
META_WEIGHT = 0.5

_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"[^\S\x00]+")
_EDGE_SPACES = re.compile(r" ?\x00 ?")
_WORD = re.compile(r"[a-z][a-z0-9&'.]+|\x00")
_MULT = np.uint64(0x100000001B3)
_SEED = np.uint64(0xCBF29CE484222325)
_BIGRAM_MULT = np.uint64(0x9E3779B1)


def normalise_batch(descriptions: Sequence[str]) -> str:
    """Lower-case, collapse digit runs to '0' and spaces to one; documents joined by NUL characters."""
    joined = "\x00".join(d.replace("\x00", " ") for d in descriptions).lower()
    joined = _DIGITS.sub("0", joined)
    joined = _SPACES.sub(" ", joined)
    return _EDGE_SPACES.sub("\x00", joined).strip(" ")


def _char_features(normalised: str) -> tuple[np.ndarray, np.ndarray]:
    """(document, bucket) pairs of the word-bounded character n-grams (words padded with one space)."""
    padded = (" " + normalised.replace("\x00", " \x00 ") + " \x00").encode("utf-8", "replace")
    b = np.frombuffer(padded, dtype=np.uint8)
    is_sep = b == 0
    is_space = b == 32
    doc_of = np.cumsum(is_sep) - is_sep
    sep_cum = np.concatenate(([0], np.cumsum(is_sep)))
    space_cum = np.concatenate(([0], np.cumsum(is_space)))
    b64 = b.astype(np.uint64)
    docs, buckets = [], []
    for n in CHAR_NGRAMS:
        m = len(b) - n + 1
        if m <= 0:
            continue
        h = np.full(m, _SEED ^ np.uint64(n), dtype=np.uint64)
        for k in range(n):
            h = (h ^ b64[k : k + m]) * _MULT  # FNV-1a over the n bytes (wraps modulo 2**64)
        start = np.arange(m)
        ok = sep_cum[start + n] == sep_cum[start]  # inside one document
        ok &= space_cum[start + n - 1] == space_cum[start + 1]  # no space inside: stays within a word
        ok &= ~(is_space[start] & is_space[start + 1])
        keep = np.flatnonzero(ok)
        docs.append(doc_of[keep])
        buckets.append(((h[keep] >> np.uint64(24)) % np.uint64(CHAR_BUCKETS)).astype(np.int64))
    if not docs:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(docs), np.concatenate(buckets)


def _word_features(normalised: str) -> tuple[np.ndarray, np.ndarray]:
    """(document, bucket) pairs of word unigrams and bigrams."""
    tokens = _WORD.findall(normalised)
    if not tokens:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    is_sep = np.fromiter((t == "\x00" for t in tokens), dtype=bool, count=len(tokens))
    hashes = np.fromiter((zlib.crc32(t.encode()) for t in tokens), dtype=np.uint64, count=len(tokens))
    doc_of = np.cumsum(is_sep) - is_sep
    words = np.flatnonzero(~is_sep)
    pairs = words[:-1][(words[1:] == words[:-1] + 1)]  # consecutive tokens with no document break between
    bigram = (hashes[pairs] * _BIGRAM_MULT + hashes[pairs + 1] + np.uint64(1)) & np.uint64(0xFFFFFFFF)
    buckets = np.concatenate((hashes[words], bigram)) % np.uint64(WORD_BUCKETS)
    docs = np.concatenate((doc_of[words], doc_of[pairs]))
    return docs, buckets.astype(np.int64) + CHAR_BUCKETS


def hashed_features(descriptions: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(document, hashed column) pairs for all text features of a batch (duplicates = counts)."""
    normalised = normalise_batch(descriptions)
    char_docs, char_cols = _char_features(normalised)
    word_docs, word_cols = _word_features(normalised)
    return np.concatenate((char_docs, word_docs)), np.concatenate((char_cols, word_cols))


def _coerce_amounts(amounts: Sequence[object]) -> np.ndarray:
    out = np.zeros(len(amounts), dtype=np.float64)
    for i, value in enumerate(amounts):
        try:
            out[i] = float(value) if value is not None else 0.0
        except (TypeError, ValueError):
            raise ValueError(f"amount #{i} is not a number: {value!r}") from None
    return np.nan_to_num(out)


def meta_features(amounts: Sequence[object], account_types: Sequence[str | None]) -> sp.csr_matrix:
    """One-hot indicators of money direction, account type, amount size and roundness."""
    values = _coerce_amounts(amounts)
    n = len(values)
    incoming = (values > 0).astype(np.int64)
    lookup = {kind: i for i, kind in enumerate(ACCOUNT_TYPES)}
    account = np.fromiter((lookup.get(a or "", len(ACCOUNT_TYPES)) for a in account_types), np.int64, count=n)
    magnitude = np.abs(values)
    size_bin = np.searchsorted(AMOUNT_EDGES, magnitude)
    cents = np.round(magnitude * 100).astype(np.int64)
    columns = [
        incoming,
        _OFF_ACCOUNT + account,
        _OFF_SIGN_ACCOUNT + incoming * _N_ACCOUNTS + account,
        _OFF_BIN + size_bin,
        _OFF_SIGN_BIN + incoming * _N_BINS + size_bin,
    ]
    rows = [np.arange(n)] * len(columns)
    for k, step in enumerate((100, 1000, 10000)):  # whole units, multiples of 10, of 100
        flagged = np.flatnonzero((cents % step == 0) & (cents > 0))
        rows.append(flagged)
        columns.append(np.full(len(flagged), _OFF_ROUND + k))
    r, c = np.concatenate(rows), np.concatenate(columns)
    data = np.full(len(r), META_WEIGHT, dtype=np.float32)
    return sp.csr_matrix((data, (r, c)), shape=(n, META_DIM))


def _unique_counts(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique values and their counts (sort-based: numpy's hash-based unique is slow on millions)."""
    if not len(keys):
        return keys, np.zeros(0, np.int64)
    ordered = np.sort(keys)
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    counts = np.diff(np.concatenate((starts, [len(ordered)])))
    return ordered[starts], counts


@dataclass(frozen=True)
class FeatureSpace:
    """The fitted part: which hashed columns are kept, and their inverse document frequencies."""

    columns: np.ndarray  # sorted hashed column ids kept (int32)
    idf: np.ndarray  # float32, one per kept column
    lexicon: bool = True  # whether the brand-lexicon block follows the meta block (artefacts before it lack it)

    @property
    def dim(self) -> int:
        return len(self.columns) + META_DIM + (LEXICON_DIM if self.lexicon else 0)

    @classmethod
    def fit(cls, descriptions: Sequence[str], min_df: int = 5) -> FeatureSpace:
        """Keep the hashed columns present in at least `min_df` descriptions; compute smooth IDF."""
        docs, cols = hashed_features(descriptions)
        pairs, _ = _unique_counts(docs * HASHED_DIM + cols)
        df = np.bincount(pairs % HASHED_DIM, minlength=HASHED_DIM)
        columns = np.flatnonzero(df >= min_df).astype(np.int32)
        idf = np.log((1 + len(descriptions)) / (1 + df[columns])) + 1.0
        return cls(columns, idf.astype(np.float32))

    def _lookup(self) -> np.ndarray:
        table = np.full(HASHED_DIM, -1, dtype=np.int32)
        table[self.columns] = np.arange(len(self.columns), dtype=np.int32)
        return table

    def text_matrix(self, descriptions: Sequence[str]) -> sp.csr_matrix:
        """Sublinear TF-IDF of the kept text features, rows L2-normalised."""
        n = len(descriptions)
        docs, cols = hashed_features(descriptions)
        compact = self._lookup()[cols]
        known = compact >= 0
        docs, compact = docs[known], compact[known].astype(np.int64)
        keys, counts = _unique_counts(docs * len(self.columns) + compact)
        rows = keys // max(len(self.columns), 1)
        cols_out = (keys % max(len(self.columns), 1)).astype(np.int32)
        data = ((1.0 + np.log(counts)) * self.idf[cols_out]).astype(np.float32)
        norms = np.sqrt(np.bincount(rows, weights=data.astype(np.float64) ** 2, minlength=n))
        data /= np.maximum(norms[rows], 1e-12).astype(np.float32)
        indptr = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=n))))
        return sp.csr_matrix((data, cols_out, indptr), shape=(n, len(self.columns)))

    def description_blocks(self, descriptions: Sequence[str]) -> list[sp.csr_matrix]:
        """The blocks that depend on the description alone: text, then (for lexicon artefacts) the lexicon."""
        blocks = [self.text_matrix(descriptions)]
        if self.lexicon:
            blocks.append(default_matcher().matrix(descriptions))
        return blocks

    def transform(
        self,
        descriptions: Sequence[str],
        amounts: Sequence[object],
        account_types: Sequence[str | None],
        seen: SeenDescriptions | None = None,
    ) -> sp.csr_matrix:
        """The full feature matrix: text block, meta block, then the lexicon block. Repeated descriptions (a bank
        file is full of them) are featurised once; with `seen`, once across batches too."""
        distinct: dict[str, int] = {}
        inverse = np.fromiter(
            (distinct.setdefault(d, len(distinct)) for d in descriptions), dtype=np.int64, count=len(descriptions)
        )
        unique = list(distinct) if len(distinct) < len(descriptions) else descriptions
        blocks = self.description_blocks(unique) if seen is None else seen.blocks(self, unique)
        if unique is not descriptions:
            blocks = [b[inverse] for b in blocks]
        blocks.insert(1, meta_features(amounts, account_types))
        return sp.hstack(blocks, format="csr", dtype=np.float32)


class SeenDescriptions:
    """The description blocks' rows of descriptions met in earlier batches of one job (an import's chunks repeat
    the same merchants: a 100,000-row file has about a fifth as many distinct descriptions, but each 5,000-row
    chunk meets most of its own for the first time). Bounded: forgets everything past `limit` descriptions."""

    def __init__(self, limit: int = 100_000) -> None:
        self.limit = limit
        self._space: FeatureSpace | None = None
        self._rows: dict[str, tuple[tuple[np.ndarray, np.ndarray], ...]] = {}

    def blocks(self, space: FeatureSpace, unique: Sequence[str]) -> list[sp.csr_matrix]:
        """`space.description_blocks(unique)`, computing only the descriptions not seen before."""
        if space is not self._space:  # rows of another model's features (a retrained one) do not fit
            self._space, self._rows = space, {}
        missing = [d for d in unique if d not in self._rows]
        if len(self._rows) + len(missing) > self.limit:
            self._rows.clear()
            missing = list(unique)
        if missing:
            fresh = space.description_blocks(missing)
            for i, description in enumerate(missing):
                self._rows[description] = tuple(
                    (b.indices[b.indptr[i] : b.indptr[i + 1]], b.data[b.indptr[i] : b.indptr[i + 1]]) for b in fresh
                )
        widths = [len(space.columns)] + ([LEXICON_DIM] if space.lexicon else [])
        rows = [self._rows[d] for d in unique]
        return [_stacked([row[k] for row in rows], width) for k, width in enumerate(widths)]


def _stacked(rows: list[tuple[np.ndarray, np.ndarray]], width: int) -> sp.csr_matrix:
    """A CSR matrix from its rows' (column indices, values)."""
    lengths = np.fromiter((len(indices) for indices, _ in rows), dtype=np.int64, count=len(rows))
    indptr = np.concatenate(([0], np.cumsum(lengths)))
    indices = np.concatenate([indices for indices, _ in rows]) if rows else np.zeros(0, np.int32)
    data = np.concatenate([values for _, values in rows]) if rows else np.zeros(0, np.float32)
    return sp.csr_matrix((data, indices, indptr), shape=(len(rows), width))
