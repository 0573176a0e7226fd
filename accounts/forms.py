"""Forms of the settings pages and the login code step. They validate input only; services make the changes."""

from __future__ import annotations

from django import forms

from fincoach.money import COMMON_CURRENCIES

from .models import ApiToken, Household, Membership, Preferences, User, timezone_names

CURRENCY_CHOICES = [(code, code) for code in COMMON_CURRENCIES]


class SectionIds:
    """Field ids prefixed per form: the settings page shows several forms with same-named fields (`name`,
    `currency`, `code`), and ids and label targets must stay unique."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


def _currency_choices(current: str | None) -> list[tuple[str, str]]:
    """The usual currencies, plus the one already saved if it is a rarer one."""
    if current and current not in COMMON_CURRENCIES:
        return [(current, current), *CURRENCY_CHOICES]
    return CURRENCY_CHOICES


class ProfileForm(SectionIds, forms.ModelForm):
    id_prefix = "profile"

    class Meta:
        model = User
        fields = ["display_name"]
        labels = {"display_name": "Your name"}
        help_texts = {"display_name": "How fincoach and your household see you."}


class PreferencesForm(SectionIds, forms.ModelForm):
    """Every preference except the notification channels, which have their own section."""

    id_prefix = "prefs"

    timezone = forms.ChoiceField(label="Time zone")

    class Meta:
        model = Preferences
        fields = [
            "currency",
            "date_format",
            "week_start",
            "timezone",
            "theme",
            "coaching_tone",
            "insight_frequency",
            "privacy_mode",
            "llm_share_merchants",
        ]
        labels = {
            "date_format": "Date format",
            "week_start": "Weeks start on",
            "coaching_tone": "Coaching tone",
            "insight_frequency": "Coaching frequency",
            "privacy_mode": "Privacy mode",
        }
        help_texts = {
            "week_start": "",
            "privacy_mode": "Blur amounts on screen until you click them.",
            "llm_share_merchants": "Only used when a language model is configured.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = [(tz, tz.replace("_", " ")) for tz in timezone_names()]
        self.fields["currency"] = forms.ChoiceField(
            label="Display currency", choices=_currency_choices(self.instance.currency)
        )


class NotificationChannelsForm(SectionIds, forms.ModelForm):
    id_prefix = "channels"

    class Meta:
        model = Preferences
        fields = ["notify_in_app", "notify_email"]
        labels = {"notify_in_app": "Show notifications in the app", "notify_email": "Also send them by e-mail"}
        help_texts = {
            "notify_in_app": "Live pop-ups and the bell's unread count. When off, notifications are kept in the "
            "list as already read."
        }


class HouseholdForm(SectionIds, forms.ModelForm):
    id_prefix = "household"

    class Meta:
        model = Household
        fields = ["name", "currency"]
        labels = {"name": "Household name"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"] = forms.ChoiceField(
            label="Household currency", choices=_currency_choices(self.instance.currency)
        )


class InvitationForm(SectionIds, forms.Form):
    id_prefix = "invite"

    email = forms.EmailField(label="E-mail address")
    role = forms.ChoiceField(choices=Membership.Role.choices, initial=Membership.Role.MEMBER)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(choices=Membership.Role.choices)


class ApiTokenForm(SectionIds, forms.Form):
    id_prefix = "token"

    name = forms.CharField(max_length=80, help_text="Where you will use it, e.g. “budget spreadsheet”.")
    scope = forms.ChoiceField(choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ, label="Access")


class OtpCodeForm(SectionIds, forms.Form):
    id_prefix = "otp"

    code = forms.CharField(
        label="Code",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
        help_text="The 6-digit code from your authenticator app, or one of your backup codes.",
    )


class LoginCodeForm(OtpCodeForm):
    """The login step's form: the code field is the only thing on the page, so it takes the focus."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs["autofocus"] = True


class TotpConfirmForm(SectionIds, forms.Form):
    id_prefix = "totp"

    code = forms.CharField(
        label="Code from your app",
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class MfaDisableForm(SectionIds, forms.Form):
    id_prefix = "mfa_off"

    password = forms.CharField(label="Password", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    code = forms.CharField(
        label="Code",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
        help_text="From your authenticator app, or a backup code.",
    )
