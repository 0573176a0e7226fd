"""Two-factor authentication: set-up (QR code and secret, confirm with a code, backup codes shown once), backup
code renewal, switching off, and the code step of the login flow."""

from __future__ import annotations

from base64 import b32encode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from ..forms import LoginCodeForm, MfaDisableForm, OtpCodeForm, TotpConfirmForm
from ..qr import qr_svg
from ..selectors import is_mfa_enabled
from ..services import backup_codes_regenerate, mfa_disable, otp_verify, totp_setup_begin, totp_setup_confirm
from ..stages import pending_otp_stage
from .page import render_section, section_saved


def _grouped(secret: str, size: int = 4) -> str:
    return " ".join(secret[i : i + size] for i in range(0, len(secret), size))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def mfa_setup(request: HttpRequest) -> HttpResponse:
    if is_mfa_enabled(request.user):
        messages.info(request, "Two-factor authentication is already on.")
        return redirect(reverse("accounts:settings") + "#security")
    device = totp_setup_begin(request.user)
    form = TotpConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = totp_setup_confirm(user=request.user, device=device, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc)
        else:
            device.refresh_from_db()
            otp_login(request, device)  # this session proved the second factor just now
            messages.success(request, "Two-factor authentication is on.")
            return render(request, "accounts/mfa/backup_codes.html", {"codes": codes})
    secret = b32encode(device.bin_key).decode()
    context = {"form": form, "secret": _grouped(secret), "raw_secret": secret, "qr_svg": qr_svg(device.config_url)}
    return render(request, "accounts/mfa/setup.html", context)


@never_cache
@login_required
@require_POST
def backup_codes_renew(request: HttpRequest) -> HttpResponse:
    form = OtpCodeForm(request.POST)
    if form.is_valid():
        try:
            otp_verify(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc)
        else:
            codes = backup_codes_regenerate(request.user)
            return section_saved(
                request, "security", "New backup codes made; the old ones no longer work.", new_backup_codes=codes
            )
    return render_section(request, "security", backup_codes_form=form)


@login_required
@require_POST
def mfa_off(request: HttpRequest) -> HttpResponse:
    form = MfaDisableForm(request.POST)
    if form.is_valid():
        try:
            mfa_disable(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)  # carries per-field errors (password, code)
        else:
            return section_saved(request, "security", "Two-factor authentication is off.")
    return render_section(request, "security", mfa_disable_form=form)


@never_cache
@require_http_methods(["GET", "POST"])
def login_otp(request: HttpRequest) -> HttpResponse:
    """The code step between the password and being signed in (an allauth login stage)."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    stage = pending_otp_stage(request)
    if stage is None:  # no login in progress (or it timed out): start again
        return redirect("account_login")
    if request.method == "POST" and "cancel" in request.POST:
        return stage.abort()
    form = LoginCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = otp_verify(user=stage.login.user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc)
        else:
            # django-otp marks the session as verified when login() sees `otp_device` on the user.
            stage.login.user.otp_device = device
            return stage.exit()
    return render(request, "mfa/authenticate.html", {"form": form, "email": stage.login.user.email})
