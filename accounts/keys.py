"""Bearer secrets (API tokens, invitation links): made with `secrets`, stored only as a SHA-256 digest.

The secrets carry 256 bits of randomness, so an unsalted fast hash is the right tool: nobody can brute-force the
preimage, and a digest lookup stays an indexed equality query.
"""

from __future__ import annotations

import hashlib
import secrets


def new_secret(prefix: str = "") -> str:
    """A URL-safe random secret, optionally prefixed so leaked keys are recognisable (e.g. by secret scanners)."""
    return f"{prefix}{secrets.token_urlsafe(32)}"


def digest(secret: str) -> str:
    """The stored form of a secret: 64 hex characters."""
    return hashlib.sha256(secret.encode()).hexdigest()
