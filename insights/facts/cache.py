"""Caching of expensive per-household aggregates, invalidated by bumping a per-household version.

Keys embed the version, so one `cache.incr` makes every older entry unreachable (they then expire on their own).
`insights.hooks.on_transactions_changed` bumps it whenever transactions change; a time limit bounds staleness from
writes that do not go through that hook (an account's opening balance edited, say).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")
TTL_SECONDS = 15 * 60
VERSION_TTL_SECONDS = 30 * 24 * 3600


def _version_key(household_id: int) -> str:
    return f"insights:household:{household_id}:version"


def _fresh_version() -> int:
    # Time-based, so a version that was evicted never restarts at a number old entries still use.
    return time.time_ns() // 1000


def household_version(household_id: int) -> int:
    version = cache.get(_version_key(household_id))
    if version is None:
        cache.add(_version_key(household_id), _fresh_version(), VERSION_TTL_SECONDS)
        version = cache.get(_version_key(household_id))
    return version


def bump_household_version(household_id: int) -> None:
    """Make every cached aggregate of the household stale."""
    try:
        cache.incr(_version_key(household_id))
    except ValueError:  # not cached (never read, or evicted)
        cache.set(_version_key(household_id), _fresh_version(), VERSION_TTL_SECONDS)


def cached_for_household(household_id: int, name: str, compute: Callable[[], T], *, ttl: int = TTL_SECONDS) -> T:
    key = f"insights:household:{household_id}:v{household_version(household_id)}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, ttl)
    return value
