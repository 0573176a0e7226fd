from __future__ import annotations

from django import forms


class ExchangeForm(forms.Form):
    """What Plaid Link hands the browser after a successful link."""

    public_token = forms.CharField(max_length=200, strip=True)


class DisconnectForm(forms.Form):
    KEEP = "keep"
    DELETE = "delete"

    history = forms.ChoiceField(
        label="What happens to this bank's history?",
        choices=[
            (KEEP, "Keep its accounts and transactions (they stop updating)"),
            (DELETE, "Delete its accounts and all their transactions"),
        ],
        initial=KEEP,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )

    @property
    def keep_history(self) -> bool:
        return self.cleaned_data["history"] == self.KEEP
