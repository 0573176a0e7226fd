"""API shapes for budgets. Money is a decimal string; validation of meaning happens in `services`."""

from __future__ import annotations

from rest_framework import serializers

from .models import Budget


class CategoryIdsField(serializers.ListField):
    """Category ids in and out (the service checks they are the household's spending categories)."""

    child = serializers.IntegerField(min_value=1)

    def to_representation(self, value):
        return sorted(c.pk for c in value.all())


class BudgetSerializer(serializers.ModelSerializer):
    categories = CategoryIdsField(required=False, help_text="Category ids; empty for all spending")
    label = serializers.CharField(read_only=True)

    class Meta:
        model = Budget
        fields = [
            "id",
            "name",
            "label",
            "categories",
            "amount",
            "period",
            "month_start_day",
            "start_date",
            "end_date",
            "alert_threshold",
            "rollover",
            "rollover_overspend",
            "is_active",
            "created_at",
        ]
        read_only_fields = ["id", "label", "created_at"]
        extra_kwargs = {"start_date": {"required": False}}


def _money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True, **kwargs)


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    days = serializers.IntegerField()


class UsageSerializer(serializers.Serializer):
    period = PeriodSerializer()
    amount = _money()
    carried_over = _money()
    available = _money()
    spent = _money()
    remaining = _money()
    overspent = _money()
    percent = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    status = serializers.ChoiceField(choices=["ok", "warning", "over"])
    days_left = serializers.IntegerField()
    projected_spend = _money(allow_null=True, help_text="Spending at period end at the pace so far")


class BudgetUsageSerializer(serializers.Serializer):
    budget = serializers.IntegerField(source="budget.pk")
    label = serializers.CharField(source="budget.label")
    usage = UsageSerializer(allow_null=True, help_text="null when the budget starts later")


class CategorySpendSerializer(serializers.Serializer):
    primary_code = serializers.CharField()
    name = serializers.CharField()
    spent = _money()


class PeriodSummarySerializer(serializers.Serializer):
    period = PeriodSerializer()
    budgeted = _money()
    spent_in_budgets = _money()
    spending = _money()
    spending_cap = _money(allow_null=True)
    income = _money()
    savings = _money()
    savings_rate = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True, help_text="percent")
    unbudgeted = CategorySpendSerializer(many=True)
    unbudgeted_total = _money()


class BudgetSuggestionSerializer(serializers.Serializer):
    primary_code = serializers.CharField()
    name = serializers.CharField(read_only=True)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    average = _money()
    monthly = serializers.ListField(child=serializers.DecimalField(max_digits=14, decimal_places=2), read_only=True)


class AcceptSuggestionSerializer(serializers.Serializer):
    primary_code = serializers.CharField(max_length=40)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
