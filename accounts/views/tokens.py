"""API tokens section: create (the key is shown once), revoke."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from ..forms import ApiTokenForm
from ..models import ApiToken
from ..services import api_token_create, api_token_revoke
from .page import render_section, section_saved


@login_required
@require_POST
def token_new(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            issued = api_token_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return section_saved(
                request, "tokens", f"Token “{issued.token.name}” created. Copy it now.", new_token=issued
            )
    return render_section(request, "tokens", token_form=form)


@login_required
@require_POST
def token_revoke(request: HttpRequest, apitoken_id: int) -> HttpResponse:
    # Tokens are personal: another person's token is a 404, even within the household.
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=apitoken_id)
    api_token_revoke(token=token)
    return section_saved(request, "tokens", f"Token “{token.name}” revoked.")
