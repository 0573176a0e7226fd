"""allauth glue: every new person gets a household (or joins the one they were invited to), and logins of people
with two-factor authentication pass through the one-time-code stage."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter

from .services import user_onboard

PENDING_INVITATION_SESSION_KEY = "fincoach_pending_invitation"


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            token = request.session.pop(PENDING_INVITATION_SESSION_KEY, None) if request is not None else None
            user_onboard(user, invitation_token=token)
        return user

    def get_login_stages(self) -> list[str]:
        # Last, so that e-mail verification happens before the code is asked for.
        return [*super().get_login_stages(), "accounts.stages.OTPStage"]
