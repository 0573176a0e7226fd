"""API representations. Validation of shape only: the services decide what is allowed."""

from __future__ import annotations

from rest_framework import serializers

from fincoach.money import to_money
from transactions.models import Category, FinancialAccount, ImportBatch, Rule, Transaction, TransactionSplit
from transactions.selectors.accounts import account_balance


class HouseholdPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A related id limited to the request's household (system categories included for categories)."""

    def get_queryset(self):
        household = self.context.get("household")
        return self.queryset.model.objects.for_household(household)


class AccountSerializer(serializers.ModelSerializer):
    balance = serializers.SerializerMethodField()
    institution_name = serializers.CharField(write_only=True, required=False, allow_blank=True)
    institution = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = FinancialAccount
        fields = [
            "id",
            "name",
            "kind",
            "institution",
            "institution_name",
            "mask",
            "currency",
            "opening_balance",
            "opening_date",
            "reported_balance",
            "reported_balance_at",
            "balance",
            "is_active",
            "closed_at",
            "created_at",
        ]
        read_only_fields = ["reported_balance", "reported_balance_at", "is_active", "closed_at", "created_at"]

    def get_balance(self, account) -> str:
        return format(account_balance(account), "f")


class CategorySerializer(serializers.Serializer):
    """A category as the household sees it (from the selector's CategoryView)."""

    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(max_length=80)
    default_name = serializers.CharField(read_only=True)
    primary_code = serializers.CharField(read_only=True)
    parent_id = serializers.IntegerField(required=False, allow_null=True)
    colour = serializers.CharField(read_only=True)
    icon = serializers.CharField(read_only=True)
    is_hidden = serializers.BooleanField(required=False)
    is_custom = serializers.BooleanField(read_only=True)


class SplitSerializer(serializers.ModelSerializer):
    category = HouseholdPrimaryKeyField(queryset=Category.objects.all())

    class Meta:
        model = TransactionSplit
        fields = ["id", "category", "amount", "notes"]


class TransactionSerializer(serializers.ModelSerializer):
    account = HouseholdPrimaryKeyField(queryset=FinancialAccount.objects.all())
    category = HouseholdPrimaryKeyField(queryset=Category.objects.all(), required=False, allow_null=True)
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    tag_names = serializers.ListField(child=serializers.CharField(max_length=40), write_only=True, required=False)
    splits = SplitSerializer(many=True, read_only=True)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        model = Transaction
        fields = [
            "id",
            "account",
            "date",
            "authorized_date",
            "amount",
            "currency",
            "description",
            "merchant",
            "category",
            "category_source",
            "category_confidence",
            "category_suggested",
            "pending",
            "notes",
            "tags",
            "tag_names",
            "excluded",
            "transfer_pair",
            "external_id",
            "import_batch",
            "splits",
            "user_edited",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "currency",
            "category_source",
            "category_confidence",
            "category_suggested",
            "transfer_pair",
            "external_id",
            "import_batch",
            "user_edited",
            "created_at",
            "updated_at",
        ]

    def validate_amount(self, value):
        if value == 0:
            raise serializers.ValidationError("The amount cannot be zero.")
        return to_money(str(value))


class SplitPartSerializer(serializers.Serializer):
    category = HouseholdPrimaryKeyField(queryset=Category.objects.all())
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    notes = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class SplitRequestSerializer(serializers.Serializer):
    parts = SplitPartSerializer(many=True)


class BulkSerializer(serializers.Serializer):
    ACTIONS = ("categorize", "tag", "exclude", "include", "delete")
    action = serializers.ChoiceField(choices=ACTIONS)
    ids = serializers.ListField(child=serializers.IntegerField(), allow_empty=False, max_length=5000)
    category = HouseholdPrimaryKeyField(queryset=Category.objects.all(), required=False, allow_null=True)
    tag = serializers.CharField(max_length=40, required=False)


class RuleSerializer(serializers.ModelSerializer):
    account = HouseholdPrimaryKeyField(queryset=FinancialAccount.objects.all(), required=False, allow_null=True)
    set_category = HouseholdPrimaryKeyField(queryset=Category.objects.all(), required=False, allow_null=True)
    add_tag = serializers.SlugRelatedField(slug_field="name", read_only=True)
    add_tag_name = serializers.CharField(max_length=40, required=False, allow_blank=True, write_only=True)

    class Meta:
        model = Rule
        fields = [
            "id",
            "name",
            "position",
            "is_active",
            "match_field",
            "match_type",
            "match_value",
            "amount_min",
            "amount_max",
            "account",
            "set_category",
            "set_merchant",
            "add_tag",
            "add_tag_name",
            "mark_transfer",
            "mark_excluded",
            "created_at",
        ]
        read_only_fields = ["position", "created_at"]


class ImportBatchSerializer(serializers.ModelSerializer):
    account = serializers.PrimaryKeyRelatedField(read_only=True)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "account",
            "filename",
            "file_format",
            "profile",
            "status",
            "total_rows",
            "processed_rows",
            "progress",
            "imported",
            "duplicates",
            "skipped",
            "error_count",
            "errors",
            "net",
            "first_date",
            "last_date",
            "failure",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_progress(self, batch) -> int:
        from transactions.services.imports import import_progress

        processed = import_progress(batch)
        if batch.status == ImportBatch.Status.DONE:
            return 100
        return min(99, processed * 100 // max(batch.total_rows, processed, 1))


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    account = HouseholdPrimaryKeyField(queryset=FinancialAccount.objects.all(), required=False)
    account_name = serializers.CharField(max_length=120, required=False)
    options = serializers.JSONField(required=False, help_text="ImportOptions overrides (columns, date_format, sign…)")

    def validate(self, attrs):
        if not attrs.get("account") and not (attrs.get("account_name") or "").strip():
            raise serializers.ValidationError({"account": "Give an account id or an account_name."})
        return attrs
