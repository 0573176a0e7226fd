"""Emptying the cache between tests: rate limits (allauth) and API throttles count in it, and would otherwise carry
over from one test to the next."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache


def clear_test_cache() -> None:
    """Forget this test process's cache entries. On Redis only this worker's keys go (parallel workers and the
    channel layer share the server), never the whole database."""
    config = settings.CACHES["default"]
    if not config["BACKEND"].endswith("RedisCache"):
        cache.clear()
        return
    import redis

    client = redis.Redis.from_url(config["LOCATION"])
    try:
        keys = list(client.scan_iter(match=f"{config.get('KEY_PREFIX', '')}:*", count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()
