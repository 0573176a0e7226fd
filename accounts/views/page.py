"""The settings page: one page of sections. A section's form posts to its own URL; HTMX requests get the section
back (re-read from the database), other requests the whole page or a redirect to it."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from fincoach.htmx import render_page

from ..forms import (
    ApiTokenForm,
    HouseholdForm,
    InvitationForm,
    MfaDisableForm,
    NotificationChannelsForm,
    OtpCodeForm,
    PreferencesForm,
    ProfileForm,
)
from ..selectors import (
    api_tokens_for_user,
    household_members,
    membership_for_user,
    mfa_status,
    open_invitations,
    preferences_for_user,
)

SECTIONS = ("profile", "household", "security", "tokens", "notifications")


def settings_context(request: HttpRequest, **overrides) -> dict:
    """Everything the page shows, fresh from the database; `overrides` swap in bound forms or one-time values."""
    user = request.user
    membership = membership_for_user(user)
    household = membership.household
    preferences = preferences_for_user(user)
    context = {
        "membership": membership,
        "household": household,
        "is_owner": membership.is_owner,
        "members": list(household_members(household)),
        "invitations": list(open_invitations(household)) if membership.is_owner else [],
        "tokens": list(api_tokens_for_user(user)),
        "mfa": mfa_status(user),
        "profile_form": ProfileForm(instance=user),
        "preferences_form": PreferencesForm(instance=preferences),
        "channels_form": NotificationChannelsForm(instance=preferences),
        "household_form": HouseholdForm(instance=household),
        "invitation_form": InvitationForm(),
        "token_form": ApiTokenForm(),
        "mfa_disable_form": MfaDisableForm(),
        "backup_codes_form": OtpCodeForm(),
    }
    context.update(overrides)
    return context


def render_section(request: HttpRequest, section: str, **overrides) -> HttpResponse:
    """The section for HTMX requests, the whole page otherwise."""
    if section not in SECTIONS:
        raise ValueError(f"unknown settings section {section!r}")
    context = settings_context(request, **overrides)
    return render_page(request, "accounts/settings.html", context, partial=f"accounts/settings/{section}.html")


def with_toast(response: HttpResponse, message: str, level: str = "success") -> HttpResponse:
    """Ask the page (app.js) to show a toast once HTMX has swapped the response in."""
    response["HX-Trigger"] = json.dumps({"fincoach:toast": {"message": message, "level": level}})
    return response


def section_saved(request: HttpRequest, section: str, message: str, **one_time) -> HttpResponse:
    """After a successful change: the fresh section (HTMX) or a redirect back to it. Values that may be shown
    only once (a new token's key, backup codes) are rendered straight away instead of surviving a redirect."""
    if request.htmx:
        return with_toast(render_section(request, section, **one_time), message)
    messages.success(request, message)
    if one_time:
        return render_section(request, section, **one_time)
    return redirect(reverse("accounts:settings") + f"#{section}")


@login_required
def settings_index(request: HttpRequest) -> HttpResponse:
    return render_page(request, "accounts/settings.html", settings_context(request))
