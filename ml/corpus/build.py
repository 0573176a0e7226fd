"""Labelled corpora for the categoriser: training, held-out evaluation, and everything (for the shipped model).

The held-out corpus uses different merchants (brands, bank phrases and invented local businesses), different
city and person names, and different descriptor formats from the training corpus (see `merchant_split`
and the `H` templates), so its accuracy estimates how the model does on merchants it has never seen.
The shipped model is trained on `part="all"`: every merchant, in every format.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass

from ml.corpus.generator import LabelledExample, generate_example
from ml.corpus.merchants import Merchant, merchant_split

# Examples per merchant, by origin: brands vary in spelling and format more than a local shop does.
TRAIN_EXAMPLES = {"brand": 30, "phrase": 40, "local": 10}
HOLDOUT_EXAMPLES = {"brand": 12, "phrase": 15, "local": 5}
PARTS = ("train", "holdout", "all")


def _examples(
    merchants: Sequence[Merchant], per_origin: Mapping[str, int], side: str, seed: int, scale: float
) -> list[LabelledExample]:
    rng = random.Random(f"corpus:{side}:{seed}")
    out: list[LabelledExample] = []
    for merchant in merchants:
        count = max(1, round(per_origin[merchant.origin] * scale))
        out.extend(generate_example(merchant, rng, side) for _ in range(count))
    return out


def build_training_corpus(seed: int = 0, scale: float = 1.0) -> list[LabelledExample]:
    """The training corpus (about 75,000 examples at scale 1; use a small scale in tests)."""
    return _examples(merchant_split().train, TRAIN_EXAMPLES, "train", seed, scale)


def build_holdout_corpus(seed: int = 0, scale: float = 1.0) -> list[LabelledExample]:
    """The held-out corpus: unseen merchants, names, cities and formats (about 9,000 examples at scale 1)."""
    return _examples(merchant_split().holdout, HOLDOUT_EXAMPLES, "holdout", seed, scale)


def build_new_format_corpus(seed: int = 0, scale: float = 1.0) -> list[LabelledExample]:
    """Training merchants printed only in held-out formats, with held-out city and person names.

    Not part of training: it measures the common case in production, a known merchant in a bank format
    (or from a bank) the model has not seen.
    """
    return _examples(merchant_split().train, HOLDOUT_EXAMPLES, "holdout", seed, scale * 0.5)


def build_full_corpus(seed: int = 0, scale: float = 1.0) -> list[LabelledExample]:
    """Every merchant in every format, at training density: what the shipped model learns from."""
    split = merchant_split()
    return _examples(split.train + split.holdout, TRAIN_EXAMPLES, "any", seed, scale)


@dataclass(frozen=True)
class CorpusSpec:
    """A reproducible recipe for a generated corpus (stored in the model so a retrain can rebuild it)."""

    part: str = "all"
    seed: int = 0
    scale: float = 1.0

    def __post_init__(self) -> None:
        if self.part not in PARTS:
            raise ValueError(f"corpus part must be one of {PARTS}, got {self.part!r}")
        if not 0 < self.scale <= 10:
            raise ValueError(f"corpus scale must be in (0, 10], got {self.scale}")

    def build(self) -> list[LabelledExample]:
        builder = {"train": build_training_corpus, "holdout": build_holdout_corpus, "all": build_full_corpus}
        return builder[self.part](self.seed, self.scale)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def corpus_fingerprint(examples: Iterable[LabelledExample]) -> str:
    """A SHA-256 over the examples' content: same data, same fingerprint."""
    digest = hashlib.sha256()
    for ex in examples:
        digest.update(f"{ex.description}\t{ex.amount:.2f}\t{ex.account_type}\t{ex.category}\n".encode())
    return digest.hexdigest()
