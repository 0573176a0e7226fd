"""Admin of the ML engine: batch runs with their quality metrics (the operators' view of how the models do), and
read-mostly views of what the models found per household."""

from __future__ import annotations

import json

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from .models import (
    Anomaly,
    BalanceForecast,
    DismissedAnomalyPattern,
    MerchantCategoryMemory,
    ModelRun,
    PersonaAssignment,
    RecurringSeries,
    SuggestionOutcome,
)
from .selectors import suggestion_acceptance

# Metrics worth a column of their own in the run list, per kind (the full set is on the run's page).
HEADLINE_METRICS = (
    "accuracy",
    "macro_f1",
    "series",
    "subscriptions",
    "flagged",
    "silhouette",
    "forecasts",
    "chosen_mae",
    "corrections",
    "transactions",
)


def _short(value) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


@admin.register(ModelRun)
class ModelRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "kind", "status", "model_version", "households", "headline", "seconds"]
    list_filter = ["kind", "status", "started_at"]
    search_fields = ["model_version", "error"]
    date_hierarchy = "started_at"
    readonly_fields = [f.name for f in ModelRun._meta.fields] + ["metrics_table", "acceptance"]
    exclude = ["metrics"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="key figures")
    def headline(self, run: ModelRun) -> str:
        shown = [(key, _short(run.metrics[key])) for key in HEADLINE_METRICS if key in run.metrics]
        return format_html_join(" · ", "{}: <b>{}</b>", shown) if shown else "—"

    @admin.display(description="seconds")
    def seconds(self, run: ModelRun):
        return run.metrics.get("seconds", "—")

    @admin.display(description="metrics")
    def metrics_table(self, run: ModelRun) -> str:
        rows = format_html_join(
            "",
            "<tr><th scope='row'>{}</th><td><pre class='m-0'>{}</pre></td></tr>",
            ((key, _pretty(value)) for key, value in sorted(run.metrics.items())),
        )
        return format_html("<table>{}</table>", rows)

    @admin.display(description="suggestion acceptance by month (all households)")
    def acceptance(self, run: ModelRun) -> str:
        if run.kind != ModelRun.Kind.TRAIN_CATEGORIZER:
            return "—"
        months = suggestion_acceptance(months=12)
        if not months:
            return "No suggestions decided yet."
        return format_html_join(
            ", ",
            "{}: {} of {} ({}%)",
            ((m["month"], m["accepted"], m["decided"], round(m["rate"] * 100)) for m in months),
        )


def _pretty(value) -> str:
    return json.dumps(value, indent=1, default=str) if isinstance(value, dict | list) else _short(value)


class HouseholdScopedAdmin(admin.ModelAdmin):
    list_select_related = ["household"]
    raw_id_fields = ["household"]


@admin.register(MerchantCategoryMemory)
class MerchantCategoryMemoryAdmin(HouseholdScopedAdmin):
    list_display = ["merchant", "category", "corrections", "household", "updated_at"]
    search_fields = ["merchant", "household__name"]
    list_select_related = ["household", "category"]
    raw_id_fields = ["household", "category"]


@admin.register(SuggestionOutcome)
class SuggestionOutcomeAdmin(HouseholdScopedAdmin):
    list_display = ["decided_at", "suggested", "accepted", "model_version", "household"]
    list_filter = ["accepted", "model_version", "decided_at"]
    list_select_related = ["household", "suggested"]
    raw_id_fields = ["household", "transaction", "suggested"]


@admin.register(RecurringSeries)
class RecurringSeriesAdmin(HouseholdScopedAdmin):
    list_display = [
        "merchant",
        "display_name",
        "cadence",
        "amount",
        "next_date",
        "status",
        "is_subscription",
        "household",
    ]
    list_filter = ["cadence", "status", "is_subscription", "is_income", "user_marked_not_subscription"]
    search_fields = ["merchant", "display_name", "household__name"]
    raw_id_fields = ["household", "account", "category", "transactions"]


@admin.register(Anomaly)
class AnomalyAdmin(HouseholdScopedAdmin):
    list_display = ["detected_at", "transaction", "score", "status", "household"]
    list_filter = ["status", "detected_at"]
    list_select_related = ["household", "transaction"]
    raw_id_fields = ["household", "transaction"]


@admin.register(DismissedAnomalyPattern)
class DismissedAnomalyPatternAdmin(HouseholdScopedAdmin):
    list_display = ["merchant", "reason_kind", "household", "created_at"]
    search_fields = ["merchant", "household__name"]


@admin.register(PersonaAssignment)
class PersonaAssignmentAdmin(HouseholdScopedAdmin):
    list_display = ["assigned_at", "name", "confidence", "is_current", "household"]
    list_filter = ["persona", "is_current"]


@admin.register(BalanceForecast)
class BalanceForecastAdmin(HouseholdScopedAdmin):
    list_display = ["created_at", "household", "account", "model_name", "backtest_mae", "enough_data", "is_current"]
    list_filter = ["model_name", "enough_data", "is_current"]
    list_select_related = ["household", "account"]
    raw_id_fields = ["household", "account"]
    exclude = ["points"]
