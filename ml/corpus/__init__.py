"""The categoriser's labelled corpus, generated from the merchant list and descriptor formats in this package."""

from ml.corpus.build import (
    CorpusSpec,
    build_full_corpus,
    build_holdout_corpus,
    build_training_corpus,
    corpus_fingerprint,
)
from ml.corpus.generator import LabelledExample
from ml.corpus.merchants import Merchant, merchant_split
from ml.frames import ACCOUNT_TYPES

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
