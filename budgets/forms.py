"""Budget forms: input shape only; the rules live in `services`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError

from transactions.models import Category
from transactions.taxonomy import NON_SPENDING_PRIMARIES

from .models import Budget

T = TypeVar("T")


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's validation errors on the form: on the field they name when the form has it, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


def save_with_service(form: forms.BaseForm, write: Callable[..., T]) -> T | None:
    """`write(**form.cleaned_data)` when the form is valid; the service's validation errors land on the form and
    None is returned."""
    if not form.is_valid():
        return None
    try:
        return write(**form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


def spending_category_choices(household) -> list[tuple[str, list[tuple[int, str]]]]:
    """Categories grouped by main category: "All of <main>" first, then its sub-categories."""
    categories = (
        Category.objects.for_household(household)
        .exclude(primary_code__in=NON_SPENDING_PRIMARIES)
        .order_by("primary_code", "parent_id", "name")
    )
    groups: dict[str, tuple[str, list[tuple[int, str]]]] = {}
    for category in categories:
        if category.parent_id is None:
            groups[category.primary_code] = (category.name, [(category.pk, f"All of {category.name}")])
    for category in categories:
        if category.parent_id is not None and category.primary_code in groups:
            groups[category.primary_code][1].append((category.pk, category.name))
    return sorted(groups.values())


class BudgetForm(forms.ModelForm):
    categories = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        help_text="Leave empty to budget all spending. Hold Ctrl (⌘ on a Mac) to choose several.",
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )

    class Meta:
        model = Budget
        fields = [
            "name",
            "categories",
            "amount",
            "period",
            "month_start_day",
            "start_date",
            "end_date",
            "alert_threshold",
            "rollover",
            "rollover_overspend",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
            "amount": forms.NumberInput(attrs={"step": "0.01", "min": "0.01", "inputmode": "decimal"}),
        }
        labels = {"alert_threshold": "Warn me at (%)", "rollover_overspend": "Carry overspending too"}

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = spending_category_choices(household)
        self.fields["start_date"].required = False
        self.fields["start_date"].help_text = "Defaults to today. Custom dates: the first day of the range."
        if self.instance.pk:
            self.initial["categories"] = [c.pk for c in self.instance.categories.all()]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("period") != Budget.PeriodKind.CUSTOM:
            cleaned["end_date"] = None  # only custom ranges end; a stale value from switching periods is dropped
        if not cleaned.get("start_date"):
            cleaned.pop("start_date", None)  # the service's default (today) for a new budget; unchanged when editing
        return cleaned
