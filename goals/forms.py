"""Goal forms: input shape only; the rules live in `services`."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django import forms
from django.utils import timezone

from fincoach.money import format_money
from transactions.models import FinancialAccount, Transaction

from .models import Goal

RECENT_TRANSACTION_DAYS = 120
RECENT_TRANSACTION_LIMIT = 200


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = [
            "name",
            "kind",
            "target_amount",
            "target_date",
            "priority",
            "status",
            "linked_account",
            "apr",
            "minimum_payment",
            "notes",
        ]
        widgets = {
            "target_date": forms.DateInput(attrs={"type": "date"}),
            "target_amount": forms.NumberInput(attrs={"step": "0.01", "min": "0.01", "inputmode": "decimal"}),
            "apr": forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "100", "inputmode": "decimal"}),
            "minimum_payment": forms.NumberInput(attrs={"step": "0.01", "min": "0.01", "inputmode": "decimal"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"target_amount": "Target amount", "linked_account": "Track with account"}
        help_texts = {
            "target_amount": "For a debt: the balance to pay off.",
            "apr": "Debt payoff only: the yearly interest rate, e.g. 19.99.",
            "minimum_payment": "Debt payoff only: the smallest monthly payment.",
        }

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["linked_account"].queryset = FinancialAccount.objects.for_household(household).filter(
            is_active=True
        )
        self.fields["linked_account"].empty_label = "No account: count contributions"
        if not self.instance.pk:
            del self.fields["status"]  # a new goal is active


class ContributionForm(forms.Form):
    amount = forms.DecimalField(
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text="Negative to take money back out. Leave empty to use the linked transaction's amount.",
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(max_length=200, required=False)
    transaction = forms.ModelChoiceField(
        queryset=Transaction.objects.none(), required=False, label="Linked transaction", empty_label="None"
    )

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        since = timezone.localdate() - timedelta(days=RECENT_TRANSACTION_DAYS)
        recent = Transaction.objects.for_household(household).filter(date__gte=since).select_related("account")
        field = self.fields["transaction"]
        # Slicing would stop the field from validating a submitted id, so limit with the newest ids instead.
        ids = list(recent.order_by("-date", "-id").values_list("pk", flat=True)[:RECENT_TRANSACTION_LIMIT])
        field.queryset = recent.filter(pk__in=ids).order_by("-date", "-id")
        currency = household.currency
        field.label_from_instance = lambda t: (
            f"{t.date:%b %-d} · {t.description[:40]} · {format_money(t.amount, currency)}"
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("amount") in (None, Decimal("0")) and cleaned.get("transaction") is None:
            self.add_error("amount", "Say how much to put toward the goal, or pick a transaction.")
        return cleaned


class DebtExtraForm(forms.Form):
    extra = forms.DecimalField(
        min_value=0,
        max_digits=12,
        decimal_places=2,
        required=False,
        initial=Decimal("100"),
        label="Extra per month",
        widget=forms.NumberInput(attrs={"step": "10", "min": "0", "inputmode": "decimal", "class": "form-control"}),
    )

    def extra_amount(self) -> Decimal:
        if self.is_bound and self.is_valid() and self.cleaned_data["extra"] is not None:
            return self.cleaned_data["extra"]
        return self.fields["extra"].initial
