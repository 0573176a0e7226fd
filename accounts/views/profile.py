"""Profile, preferences and notification channels sections, and the test notification."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from insights.models import Notification
from insights.notifications import notify_user

from ..forms import NotificationChannelsForm, PreferencesForm, ProfileForm
from ..selectors import preferences_for_user
from ..services import preferences_update, profile_update
from .page import render_section, section_saved


@login_required
@require_POST
def profile_save(request: HttpRequest) -> HttpResponse:
    profile_form = ProfileForm(request.POST, instance=request.user)
    preferences_form = PreferencesForm(request.POST, instance=preferences_for_user(request.user))
    if profile_form.is_valid() and preferences_form.is_valid():
        try:
            profile_update(user=request.user, display_name=profile_form.cleaned_data["display_name"])
            preferences_update(user=request.user, **preferences_form.cleaned_data)
        except ValidationError as exc:
            preferences_form.add_error(None, exc)
        else:
            # A plain form post (not HTMX): theme and privacy mode restyle the whole page, so it is reloaded.
            return section_saved(request, "profile", "Preferences saved.")
    request.user.refresh_from_db(fields=["display_name"])
    return render_section(request, "profile", profile_form=profile_form, preferences_form=preferences_form)


@login_required
@require_POST
def channels_save(request: HttpRequest) -> HttpResponse:
    form = NotificationChannelsForm(request.POST, instance=preferences_for_user(request.user))
    if form.is_valid():
        preferences_update(user=request.user, **form.cleaned_data)
        return section_saved(request, "notifications", "Notification settings saved.")
    return render_section(request, "notifications", channels_form=form)


@login_required
@require_POST
def notification_test(request: HttpRequest) -> HttpResponse:
    """Send the person a notification through every channel they chose, to check that it arrives."""
    notify_user(
        request.user,
        kind="test",
        title="Test notification",
        body="If you can read this, notifications reach you.",
        link=reverse("insights:notification_list"),
        priority=Notification.Priority.NORMAL,
    )
    if request.htmx:
        # The notification itself arrives over the WebSocket; app.js refreshes the bell when the socket is down.
        response = HttpResponse(status=204)
        response["HX-Trigger"] = "fincoach:notification-sent"
        return response
    messages.success(request, "Test notification sent.")
    return redirect(reverse("accounts:settings") + "#notifications")
