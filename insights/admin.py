"""Admin of the coach's models. Notifications: who was told what, and whether they read it."""

from __future__ import annotations

from django.contrib import admin

from .models import CoachExchange, Insight, LLMUsage, Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "household", "kind", "priority", "created_at", "is_read", "emailed_at"]
    list_filter = [
        "kind",
        "priority",
        ("read_at", admin.EmptyFieldListFilter),
        ("dismissed_at", admin.EmptyFieldListFilter),
        "created_at",
    ]
    search_fields = ["title", "body", "kind", "dedupe_key", "user__email", "household__name"]
    list_select_related = ["user", "household"]
    raw_id_fields = ["user", "household"]
    readonly_fields = ["created_at", "emailed_at"]
    date_hierarchy = "created_at"

    @admin.display(description="read", boolean=True, ordering="read_at")
    def is_read(self, notification: Notification) -> bool:
        return notification.is_read


# --- The coach -----------------------------------------------------------------------------------------------------


@admin.register(Insight)
class InsightAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "kind", "priority", "is_alert", "wording", "helpful", "created_at", "read_at"]
    list_filter = ["kind", "priority", "is_alert", "wording", "helpful", "trigger", "created_at"]
    search_fields = ["title", "message", "dedupe_key", "user__email", "household__name"]
    list_select_related = ["user", "household"]
    raw_id_fields = ["user", "household", "notification"]
    readonly_fields = ["created_at", "score", "dedupe_key", "trigger", "notification"]
    date_hierarchy = "created_at"


@admin.register(LLMUsage)
class LLMUsageAdmin(admin.ModelAdmin):
    """What the language model cost each household per day (the daily budget is enforced against it)."""

    list_display = ["day", "household", "prompt_tokens", "completion_tokens", "total_tokens", "requests", "failures"]
    list_filter = ["day"]
    search_fields = ["household__name"]
    list_select_related = ["household"]
    raw_id_fields = ["household"]
    date_hierarchy = "day"


@admin.register(CoachExchange)
class CoachExchangeAdmin(admin.ModelAdmin):
    list_display = ["question", "user", "engine", "intent", "created_at"]
    list_filter = ["engine", "intent", "created_at"]
    search_fields = ["question", "user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user", "household"]
    readonly_fields = ["question", "answer", "engine", "intent", "tools_used", "created_at"]
