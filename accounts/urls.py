"""/settings/: the settings page and the endpoints its sections post to."""

from django.urls import path

from .views import household, mfa, page, profile, tokens

app_name = "accounts"

urlpatterns = [
    path("", page.settings_index, name="settings"),
    path("profile/", profile.profile_save, name="profile_save"),
    path("notifications/", profile.channels_save, name="channels_save"),
    path("notifications/test/", profile.notification_test, name="notification_test"),
    path("household/", household.household_save, name="household_save"),
    path("household/leave/", household.household_leave, name="household_leave"),
    path("household/invitations/", household.invitation_new, name="invitation_new"),
    path(
        "household/invitations/<int:invitation_id>/revoke/",
        household.invitation_cancel,
        name="invitation_revoke",
    ),
    path("household/members/<int:membership_id>/remove/", household.member_remove, name="member_remove"),
    path("household/members/<int:membership_id>/role/", household.member_role, name="member_role"),
    path("tokens/", tokens.token_new, name="token_new"),
    path("tokens/<int:apitoken_id>/revoke/", tokens.token_revoke, name="token_revoke"),
    path("security/two-factor/", mfa.mfa_setup, name="mfa_setup"),
    path("security/two-factor/off/", mfa.mfa_off, name="mfa_disable"),
    path("security/two-factor/backup-codes/", mfa.backup_codes_renew, name="backup_codes"),
]
