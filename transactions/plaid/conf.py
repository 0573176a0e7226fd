"""Plaid settings with their defaults, read at call time so tests (and operators) can change them.

The core settings (PLAID_CLIENT_ID, PLAID_SECRET, PLAID_ENV, PLAID_BASE_URL, PLAID_WEBHOOK_URL,
PLAID_DAYS_REQUESTED) come from fincoach/settings.py; the tuning knobs below fall back to sensible defaults when
the project does not define them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PLAID_HOSTS = {
    "sandbox": "https://sandbox.plaid.com",
    "production": "https://production.plaid.com",
}

# Plaid's /transactions/sync page size limit.
SYNC_PAGE_SIZE = 500


def _setting(name: str, default):
    return getattr(settings, name, default)


def plaid_is_configured() -> bool:
    """True when API credentials are set (the Connect button and syncs need them)."""
    return bool(_setting("PLAID_CLIENT_ID", "") and _setting("PLAID_SECRET", ""))


def plaid_host() -> str:
    """PLAID_BASE_URL when set (a proxy or a local test server), else the host of PLAID_ENV."""
    base_url = _setting("PLAID_BASE_URL", "")
    if base_url:
        return base_url.rstrip("/")
    env = _setting("PLAID_ENV", "sandbox").strip().lower()
    try:
        return PLAID_HOSTS[env]
    except KeyError:
        raise ImproperlyConfigured(
            f"PLAID_ENV must be one of {', '.join(sorted(PLAID_HOSTS))} (got {env!r}); "
            "set PLAID_BASE_URL to use another host"
        ) from None


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter for rate limits, 5xx and network errors."""

    attempts: int
    base_seconds: float
    max_seconds: float


def retry_policy() -> RetryPolicy:
    return RetryPolicy(
        attempts=max(1, int(_setting("PLAID_MAX_ATTEMPTS", 5))),
        base_seconds=float(_setting("PLAID_RETRY_BASE_SECONDS", 0.5)),
        max_seconds=float(_setting("PLAID_RETRY_MAX_SECONDS", 8.0)),
    )


def request_timeout_seconds() -> float:
    return float(_setting("PLAID_TIMEOUT_SECONDS", 30.0))


def days_requested() -> int:
    """History asked for at link time: Plaid accepts 1–730 days."""
    return min(730, max(1, int(_setting("PLAID_DAYS_REQUESTED", 730))))


def country_codes() -> list[str]:
    return [code.upper() for code in _setting("PLAID_COUNTRY_CODES", ["US"])]


def webhook_url() -> str:
    return _setting("PLAID_WEBHOOK_URL", "")


def redirect_uri() -> str:
    """OAuth redirect URI registered in the Plaid dashboard (needed for OAuth banks in production)."""
    return _setting("PLAID_REDIRECT_URI", "")


def client_name() -> str:
    return _setting("PLAID_CLIENT_NAME", "fincoach")


def sync_page_retention_days() -> int:
    """How long raw /transactions/sync pages are kept for replay and debugging."""
    return int(_setting("PLAID_SYNC_PAGE_RETENTION_DAYS", 14))


def history_retention_days() -> int:
    """How long sync runs and webhook events are kept."""
    return int(_setting("PLAID_HISTORY_RETENTION_DAYS", 90))


def sync_lease_seconds() -> int:
    """Lifetime of a sync lock where PostgreSQL advisory locks are unavailable: longer than any sync can run."""
    return int(_setting("PLAID_SYNC_LEASE_SECONDS", _setting("CELERY_TASK_TIME_LIMIT", 30 * 60)))
