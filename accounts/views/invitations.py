"""The invitation link: open to anyone holding it; joining needs an account (new or existing)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ..adapters import PENDING_INVITATION_SESSION_KEY
from ..selectors import invitation_for_token, is_sole_member, membership_for_user
from ..services import invitation_accept


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_open(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_for_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    if not request.user.is_authenticated:
        # Signing up from here joins this household straight away (the account adapter reads this).
        request.session[PENDING_INVITATION_SESSION_KEY] = token
        return render(request, "accounts/invitation.html", {"invitation": invitation, "next": request.path})
    error = None
    if request.method == "POST":
        try:
            household = invitation_accept(token=token, user=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            request.session.pop(PENDING_INVITATION_SESSION_KEY, None)
            messages.success(request, f"Welcome to {household}!")
            return redirect("dashboard")
    current = membership_for_user(request.user)
    context = {
        "invitation": invitation,
        "current": current,
        "already_member": current is not None and current.household_id == invitation.household_id,
        "deletes_current": current is not None and is_sole_member(current),
        "error": error,
    }
    return render(request, "accounts/invitation.html", context)
