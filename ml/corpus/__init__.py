"""The categoriser's labelled corpus, generated from the merchant list and descriptor formats in this package."""

from ml.account_types import ACCOUNT_TYPES
from ml.corpus.build import (
    CorpusSpec,
    build_full_corpus,
    build_holdout_corpus,
    build_training_corpus,
    corpus_fingerprint,
)
from ml.corpus.generator import LabelledExample
from ml.corpus.merchants import Merchant, merchant_split

__all__ = [
    "ACCOUNT_TYPES",
    "CorpusSpec",
    "LabelledExample",
    "Merchant",
    "build_full_corpus",
    "build_holdout_corpus",
    "build_training_corpus",
    "corpus_fingerprint",
    "merchant_split",
]
