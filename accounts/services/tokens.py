"""Personal API tokens: created with a key shown once, stored as a digest, revoked rather than deleted (so the
settings page and the admin keep a trail)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.keys import digest, new_secret
from accounts.models import ApiToken, User

KEY_PREFIX = "fc_"
SHOWN_PREFIX_LENGTH = 10  # "fc_" and 7 random characters: enough to tell tokens apart, useless to an attacker
MAX_ACTIVE_TOKENS = 25


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str  # the only time the plaintext key exists outside the client


@transaction.atomic
def api_token_create(*, user: User, name: str, scope: str = ApiToken.Scope.READ) -> IssuedToken:
    name = name.strip()
    if not name:
        raise ValidationError("Give the token a name, so you know later where it is used.")
    if scope not in ApiToken.Scope.values:
        raise ValidationError(f"Unknown scope {scope!r}.")
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(f"You already have {MAX_ACTIVE_TOKENS} active tokens; revoke one first.")
    key = new_secret(KEY_PREFIX)
    token = ApiToken.objects.create(
        user=user, name=name[:80], scope=scope, prefix=key[:SHOWN_PREFIX_LENGTH], key_hash=digest(key)
    )
    return IssuedToken(token=token, key=key)


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
