"""API shapes of what the models found. Read-only: user marks go through the actions in `api.py`."""

from __future__ import annotations

from rest_framework import serializers

from .models import Anomaly, BalanceForecast, PersonaAssignment, RecurringSeries
from .selectors import is_subscription, monthly_cost


class RecurringSeriesSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    monthly_cost = serializers.SerializerMethodField()
    is_subscription = serializers.SerializerMethodField()

    class Meta:
        model = RecurringSeries
        fields = [
            "id", "name", "merchant", "display_name", "account", "category", "cadence", "amount", "currency",
            "last_date", "next_date", "next_amount", "status", "is_income", "is_subscription",
            "user_marked_not_subscription", "user_cancelled", "price_changes", "confidence", "occurrences",
            "monthly_cost",
        ]  # fmt: skip
        read_only_fields = fields

    def get_name(self, series: RecurringSeries) -> str:
        return series.display_name or series.merchant

    def get_monthly_cost(self, series: RecurringSeries) -> str:
        return str(monthly_cost(series))

    def get_is_subscription(self, series: RecurringSeries) -> bool:
        return is_subscription(series)


class RenameSerializer(serializers.Serializer):
    display_name = serializers.CharField(allow_blank=True, max_length=200, trim_whitespace=True)


class FlagSerializer(serializers.Serializer):
    value = serializers.BooleanField(default=True)


class AnomalySerializer(serializers.ModelSerializer):
    date = serializers.DateField(source="transaction.date", read_only=True)
    amount = serializers.DecimalField(source="transaction.amount", max_digits=14, decimal_places=2, read_only=True)
    merchant = serializers.CharField(source="transaction.merchant", read_only=True)
    description = serializers.CharField(source="transaction.description", read_only=True)

    class Meta:
        model = Anomaly
        fields = ["id", "transaction", "date", "amount", "merchant", "description", "score", "reasons", "status",
                  "detected_at"]  # fmt: skip
        read_only_fields = fields


class PersonaAssignmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonaAssignment
        fields = ["id", "persona", "name", "description", "confidence", "top_features", "tips", "is_current",
                  "assigned_at"]  # fmt: skip
        read_only_fields = fields


class BalanceForecastSerializer(serializers.ModelSerializer):
    class Meta:
        model = BalanceForecast
        fields = ["id", "account", "model_name", "backtest_mae", "model_maes", "horizon_days", "start_balance",
                  "points", "low_balance_threshold", "low_points", "enough_data", "created_at"]  # fmt: skip
        read_only_fields = fields
