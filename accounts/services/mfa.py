"""Two-factor authentication with django-otp: one TOTP authenticator app plus ten single-use backup codes.

Verification deliberately runs in its own short transaction and is never wrapped in an outer one that could roll
back: django-otp records failed attempts (and so its exponential back-off) in the device row, and a rollback after
a wrong code would erase that record and let codes be guessed without delay.
"""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp import verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User

BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"


def normalise_code(code: str) -> str:
    """People paste codes with spaces or dashes ("123 456", "abcd-efgh")."""
    return "".join(ch for ch in code if ch.isalnum()).lower()


def _device_for_code(user: User, code: str) -> Device | None:
    # A six-digit code is from the app; anything else can only be a backup code. Trying one device per code
    # keeps the other device's failure counter (and back-off) untouched by legitimate use.
    if code.isdigit() and len(code) == 6:
        return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    return StaticDevice.objects.devices_for_user(user, confirmed=True).first()


def _throttle_message(device: Device) -> str | None:
    allowed, details = device.verify_is_allowed()
    if allowed:
        return None
    locked_until = (details or {}).get("locked_until")
    if locked_until is None:
        return "Too many wrong codes. Try again in a moment."
    seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
    return f"Too many wrong codes. Try again in {seconds} second{'s' if seconds != 1 else ''}."


def otp_verify(*, user: User, code: str) -> Device:
    """The device that accepts `code` (a TOTP code or an unused backup code, which is then used up).

    Raises ValidationError for a wrong code or while the device is backing off after wrong codes."""
    code = normalise_code(code)
    device = _device_for_code(user, code) if code else None
    if device is None:
        raise ValidationError("That code is not valid.", code="invalid_code")
    throttled = _throttle_message(device)
    if throttled:
        raise ValidationError(throttled, code="throttled")
    verified = verify_token(user, device.persistent_id, code)
    if verified is None:
        raise ValidationError("That code is not valid.", code="invalid_code")
    return verified


def totp_setup_begin(user: User) -> TOTPDevice:
    """The unconfirmed TOTP device whose secret the set-up page shows. Idempotent: reloading the page shows the
    same secret, and an unconfirmed device never counts for logging in."""
    if TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
        raise ValidationError("Two-factor authentication is already on.")
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def totp_setup_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str]:
    """Turn two-factor on once the person proves their app has the secret. Returns the backup codes, which exist
    in plaintext only in this return value's journey to the screen."""
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError("Start the set-up again.")
    throttled = _throttle_message(device)
    if throttled:
        raise ValidationError(throttled, code="throttled")
    if verify_token(user, device.persistent_id, normalise_code(code)) is None:
        raise ValidationError("That code is not valid. Check the time on your phone and try the newest code.")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        return backup_codes_regenerate(user)


@transaction.atomic
def backup_codes_regenerate(user: User) -> list[str]:
    """Replace every backup code with ten new ones."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True})
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def mfa_disable(*, user: User, password: str, code: str) -> None:
    """Turn two-factor off; needs the password and a current code (or a backup code)."""
    if not user.check_password(password):
        raise ValidationError({"password": "That is not your password."})
    try:
        otp_verify(user=user, code=code)
    except ValidationError as exc:
        raise ValidationError({"code": exc.messages}) from exc
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
