from django.contrib import admin

from .models import Budget, BudgetAlert


@admin.register(Budget)
class BudgetAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "household",
        "amount",
        "period",
        "alert_threshold",
        "rollover",
        "is_active",
        "start_date",
    )
    list_filter = ("period", "rollover", "is_active")
    search_fields = ("name", "household__name")
    list_select_related = ("household",)
    filter_horizontal = ("categories",)
    raw_id_fields = ("household",)
    readonly_fields = ("created_at", "updated_at")


@admin.register(BudgetAlert)
class BudgetAlertAdmin(admin.ModelAdmin):
    list_display = ("budget", "household", "period_start", "level", "spent", "available", "created_at")
    list_filter = ("level",)
    list_select_related = ("budget", "household")
    raw_id_fields = ("budget", "household")
    date_hierarchy = "period_start"

    def has_add_permission(self, request) -> bool:
        return False  # alerts are a record of what was sent, made only by the alert check
