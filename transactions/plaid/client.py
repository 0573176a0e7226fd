"""The Plaid API through the official `plaid-python` client, with retries and errors we can act on.

Requests are built with plaid-python's models (so they are validated the way Plaid documents them), but responses
are read as JSON by us: the generated models turn amounts into floats, and we want exact `Decimal`s (cents must not
drift) and the page text verbatim, to keep it for replay.
"""

from __future__ import annotations

import json
import logging
import random
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

import plaid
import urllib3
from plaid.api import plaid_api
from plaid.exceptions import ApiException

from . import conf

logger = logging.getLogger(__name__)

# Plaid secrets have recognisable shapes; anything that looks like one is masked before it is stored or logged.
_SECRET_PATTERN = re.compile(r"\b(access|public|link)-(sandbox|development|production)-[0-9a-zA-Z-]{8,}")

MUTATION_DURING_PAGINATION = "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION"
_RETRYABLE_TYPES = {"RATE_LIMIT_EXCEEDED", "API_ERROR", "INSTITUTION_ERROR"}


def redact_secrets(text: str) -> str:
    """Mask anything shaped like a Plaid access/public/link token."""
    return _SECRET_PATTERN.sub(lambda m: f"{m.group(1)}-{m.group(2)}-[redacted]", text or "")


class PlaidError(Exception):
    """A failed Plaid call, reduced to what we act on. Its text never carries a token."""

    def __init__(
        self,
        *,
        status: int,
        error_type: str,
        error_code: str,
        message: str,
        display_message: str = "",
        request_id: str = "",
    ):
        self.status = status
        self.error_type = error_type
        self.error_code = error_code
        self.message = redact_secrets(message)
        self.display_message = redact_secrets(display_message)
        self.request_id = request_id
        super().__init__(self.describe())

    def describe(self) -> str:
        code = self.error_code or f"HTTP {self.status}"
        text = f"Plaid {code}: {self.message}" if self.message else f"Plaid {code}"
        return f"{text} (request {self.request_id})" if self.request_id else text

    @property
    def user_message(self) -> str:
        """What to show a person: Plaid's display message when it wrote one."""
        return self.display_message or self.message or "The bank connection failed."

    @property
    def retryable(self) -> bool:
        """Rate limits, Plaid/institution outages and network failures are worth another try."""
        return self.status == 0 or self.status == 429 or self.status >= 500 or self.error_type in _RETRYABLE_TYPES

    @property
    def is_mutation_during_pagination(self) -> bool:
        return self.error_code == MUTATION_DURING_PAGINATION

    @classmethod
    def from_api_exception(cls, exc: ApiException) -> PlaidError:
        body: dict[str, Any] = {}
        try:
            parsed = json.loads(exc.body or b"{}")
            body = parsed if isinstance(parsed, dict) else {}
        except (TypeError, ValueError):
            pass
        status = int(exc.status or 0)
        return cls(
            status=status,
            error_type=str(body.get("error_type") or ("API_ERROR" if status >= 500 else "")),
            error_code=str(body.get("error_code") or ""),
            message=str(body.get("error_message") or exc.reason or ""),
            display_message=str(body.get("display_message") or ""),
            request_id=str(body.get("request_id") or ""),
        )

    @classmethod
    def network(cls, exc: Exception) -> PlaidError:
        return cls(status=0, error_type="NETWORK_ERROR", error_code="NETWORK_ERROR", message=type(exc).__name__)


@dataclass(frozen=True)
class PlaidResponse:
    """A successful response: the JSON text as received and its parsed form (numbers as Decimal)."""

    text: str
    data: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)


@lru_cache(maxsize=4)
def _api(host: str, client_id: str, secret: str) -> plaid_api.PlaidApi:
    configuration = plaid.Configuration(host=host, api_key={"clientId": client_id, "secret": secret})
    configuration.retries = 0  # we retry ourselves, with backoff and only where it is safe
    return plaid_api.PlaidApi(plaid.ApiClient(configuration))


def plaid_api_client() -> plaid_api.PlaidApi:
    """The configured plaid-python client (one connection pool per host and credentials)."""
    from django.conf import settings

    if not conf.plaid_is_configured():
        raise PlaidError(
            status=0,
            error_type="NOT_CONFIGURED",
            error_code="NOT_CONFIGURED",
            message="Plaid is not configured: set PLAID_CLIENT_ID and PLAID_SECRET",
        )
    return _api(conf.plaid_host(), settings.PLAID_CLIENT_ID, settings.PLAID_SECRET)


def call_once(operation: str, request: Any) -> PlaidResponse:
    """One Plaid call: `operation` is a PlaidApi method name (`transactions_sync`), `request` its request model."""
    method = getattr(plaid_api_client(), operation)
    try:
        raw = method(request, _preload_content=False, _request_timeout=conf.request_timeout_seconds())
    except ApiException as exc:
        raise PlaidError.from_api_exception(exc) from None
    except urllib3.exceptions.HTTPError as exc:
        raise PlaidError.network(exc) from None
    try:
        text = raw.data.decode("utf-8")
        data = json.loads(text, parse_float=Decimal)
    except (UnicodeDecodeError, ValueError):
        raise PlaidError(
            status=raw.status, error_type="API_ERROR", error_code="INVALID_RESPONSE", message="response is not JSON"
        ) from None
    finally:
        raw.release_conn()
    return PlaidResponse(text=text, data=data)


def backoff_delays(policy: conf.RetryPolicy, rng: random.Random | None = None) -> Iterator[float]:
    """Delays before each retry: an exponentially growing, capped window, jittered between its half and its end
    (so clients that failed together do not retry together, and every retry still waits)."""
    rng = rng or random.Random()
    for attempt in range(policy.attempts - 1):
        window = min(policy.max_seconds, policy.base_seconds * (2**attempt))
        yield rng.uniform(window / 2, window)


def call(operation: str, request: Any, *, sleep: Callable[[float], None] = time.sleep) -> PlaidResponse:
    """`call_once` retried with exponential backoff and jitter on rate limits, 5xx and network errors."""
    delays = backoff_delays(conf.retry_policy())
    while True:
        try:
            return call_once(operation, request)
        except PlaidError as exc:
            if not exc.retryable:
                raise
            delay = next(delays, None)
            if delay is None:
                raise
            logger.warning("Plaid %s failed (%s); retrying in %.2fs", operation, exc.describe(), delay)
            sleep(delay)
