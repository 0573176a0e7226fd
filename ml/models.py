"""What the models learnt about a household, stored for the coach and the pages.

The model code itself (pure functions on DataFrames) lives beside this in `ml/`; the ORM reads and writes are in
`ml/services.py` and `ml/selectors.py`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from fincoach.money import CurrencyField, MoneyField
from fincoach.scoping import HouseholdScoped


class ModelRun(models.Model):
    """One batch run of a model (training or scoring), with its quality metrics, for the admin."""

    class Kind(models.TextChoices):
        TRAIN_CATEGORIZER = "train_categorizer", "Train categoriser"
        CATEGORIZE = "categorize", "Categorise"
        RECURRING = "detect_recurring", "Detect recurring"
        ANOMALIES = "detect_anomalies", "Detect anomalies"
        PERSONAS = "cluster_personas", "Cluster personas"
        FORECAST = "forecast_balances", "Forecast balances"

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        OK = "ok", "Succeeded"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=24, choices=Kind.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.RUNNING)
    model_version = models.CharField(max_length=80, blank=True)
    households = models.PositiveIntegerField(default=0)
    metrics = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.started_at:%Y-%m-%d %H:%M} ({self.status})"


class MerchantCategoryMemory(HouseholdScoped):
    """A household's correction, remembered per normalised merchant (authority just below its rules)."""

    merchant = models.CharField(max_length=200)
    category = models.ForeignKey("transactions.Category", on_delete=models.CASCADE, related_name="+")
    corrections = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["household", "merchant"], name="one_memory_per_merchant"),
        ]

    def __str__(self) -> str:
        return f"{self.merchant} → {self.category}"


class SuggestionOutcome(HouseholdScoped):
    """Whether a medium-confidence suggestion was accepted or corrected (acceptance rate over time)."""

    transaction = models.ForeignKey("transactions.Transaction", on_delete=models.CASCADE, related_name="+")
    suggested = models.ForeignKey("transactions.Category", on_delete=models.CASCADE, related_name="+")
    accepted = models.BooleanField()
    model_version = models.CharField(max_length=80, blank=True)
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        return f"{'accepted' if self.accepted else 'corrected'}: {self.suggested}"


class RecurringSeries(HouseholdScoped):
    class Cadence(models.TextChoices):
        WEEKLY = "weekly", "Weekly"
        BIWEEKLY = "biweekly", "Every two weeks"
        SEMIMONTHLY = "semimonthly", "Twice a month"
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        YEARLY = "yearly", "Yearly"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        POSSIBLY_CANCELLED = "possibly_cancelled", "Possibly cancelled"
        CANCELLED = "cancelled", "Cancelled"

    merchant = models.CharField(max_length=200)
    display_name = models.CharField(max_length=200, blank=True, help_text="The user's own name for it")
    account = models.ForeignKey("transactions.FinancialAccount", on_delete=models.CASCADE, null=True, blank=True)
    category = models.ForeignKey(
        "transactions.Category", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cadence = models.CharField(max_length=12, choices=Cadence.choices)
    amount = MoneyField(help_text="Typical amount, signed like the transactions")
    currency = CurrencyField()
    last_date = models.DateField()
    next_date = models.DateField(null=True, blank=True)
    next_amount = MoneyField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    is_income = models.BooleanField(default=False)
    is_subscription = models.BooleanField(default=False)
    user_marked_not_subscription = models.BooleanField(default=False)
    user_cancelled = models.BooleanField(default=False)
    price_changes = models.JSONField(default=list, blank=True, help_text="[{date, old, new}]")
    confidence = models.FloatField(default=0)
    occurrences = models.PositiveIntegerField(default=0)
    transactions = models.ManyToManyField("transactions.Transaction", blank=True, related_name="recurring_series")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["next_date", "merchant"]
        verbose_name_plural = "recurring series"
        constraints = [
            models.UniqueConstraint(
                fields=["household", "merchant", "cadence", "is_income"], name="one_series_per_merchant_cadence"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name or self.merchant} ({self.get_cadence_display()})"


class Anomaly(HouseholdScoped):
    class Status(models.TextChoices):
        OPEN = "open", "To review"
        DISMISSED = "dismissed", "Dismissed"
        CONFIRMED = "confirmed", "Confirmed"

    transaction = models.OneToOneField("transactions.Transaction", on_delete=models.CASCADE, related_name="anomaly")
    score = models.FloatField()
    reasons = models.JSONField(default=list, help_text="[{kind, text}]")
    method = models.CharField(max_length=20, blank=True, help_text="isolation_forest | robust")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    detected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-detected_at"]
        verbose_name_plural = "anomalies"

    def __str__(self) -> str:
        return f"anomaly on {self.transaction_id}"


class DismissedAnomalyPattern(HouseholdScoped):
    """A (merchant, reason kind) the household said is normal: never flagged again."""

    merchant = models.CharField(max_length=200)
    reason_kind = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["household", "merchant", "reason_kind"], name="one_dismissed_pattern"),
        ]

    def __str__(self) -> str:
        return f"{self.merchant}: {self.reason_kind}"


class PersonaAssignment(HouseholdScoped):
    """The household's spending persona; the history of changes is kept (one row per change)."""

    persona = models.CharField(max_length=40, help_text="key, e.g. frugal_saver")
    name = models.CharField(max_length=80)
    description = models.TextField()
    confidence = models.FloatField()
    top_features = models.JSONField(default=list, help_text="[{feature, label, value, direction}]")
    tips = models.JSONField(default=list)
    features = models.JSONField(default=dict)
    is_current = models.BooleanField(default=True)
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assigned_at"]
        constraints = [
            models.UniqueConstraint(fields=["household"], condition=Q(is_current=True), name="one_current_persona"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.household_id})"


class BalanceForecast(HouseholdScoped):
    """A daily balance forecast for one account, or the whole household when `account` is empty."""

    account = models.ForeignKey("transactions.FinancialAccount", on_delete=models.CASCADE, null=True, blank=True)
    model_name = models.CharField(max_length=20, help_text="cashflow | prophet | naive")
    backtest_mae = models.FloatField(null=True, blank=True)
    model_maes = models.JSONField(default=dict, help_text="{model: 30-day MAE}")
    horizon_days = models.PositiveSmallIntegerField(default=90)
    start_balance = MoneyField()
    points = models.JSONField(default=list, help_text="[{date, yhat, lower, upper}] as strings")
    low_balance_threshold = MoneyField(default=0)
    low_points = models.JSONField(default=list, help_text="[{date, yhat}] below the threshold")
    enough_data = models.BooleanField(default=True)
    reason = models.CharField(max_length=200, blank=True, help_text="Why there is no forecast (not enough data…)")
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"forecast {self.household_id}/{self.account_id or 'all'} ({self.model_name})"
