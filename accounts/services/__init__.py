"""Writes for people and households, one module per concern. Each service is atomic; side effects go on commit.

Rules are enforced here, not in views or forms: a rule broken by the caller raises `ValidationError` (shown to
the person), acting without the right role raises `PermissionDenied` (a 403).
"""

from .households import (
    household_create_for_user,
    household_update,
    membership_leave,
    membership_remove,
    membership_set_role,
)
from .invitations import (
    invitation_accept,
    invitation_create,
    invitation_revoke,
    invitation_revoke_by_operator,
    user_onboard,
)
from .mfa import backup_codes_regenerate, mfa_disable, otp_verify, totp_setup_begin, totp_setup_confirm
from .profile import preferences_update, profile_update
from .tokens import api_token_create, api_token_revoke

__all__ = [
    "api_token_create",
    "api_token_revoke",
    "backup_codes_regenerate",
    "household_create_for_user",
    "household_update",
    "invitation_accept",
    "invitation_create",
    "invitation_revoke",
    "invitation_revoke_by_operator",
    "membership_leave",
    "membership_remove",
    "membership_set_role",
    "mfa_disable",
    "otp_verify",
    "preferences_update",
    "profile_update",
    "totp_setup_begin",
    "totp_setup_confirm",
    "user_onboard",
]
