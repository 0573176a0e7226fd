"""Personal API tokens: `Authorization: Token <key>`; only a SHA-256 of the key is stored.

A token's scope is enforced here rather than in permission classes, so no view can forget it: a read-only token
is refused for writes whatever permissions the view declares.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from rest_framework import authentication, exceptions

from .keys import digest
from .models import ApiToken

LAST_USED_RESOLUTION = timedelta(minutes=1)


class ReadOnlyToken(exceptions.PermissionDenied):
    default_detail = "This API token is read-only."
    default_code = "token_read_only"


class ApiTokenAuthentication(authentication.TokenAuthentication):
    keyword = "Token"
    model = ApiToken

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None and not result[1].allows_method(request.method):
            raise ReadOnlyToken()
        return result

    def authenticate_credentials(self, key: str):
        token = ApiToken.objects.select_related("user").filter(key_hash=digest(key), revoked_at__isnull=True).first()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid or revoked API token.")
        now = timezone.now()
        # Avoid a write per request: last-used is kept to the minute.
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token
