from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from fincoach.scoping import HouseholdQuerySet, HouseholdScoped


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def visible(self):
        return self.filter(dismissed_at__isnull=True)

    def unread(self):
        return self.visible().filter(read_at__isnull=True)


class Notification(HouseholdScoped):
    class Priority(models.IntegerChoices):
        LOW = 10, "Low"
        NORMAL = 20, "Normal"
        HIGH = 30, "High"
        CRITICAL = 40, "Critical"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40, help_text="e.g. budget_threshold, import_finished, insight")
    title = models.CharField(max_length=120)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=300, blank=True)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    dedupe_key = models.CharField(max_length=200, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = models.Manager.from_queryset(NotificationQuerySet)()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"], name="notif_user_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notification_dedupe_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} → {self.user}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


# --- The coach -----------------------------------------------------------------------------------------------------


class InsightQuerySet(HouseholdQuerySet):
    def for_user(self, user) -> InsightQuerySet:
        return self.filter(user=user)

    def live(self, now=None) -> InsightQuerySet:
        """Not dismissed and not expired: what the pages show by default."""
        now = now or timezone.now()
        return self.filter(dismissed_at__isnull=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))

    def coaching(self) -> InsightQuerySet:
        return self.filter(is_alert=False)


class Insight(HouseholdScoped):
    """One piece of coaching for one person: a rule's finding, worded in their tone, with the numbers behind it."""

    class Kind(models.TextChoices):
        LOW_BALANCE = "low_balance", "Low balance ahead"
        SPENDING_PACE = "spending_pace", "Spending pace"
        SAVINGS_OPPORTUNITY = "savings_opportunity", "Savings opportunity"
        SUBSCRIPTION_REVIEW = "subscription_review", "Subscription review"
        SUBSCRIPTION_PRICE = "subscription_price", "Subscription price change"
        BILL_REMINDER = "bill_reminder", "Bill reminder"
        BUDGET_ALERT = "budget_alert", "Budget alert"
        GOAL_MILESTONE = "goal_milestone", "Goal milestone"
        GOAL_BEHIND = "goal_behind", "Goal behind schedule"
        ANOMALY = "anomaly", "Unusual transaction"
        WEEKLY_SUMMARY = "weekly_summary", "Weekly summary"
        PERSONA_CHANGE = "persona_change", "Spending persona"
        DAILY_TIP = "daily_tip", "Daily tip"

    class Priority(models.IntegerChoices):
        LOW = 10, "Low"
        NORMAL = 20, "Normal"
        HIGH = 30, "High"
        CRITICAL = 40, "Critical"

    class Sentiment(models.TextChoices):
        WARNING = "warning", "Warning"
        NEUTRAL = "neutral", "Neutral"
        POSITIVE = "positive", "Positive"

    class Wording(models.TextChoices):
        TEMPLATE = "template", "Rule template"
        LLM = "llm", "Language model"

    TITLE_MAX = 60
    MESSAGE_MAX = 240

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="insights")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    sentiment = models.CharField(max_length=8, choices=Sentiment.choices, default=Sentiment.NEUTRAL)
    is_alert = models.BooleanField(default=False, help_text="Alerts are exempt from the daily coaching cap")
    title = models.CharField(max_length=TITLE_MAX)
    message = models.CharField(max_length=MESSAGE_MAX)
    data = models.JSONField(default=dict, blank=True, help_text="The numbers behind the message")
    action_url = models.CharField(max_length=300, blank=True)
    action_label = models.CharField(max_length=40, blank=True)
    wording = models.CharField(max_length=8, choices=Wording.choices, default=Wording.TEMPLATE)
    score = models.FloatField(default=0, help_text="Rank when it was chosen (priority × relevance × feedback)")
    dedupe_key = models.CharField(max_length=200, help_text="Same key inside the rule's window = a repeat")
    trigger = models.CharField(max_length=16, blank=True, help_text="daily, event, command, demo…")
    delivered = models.BooleanField(default=True, help_text="Sent as a notification (counts toward the caps)")
    notification = models.ForeignKey(
        Notification, on_delete=models.SET_NULL, null=True, blank=True, related_name="insights"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)
    acted_at = models.DateTimeField(null=True, blank=True)
    helpful = models.BooleanField(null=True, blank=True, help_text="The user's verdict; feeds future ranking")
    feedback_at = models.DateTimeField(null=True, blank=True)

    objects = models.Manager.from_queryset(InsightQuerySet)()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "dedupe_key", "-created_at"], name="insight_user_dedupe"),
            models.Index(fields=["user", "-created_at"], name="insight_user_recent"),
            models.Index(fields=["user", "kind", "helpful"], name="insight_user_feedback"),
        ]

    def __str__(self) -> str:
        return f"{self.title} → {self.user}"


class LLMUsage(HouseholdScoped):
    """Tokens a household spent on the language model on one day (the daily budget is enforced against it)."""

    day = models.DateField()
    prompt_tokens = models.PositiveIntegerField(default=0)
    completion_tokens = models.PositiveIntegerField(default=0)
    requests = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0, help_text="Timeouts, errors and rejected answers")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-day"]
        verbose_name = "LLM usage"
        verbose_name_plural = "LLM usage"
        constraints = [models.UniqueConstraint(fields=["household", "day"], name="one_llm_usage_per_household_day")]

    def __str__(self) -> str:
        return f"{self.household_id} on {self.day}: {self.total_tokens} tokens"

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


class CoachExchange(HouseholdScoped):
    """A question asked on the "Ask the coach" page and the answer given (shown as the page's history)."""

    class Engine(models.TextChoices):
        RULES = "rules", "Deterministic engine"
        LLM = "llm", "Language model"
        DECLINED = "declined", "Declined"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_exchanges")
    question = models.CharField(max_length=500)
    answer = models.TextField()
    engine = models.CharField(max_length=8, choices=Engine.choices)
    intent = models.CharField(max_length=40, blank=True)
    tools_used = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="coach_exchange_user_recent")]

    def __str__(self) -> str:
        return f"{self.question[:40]} ({self.engine})"
