"""Test helpers for two-factor authentication: codes computed the way an authenticator app computes them."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.services import totp_setup_begin, totp_setup_confirm


def totp_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The app's code now (or `steps_ahead` 30-second steps later: a device accepts the next step too, and will
    not accept a step it has already seen)."""
    device.refresh_from_db()
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=steps_ahead)
    return f"{value:0{device.digits}d}"


def enable_mfa(user) -> tuple[TOTPDevice, list[str]]:
    """Turn two-factor on for `user` as the set-up page does; returns the device and the backup codes."""
    device = totp_setup_begin(user)
    codes = totp_setup_confirm(user=user, device=device, code=totp_code(device))
    device.refresh_from_db()
    return device, codes


def password_step(client: Client, email: str, password: str):
    """POST the login form (the first step)."""
    return client.post(reverse("account_login"), {"login": email, "password": password})
