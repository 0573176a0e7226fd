"""Admin of money in. (PlaidItem is registered by the Plaid app, `transactions/plaid/admin.py`.)"""

from __future__ import annotations

from django.contrib import admin, messages

from .models import (
    Category,
    CategoryPreference,
    FinancialAccount,
    ImportBatch,
    ImportUpload,
    Institution,
    Rule,
    Tag,
    Transaction,
    TransactionSplit,
)
from .services.imports import import_undo


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "plaid_institution_id", "url"]
    search_fields = ["name", "plaid_institution_id"]


@admin.register(FinancialAccount)
class FinancialAccountAdmin(admin.ModelAdmin):
    list_display = ["name", "household", "kind", "currency", "is_active", "plaid_item", "created_at"]
    list_filter = ["kind", "is_active", "currency"]
    search_fields = ["name", "household__name", "mask"]
    list_select_related = ["household", "plaid_item"]
    raw_id_fields = ["household", "institution", "plaid_item"]
    readonly_fields = ["created_at", "reported_balance_at"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "primary_code", "parent", "household", "is_system"]
    list_filter = ["is_system", "primary_code"]
    search_fields = ["name", "code"]
    list_select_related = ["parent", "household"]
    raw_id_fields = ["household", "parent"]


@admin.register(CategoryPreference)
class CategoryPreferenceAdmin(admin.ModelAdmin):
    list_display = ["category", "household", "custom_name", "is_hidden"]
    list_filter = ["is_hidden"]
    raw_id_fields = ["household", "category"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "household"]
    search_fields = ["name"]
    raw_id_fields = ["household"]


class SplitInline(admin.TabularInline):
    model = TransactionSplit
    extra = 0
    raw_id_fields = ["category", "household"]


@admin.register(Transaction)
class TransactionAdmin(admin.ModelAdmin):
    list_display = [
        "date",
        "description",
        "amount",
        "currency",
        "account",
        "category",
        "category_source",
        "pending",
        "excluded",
    ]
    list_filter = ["category_source", "pending", "excluded", "category_suggested", "date"]
    search_fields = ["description", "merchant", "external_id", "plaid_transaction_id"]
    list_select_related = ["account", "category"]
    raw_id_fields = ["household", "account", "category", "transfer_pair", "import_batch"]
    readonly_fields = ["fingerprint", "occurrence", "created_at", "updated_at", "user_edited"]
    date_hierarchy = "date"
    show_full_result_count = False  # counting 100,000s of rows on every page is slow
    inlines = [SplitInline]


@admin.register(TransactionSplit)
class TransactionSplitAdmin(admin.ModelAdmin):
    list_display = ["transaction", "category", "amount", "household"]
    raw_id_fields = ["household", "transaction", "category"]


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "household", "position", "is_active", "set_category", "mark_transfer", "mark_excluded"]
    list_filter = ["is_active", "match_field", "match_type"]
    search_fields = ["name", "match_value"]
    raw_id_fields = ["household", "account", "set_category", "add_tag"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = [
        "filename",
        "account",
        "household",
        "status",
        "profile",
        "imported",
        "duplicates",
        "skipped",
        "error_count",
        "created_at",
    ]
    list_filter = ["status", "file_format", "profile"]
    search_fields = ["filename", "household__name", "account__name"]
    list_select_related = ["account", "household"]
    raw_id_fields = ["household", "account", "created_by"]
    readonly_fields = ["created_at", "finished_at", "errors", "failure"]
    actions = ["undo_batches"]

    @admin.action(description="Undo the selected imports (delete their transactions)")
    def undo_batches(self, request, queryset):
        undone = 0
        for batch in queryset.filter(status=ImportBatch.Status.DONE):
            import_undo(batch)
            undone += 1
        self.message_user(request, f"{undone} import(s) undone.", messages.SUCCESS)


@admin.register(ImportUpload)
class ImportUploadAdmin(admin.ModelAdmin):
    list_display = ["batch", "household", "created_at"]
    raw_id_fields = ["household", "batch"]
    exclude = ["data"]
