"""/api/v1/goals/ and /api/v1/goal-contributions/. Thin: selectors and services do the work."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from budgets.clock import clock_for_user
from fincoach.api.base import HouseholdModelViewSet, HouseholdScopedViewSet

from . import selectors, services
from .models import Goal, GoalContribution
from .serializers import (
    EmergencyFundSerializer,
    GoalContributionSerializer,
    GoalProgressSerializer,
    GoalSerializer,
    PayoffScheduleSerializer,
    StrategySerializer,
)

EXTRA_PARAM = OpenApiParameter("extra", Decimal, description="Paid on top of the minimums each month (default 0)")


def _extra(request: Request) -> Decimal:
    raw = request.query_params.get("extra") or "0"
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise serializers.ValidationError({"extra": [f"{raw!r} is not an amount."]}) from None
    if value < 0 or not value.is_finite():
        raise serializers.ValidationError({"extra": ["The extra amount cannot be negative."]})
    return value


class GoalViewSet(HouseholdModelViewSet):
    queryset = Goal.objects.select_related("linked_account")
    serializer_class = GoalSerializer
    lookup_value_converter = "int"

    def perform_create(self, serializer):
        serializer.instance = services.goal_create(household=self.request.household, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.goal_update(serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        services.goal_delete(instance)

    @extend_schema(responses=GoalProgressSerializer(many=True))
    @action(detail=False, url_path="progress")
    def progress_list(self, request: Request) -> Response:
        """Progress and projection of every goal."""
        found = selectors.goals_with_progress(request.household, clock=clock_for_user(request.user))
        return Response(GoalProgressSerializer(found, many=True).data)

    @extend_schema(responses=GoalProgressSerializer)
    @action(detail=True)
    def progress(self, request: Request, pk=None) -> Response:
        found = selectors.goal_with_progress(self.get_object(), clock=clock_for_user(request.user))
        return Response(GoalProgressSerializer(found).data)

    @extend_schema(parameters=[EXTRA_PARAM], responses=PayoffScheduleSerializer)
    @action(detail=True, url_path="payoff-schedule")
    def payoff_schedule(self, request: Request, pk=None) -> Response:
        """The month-by-month payoff of a debt goal at its minimum payment plus `extra`."""
        progress = selectors.goal_with_progress(self.get_object(), clock=clock_for_user(request.user))
        plan = selectors.debt_plan(progress, _extra(request))
        if plan is None:
            raise serializers.ValidationError(
                {"goal": ["Only a debt payoff goal with an APR and a minimum payment has a payoff schedule."]}
            )
        if plan.error:
            raise serializers.ValidationError({"minimum_payment": [plan.error]})
        totals = plan.totals
        body = {
            "months": totals.months,
            "total_interest": totals.total_interest,
            "total_paid": totals.total_paid,
            "schedule": plan.schedule,
        }
        return Response(PayoffScheduleSerializer(body).data)

    @extend_schema(parameters=[EXTRA_PARAM], responses=StrategySerializer(many=True))
    @action(detail=False, url_path="debt-strategies")
    def debt_strategies(self, request: Request) -> Response:
        """Avalanche vs snowball over the active debt goals (an empty list with fewer than two)."""
        progresses = selectors.goals_with_progress(request.household, clock=clock_for_user(request.user))
        comparison = selectors.debt_strategies(progresses, _extra(request))
        if comparison is None:
            return Response([])
        if comparison.error:
            raise serializers.ValidationError({"extra": [comparison.error]})
        return Response(StrategySerializer(list(comparison.results.values()), many=True).data)

    @extend_schema(responses={200: EmergencyFundSerializer, 204: None})
    @action(detail=False, url_path="emergency-fund")
    def emergency_fund(self, request: Request) -> Response:
        """Three to six months of essential spending (204 without any spending history to go on)."""
        found = selectors.emergency_fund_suggestion(request.household, clock=clock_for_user(request.user))
        if found is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(EmergencyFundSerializer(found).data)


class GoalContributionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    HouseholdScopedViewSet,
):
    """Contributions: list (filter with `?goal=<id>`), add, look at, remove."""

    queryset = GoalContribution.objects.select_related("goal")
    serializer_class = GoalContributionSerializer
    lookup_value_converter = "int"

    def filter_scoped_queryset(self, queryset):
        goal = self.request.query_params.get("goal")
        if goal:
            if not goal.isdigit():
                raise serializers.ValidationError({"goal": ["Give a goal id."]})
            queryset = queryset.filter(goal_id=int(goal))
        return queryset

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.goal_contribute(
            data["goal"],
            amount=data.get("amount"),
            day=data.get("date"),
            note=data.get("note", ""),
            linked_transaction=data.get("transaction"),
            user=self.request.user,
        )

    def perform_destroy(self, instance):
        services.goal_contribution_delete(instance)
