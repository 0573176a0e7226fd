"""API shapes for goals. Money is a decimal string; validation of meaning happens in `services`."""

from __future__ import annotations

from rest_framework import serializers

from transactions.models import FinancialAccount, Transaction

from .models import Goal, GoalContribution


class HouseholdPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A primary key among the requesting household's objects only (another household's id is "not found")."""

    def get_queryset(self):
        return self.queryset.for_household(self.context.get("household"))


class GoalSerializer(serializers.ModelSerializer):
    linked_account = HouseholdPrimaryKeyField(queryset=FinancialAccount.objects.all(), allow_null=True, required=False)

    class Meta:
        model = Goal
        fields = [
            "id",
            "name",
            "kind",
            "target_amount",
            "target_date",
            "priority",
            "status",
            "linked_account",
            "apr",
            "minimum_payment",
            "notes",
            "started_on",
            "completed_at",
            "created_at",
        ]
        read_only_fields = ["id", "completed_at", "created_at"]
        extra_kwargs = {"started_on": {"required": False}}


class ProjectionSerializer(serializers.Serializer):
    remaining = serializers.DecimalField(max_digits=14, decimal_places=2)
    required_monthly = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    pace = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="Net progress per month lately")
    projected_date = serializers.DateField(allow_null=True)
    target_date = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=["done", "on_track", "behind", "no_deadline"])


class GoalProgressSerializer(serializers.Serializer):
    goal = serializers.IntegerField(source="goal.pk")
    name = serializers.CharField(source="goal.name")
    saved = serializers.DecimalField(max_digits=14, decimal_places=2)
    target = serializers.DecimalField(max_digits=14, decimal_places=2)
    remaining = serializers.DecimalField(max_digits=14, decimal_places=2)
    percent = serializers.IntegerField()
    status = serializers.CharField()
    account_balance = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    projection = ProjectionSerializer()


class GoalContributionSerializer(serializers.ModelSerializer):
    transaction = HouseholdPrimaryKeyField(queryset=Transaction.objects.all(), allow_null=True, required=False)
    goal = HouseholdPrimaryKeyField(queryset=Goal.objects.all())
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    date = serializers.DateField(required=False, allow_null=True)

    class Meta:
        model = GoalContribution
        fields = ["id", "goal", "amount", "date", "note", "transaction", "created_at"]
        read_only_fields = ["id", "created_at"]
        validators = []  # the service refuses a transaction linked twice, with a clearer message


class ScheduleRowSerializer(serializers.Serializer):
    month = serializers.IntegerField()
    payment = serializers.DecimalField(max_digits=14, decimal_places=2)
    interest = serializers.DecimalField(max_digits=14, decimal_places=2)
    principal = serializers.DecimalField(max_digits=14, decimal_places=2)
    balance = serializers.DecimalField(max_digits=14, decimal_places=2)


class PayoffScheduleSerializer(serializers.Serializer):
    months = serializers.IntegerField()
    total_interest = serializers.DecimalField(max_digits=14, decimal_places=2)
    total_paid = serializers.DecimalField(max_digits=14, decimal_places=2)
    schedule = ScheduleRowSerializer(many=True)


class StrategySerializer(serializers.Serializer):
    strategy = serializers.CharField()
    months = serializers.IntegerField()
    total_interest = serializers.DecimalField(max_digits=14, decimal_places=2)
    total_paid = serializers.DecimalField(max_digits=14, decimal_places=2)
    order = serializers.ListField(child=serializers.CharField())
    payoff_month = serializers.DictField(child=serializers.IntegerField())


class EmergencyFundSerializer(serializers.Serializer):
    monthly_essentials = serializers.DecimalField(max_digits=14, decimal_places=2)
    months_of_data = serializers.IntegerField()
    low = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="3 months of essentials")
    high = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="6 months of essentials")
