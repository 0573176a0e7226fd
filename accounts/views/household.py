"""Household section: name and currency, members and their roles, invitations, leaving."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from ..forms import HouseholdForm, InvitationForm, MemberRoleForm
from ..models import Invitation, Membership
from ..services import (
    household_update,
    invitation_create,
    invitation_revoke,
    membership_leave,
    membership_remove,
    membership_set_role,
)
from .page import render_section, section_saved, with_toast


def _error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """A broken rule (e.g. the last owner leaving) shown in the household section."""
    response = render_section(request, "household", household_error=" ".join(error.messages))
    return with_toast(response, error.messages[0], "danger") if request.htmx else response


@login_required
@require_POST
def household_save(request: HttpRequest) -> HttpResponse:
    form = HouseholdForm(request.POST, instance=request.household)
    if form.is_valid():
        household_update(household=request.household, actor=request.user, **form.cleaned_data)
        return section_saved(request, "household", "Household saved.")
    return render_section(request, "household", household_form=form)


@login_required
@require_POST
def invitation_new(request: HttpRequest) -> HttpResponse:
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            issued = invitation_create(
                household=request.household,
                invited_by=request.user,
                base_url=request.build_absolute_uri("/"),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            form.add_error("email", exc)
        else:
            return section_saved(
                request, "household", f"Invitation sent to {issued.invitation.email}.", new_invitation=issued
            )
    return render_section(request, "household", invitation_form=form)


@login_required
@require_POST
def invitation_cancel(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation.objects.for_household(request.household), pk=invitation_id)
    invitation_revoke(invitation=invitation, actor=request.user)
    return section_saved(request, "household", f"Invitation of {invitation.email} revoked.")


@login_required
@require_POST
def member_remove(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.for_household(request.household).select_related("user"), pk=membership_id
    )
    try:
        membership_remove(membership=membership, actor=request.user)
    except ValidationError as exc:
        return _error(request, exc)
    return section_saved(request, "household", f"{membership.user.get_full_name()} was removed from the household.")


@login_required
@require_POST
def member_role(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.for_household(request.household).select_related("user"), pk=membership_id
    )
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        return _error(request, ValidationError("Choose owner or member."))
    try:
        membership_set_role(membership=membership, actor=request.user, role=form.cleaned_data["role"])
    except ValidationError as exc:
        return _error(request, exc)
    return section_saved(
        request, "household", f"{membership.user.get_full_name()} is now {membership.get_role_display().lower()}."
    )


@login_required
@require_POST
def household_leave(request: HttpRequest) -> HttpResponse:
    try:
        membership_leave(user=request.user)
    except ValidationError as exc:
        return _error(request, exc)
    return section_saved(request, "household", "You left the household and now have one of your own.")
