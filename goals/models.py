"""Goals: saving toward something, or paying a debt down, with contributions and milestones."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from fincoach.money import MoneyField
from fincoach.scoping import HouseholdQuerySet, HouseholdScoped

MILESTONES = (25, 50, 75, 100)


class GoalQuerySet(HouseholdQuerySet):
    def active(self) -> GoalQuerySet:
        return self.filter(status=Goal.Status.ACTIVE)


class Goal(HouseholdScoped):
    class Kind(models.TextChoices):
        SAVINGS = "savings", "Savings"
        EMERGENCY_FUND = "emergency_fund", "Emergency fund"
        DEBT_PAYOFF = "debt_payoff", "Debt payoff"
        PURCHASE = "purchase", "Purchase"
        INVESTMENT = "investment", "Investment"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    class Priority(models.IntegerChoices):
        HIGH = 1, "High"
        MEDIUM = 2, "Medium"
        LOW = 3, "Low"

    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.SAVINGS)
    target_amount = MoneyField(
        validators=[MinValueValidator(Decimal("0.01"))], help_text="For a debt: the balance to pay off"
    )
    target_date = models.DateField(null=True, blank=True)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.MEDIUM)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    linked_account = models.ForeignKey(
        "transactions.FinancialAccount",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Its balance counts as the progress (a loan or card: what is still owed)",
    )
    apr = models.DecimalField(
        "APR (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="Debt payoff: the yearly interest rate",
    )
    minimum_payment = MoneyField(
        null=True, blank=True, validators=[MinValueValidator(Decimal("0.01"))], help_text="Debt payoff: per month"
    )
    notes = models.TextField(blank=True)
    started_on = models.DateField(help_text="Progress pace is measured from this day")
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = models.Manager.from_queryset(GoalQuerySet)()

    class Meta:
        ordering = ["status", "priority", "target_date", "id"]
        indexes = [models.Index(fields=["household", "status"], name="goal_household_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_amount__gt=0),
                name="goal_target_positive",
                violation_error_message="The target must be more than zero.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_debt(self) -> bool:
        return self.kind == self.Kind.DEBT_PAYOFF


class GoalContribution(HouseholdScoped):
    """Money put toward a goal (negative: taken back out), typed in or linked to a transaction."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="contributions")
    amount = MoneyField()
    date = models.DateField()
    note = models.CharField(max_length=200, blank=True)
    transaction = models.ForeignKey(
        "transactions.Transaction", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["goal", "date"], name="goal_contribution_goal_date")]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="goal_contribution_not_zero"),
            models.UniqueConstraint(
                fields=["goal", "transaction"],
                condition=Q(transaction__isnull=False),
                name="goal_contribution_transaction_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} to {self.goal} on {self.date}"


class GoalMilestone(HouseholdScoped):
    """A milestone (25/50/75/100%) reached: recorded once, so it is celebrated once."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="milestones")
    percent = models.PositiveSmallIntegerField(choices=[(p, f"{p}%") for p in MILESTONES])
    reached_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["goal", "percent"]
        constraints = [models.UniqueConstraint(fields=["goal", "percent"], name="goal_milestone_once")]

    def __str__(self) -> str:
        return f"{self.goal}: {self.percent}%"
