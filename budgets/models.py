"""Budgets: how much a household plans to spend per period, on some categories or on everything."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from fincoach.money import MoneyField
from fincoach.scoping import HouseholdQuerySet, HouseholdScoped

from . import periods


class BudgetQuerySet(HouseholdQuerySet):
    def active(self) -> BudgetQuerySet:
        return self.filter(is_active=True)


class Budget(HouseholdScoped):
    """A spending plan. No categories means total spending; a primary category includes its sub-categories."""

    class PeriodKind(models.TextChoices):
        WEEKLY = periods.WEEKLY, "Weekly"
        MONTHLY = periods.MONTHLY, "Monthly"
        YEARLY = periods.YEARLY, "Yearly"
        CUSTOM = periods.CUSTOM, "Custom dates"

    name = models.CharField(max_length=80, blank=True, help_text="Leave empty to name it after its categories")
    categories = models.ManyToManyField(
        "transactions.Category",
        blank=True,
        related_name="+",
        help_text="None means all spending. A main category includes all of its sub-categories.",
    )
    amount = MoneyField(validators=[MinValueValidator(Decimal("0.01"))])
    period = models.CharField(max_length=8, choices=PeriodKind.choices, default=PeriodKind.MONTHLY)
    month_start_day = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text="Monthly budgets: the day a budget month begins (25 → the 25th to the 24th)",
    )
    start_date = models.DateField(help_text="The first day budgeted (the range start for custom dates)")
    end_date = models.DateField(null=True, blank=True, help_text="Custom dates only: the last day budgeted")
    alert_threshold = models.PositiveSmallIntegerField(
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Percent of the budget at which to warn",
    )
    rollover = models.BooleanField(default=False, help_text="Carry what is left over into the next period")
    rollover_overspend = models.BooleanField(
        default=False, help_text="Also carry overspending into the next period, as less to spend"
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = models.Manager.from_queryset(BudgetQuerySet)()

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["household", "is_active"], name="budget_household_active")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="budget_amount_positive",
                violation_error_message="The amount must be more than zero.",
            ),
            models.CheckConstraint(
                condition=Q(period="custom", end_date__isnull=False, end_date__gte=models.F("start_date"))
                | (~Q(period="custom") & Q(end_date__isnull=True)),
                name="budget_custom_range_valid",
                violation_error_message="Custom dates need an end date on or after the start date; "
                "other periods have none.",
            ),
        ]

    def __str__(self) -> str:
        return self.name or f"Budget {self.pk}"

    @property
    def label(self) -> str:
        """The name, or the covered categories (prefetch `categories` when listing), or "All spending"."""
        if self.name:
            return self.name
        if self.pk is None:
            return "New budget"
        names = sorted(c.name for c in self.categories.all())
        return ", ".join(names) if names else "All spending"

    @property
    def period_end_phrase(self) -> str:
        """How the pace sentence names the end of a period: "by month end"."""
        return {
            periods.WEEKLY: "the end of the week",
            periods.MONTHLY: "month end",
            periods.YEARLY: "the end of the year",
        }.get(self.period, "the end of the range")

    def cadence(self, week_start: int = 0) -> periods.Cadence:
        """How this budget's periods repeat; weeks begin on the viewer's `week_start`."""
        custom = periods.Period(self.start_date, self.end_date) if self.period == periods.CUSTOM else None
        return periods.Cadence(
            kind=self.period, week_start=week_start, month_start_day=self.month_start_day, custom=custom
        )


class BudgetAlert(HouseholdScoped):
    """A budget warning already given for one period: the record that keeps alerts once-only."""

    class Level(models.TextChoices):
        THRESHOLD = "threshold", "Reached the alert threshold"
        OVER = "over", "Went over budget"

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="alerts")
    period_start = models.DateField()
    level = models.CharField(max_length=10, choices=Level.choices)
    spent = MoneyField(help_text="Spending when the alert was raised")
    available = MoneyField(help_text="What the period allowed when the alert was raised")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "period_start", "level"], name="budget_alert_once_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.budget}: {self.get_level_display()} ({self.period_start})"
