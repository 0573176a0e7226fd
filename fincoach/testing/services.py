"""Tests that need a real service (PostgreSQL, Redis, a Celery worker, a browser) skip when it is absent —
unless FINCOACH_REQUIRE_SERVICES=1 (CI), where an absent service is a failure, never a silent skip."""

from __future__ import annotations

import os
import shutil

import pytest
from django.conf import settings

REQUIRED = os.environ.get("FINCOACH_REQUIRE_SERVICES") == "1"
BROWSER_REQUIRED = REQUIRED or os.environ.get("FINCOACH_REQUIRE_BROWSER") == "1"
CHROMIUM = os.environ.get("FINCOACH_CHROMIUM", "/usr/bin/chromium")


def missing(reason: str, required: bool | None = None) -> None:
    if REQUIRED if required is None else required:
        pytest.fail(f"required service missing: {reason} (FINCOACH_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


def require_redis() -> str:
    if not settings.REDIS_URL:
        missing("REDIS_URL is not set")
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as exc:
        missing(f"Redis at {settings.REDIS_URL} is unreachable: {exc}")
    return settings.REDIS_URL


def require_postgres() -> None:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        missing("DATABASE_URL does not point at PostgreSQL")


def require_chromium() -> str:
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        missing(f"Chromium not found at {CHROMIUM}", required=BROWSER_REQUIRED)
    return CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
