"""Deterministic train / held-out splits that do not depend on the training seed.

Splits rank items by a salted SHA-256 of their key (never Python's randomised `hash()`), so the same
merchants, names and cities are held out on every machine and every run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

T = TypeVar("T")

# Every HOLDOUT_EVERY-th item (by hash rank) is held out: 20 %.
HOLDOUT_EVERY = 5


def stable_rank(key: str, salt: str) -> int:
    """A stable pseudo-random integer for `key` (same on every platform and Python run)."""
    return int.from_bytes(hashlib.sha256(f"{salt}:{key}".encode()).digest()[:8], "big")


def split_items(items: Sequence[T], key: Callable[[T], str], salt: str) -> tuple[list[T], list[T]]:
    """Split `items` into (train, holdout); every HOLDOUT_EVERY-th by hash rank goes to holdout.

    A group of fewer than two items stays entirely in training: a held-out example of a category that
    has no training example at all would only measure the taxonomy, not the model.
    """
    if len(items) < 2:
        return list(items), []
    ranked = sorted(items, key=lambda item: stable_rank(key(item), salt))
    train = [item for i, item in enumerate(ranked) if i % HOLDOUT_EVERY != HOLDOUT_EVERY // 2]
    holdout = [item for i, item in enumerate(ranked) if i % HOLDOUT_EVERY == HOLDOUT_EVERY // 2]
    return train, holdout


def split_pool(pool: Iterable[T], salt: str) -> tuple[tuple[T, ...], tuple[T, ...]]:
    """Split a pool of names (strings or tuples of strings) into (train, holdout) tuples."""
    train, holdout = split_items(list(pool), key=repr, salt=salt)
    return tuple(train), tuple(holdout)
