"""Verifying Plaid webhooks, as Plaid documents it.

The `Plaid-Verification` header is a JWT signed with ES256 by a key Plaid publishes at
`/webhook_verification_key/get` (looked up by the JWT's `kid`, cached here). The webhook is genuine when the
signature verifies, the key has not expired, `iat` is at most five minutes old, and the SHA-256 of the body we
received equals the token's `request_body_sha256`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
import time

import jwt
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from jwt.algorithms import ECAlgorithm
from plaid.model.webhook_verification_key_get_request import WebhookVerificationKeyGetRequest

from . import client
from .models import PlaidWebhookKey

MAX_AGE_SECONDS = 5 * 60
# Tolerated difference between Plaid's clock and ours for an `iat` that seems to lie in the future.
CLOCK_SKEW_SECONDS = 30
# Cached keys are looked up again after this long, to learn when Plaid expires them.
KEY_REFRESH_AFTER = dt.timedelta(hours=24)
# A kid Plaid does not know is remembered for a while, so forged webhooks cannot make us call Plaid each time.
UNKNOWN_KID_SECONDS = 5 * 60
_KID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,100}$")


class WebhookVerificationError(Exception):
    """The webhook cannot be shown to come from Plaid; the message says why (safe to log)."""


def verify_webhook(body: bytes, token: str | None, *, now: float | None = None) -> dict:
    """Check a webhook's `Plaid-Verification` token against its raw body; return the token's claims."""
    if not token:
        raise WebhookVerificationError("missing Plaid-Verification header")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise WebhookVerificationError("Plaid-Verification is not a JWT") from None
    if header.get("alg") != "ES256":
        raise WebhookVerificationError(f"unexpected JWT algorithm {header.get('alg')!r}")
    kid = str(header.get("kid") or "")
    if not _KID_PATTERN.match(kid):
        raise WebhookVerificationError("missing or malformed key id")
    public_key = ECAlgorithm.from_jwk(json.dumps(_verification_key(kid)))
    try:
        claims = jwt.decode(
            token, key=public_key, algorithms=["ES256"], options={"require": ["iat"]}, leeway=CLOCK_SKEW_SECONDS
        )
    except jwt.PyJWTError as exc:
        raise WebhookVerificationError(f"signature check failed: {exc}") from None
    now = time.time() if now is None else now
    if now - int(claims["iat"]) > MAX_AGE_SECONDS:
        raise WebhookVerificationError("webhook is older than five minutes")
    expected = str(claims.get("request_body_sha256") or "")
    if not hmac.compare_digest(expected.encode(), hashlib.sha256(body).hexdigest().encode()):
        raise WebhookVerificationError("body does not match the signed hash")
    return claims


def _verification_key(kid: str) -> dict:
    """The JWK for `kid`: from our cache, else from Plaid."""
    key = PlaidWebhookKey.objects.filter(kid=kid).first()
    if key is None or key.fetched_at < timezone.now() - KEY_REFRESH_AFTER:
        key = _fetch_key(kid, cached=key)
    if key.expired_at is not None and key.expired_at <= timezone.now():
        raise WebhookVerificationError("the signing key has expired")
    return key.jwk


def _fetch_key(kid: str, *, cached: PlaidWebhookKey | None) -> PlaidWebhookKey:
    unknown_marker = f"plaid:unknown-webhook-kid:{kid}"
    if cached is None and cache.get(unknown_marker):
        raise WebhookVerificationError("unknown signing key")
    try:
        jwk = client.call("webhook_verification_key_get", WebhookVerificationKeyGetRequest(key_id=kid))["key"]
    except client.PlaidError as exc:
        if cached is not None:
            return cached  # keep using a key we have while Plaid cannot be asked again
        if not exc.retryable:
            cache.set(unknown_marker, True, UNKNOWN_KID_SECONDS)
            raise WebhookVerificationError("unknown signing key") from None
        raise WebhookVerificationError(f"could not fetch the signing key: {exc.describe()}") from None
    values = {
        "jwk": {k: v for k, v in jwk.items() if k not in ("created_at", "expired_at")},
        "key_created_at": _from_timestamp(jwk.get("created_at")),
        "expired_at": _from_timestamp(jwk.get("expired_at")),
        "fetched_at": timezone.now(),
    }
    try:
        with transaction.atomic():
            key, _ = PlaidWebhookKey.objects.update_or_create(kid=kid, defaults=values)
    except IntegrityError:  # fetched concurrently by another request: theirs is as good as ours
        key = PlaidWebhookKey.objects.get(kid=kid)
    return key


def _from_timestamp(value) -> dt.datetime | None:
    if value in (None, ""):
        return None
    return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
