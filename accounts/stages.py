"""The one-time-code step of the allauth login flow.

allauth runs its login stages after the password check and only calls `login()` once every stage has passed, so
leaving this page halfway leaves the person signed out: the step cannot be skipped by navigating elsewhere.
"""

from __future__ import annotations

# allauth.account.stages cannot be the first allauth.account module imported (an import cycle inside allauth);
# loading its flows package first breaks the cycle.
import allauth.account.internal.flows  # noqa: F401
from allauth.account.stages import LoginStage, LoginStageController
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from .selectors import is_mfa_enabled


class OTPStage(LoginStage):
    key = "fincoach_otp"
    urlname = "account_login_otp"

    def handle(self):
        user = self.login.user
        if user is None or not is_mfa_enabled(user):
            return None, True
        return HttpResponseRedirect(reverse(self.urlname)), True


def pending_otp_stage(request: HttpRequest) -> OTPStage | None:
    """The code step of the login in progress in this session, if that login is waiting for it."""
    return LoginStageController.enter(request, OTPStage.key)
