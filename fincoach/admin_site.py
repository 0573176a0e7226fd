"""The Django admin, reachable only by staff whose session passed two-factor authentication (django-otp).

There is one way in: the normal login (allauth, rate-limited, with its one-time-code step). The admin's own login
page sends people there, or tells a signed-in staff member without a verified session what is missing.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.admin import OTPAdminSite


class FincoachAdminSite(OTPAdminSite):
    site_header = "fincoach administration"
    site_title = "fincoach admin"
    index_title = "Operations"

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        next_url = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
            next_url = reverse("admin:index", current_app=self.name)
        if not request.user.is_authenticated:
            return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")
        if self.has_permission(request):
            return HttpResponseRedirect(next_url)
        # Signed in, but not staff, or staff without a two-factor-verified session.
        context = {
            **self.each_context(request),
            "title": "Two-factor authentication required",
            "is_staff": request.user.is_staff,
            **(extra_context or {}),
        }
        return render(request, "admin/otp_required.html", context, status=403)
