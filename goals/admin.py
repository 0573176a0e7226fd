from django.contrib import admin

from .models import Goal, GoalContribution, GoalMilestone


class GoalContributionInline(admin.TabularInline):
    model = GoalContribution
    extra = 0
    fields = ("date", "amount", "note", "transaction", "created_by")
    raw_id_fields = ("transaction", "created_by")


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ("name", "household", "kind", "status", "priority", "target_amount", "target_date", "linked_account")
    list_filter = ("kind", "status", "priority")
    search_fields = ("name", "household__name")
    list_select_related = ("household", "linked_account")
    raw_id_fields = ("household", "linked_account")
    readonly_fields = ("completed_at", "created_at", "updated_at")
    inlines = [GoalContributionInline]


@admin.register(GoalContribution)
class GoalContributionAdmin(admin.ModelAdmin):
    list_display = ("goal", "household", "date", "amount", "transaction")
    list_select_related = ("goal", "household", "transaction")
    raw_id_fields = ("goal", "household", "transaction", "created_by")
    date_hierarchy = "date"


@admin.register(GoalMilestone)
class GoalMilestoneAdmin(admin.ModelAdmin):
    list_display = ("goal", "household", "percent", "reached_at")
    list_filter = ("percent",)
    list_select_related = ("goal", "household")
    raw_id_fields = ("goal", "household")

    def has_add_permission(self, request) -> bool:
        return False  # milestones are a record of what was celebrated, made only by the milestone check
