"""/api/v1/budgets/: CRUD plus usage, summary, history and suggestions. Thin: selectors and services do the work."""

from __future__ import annotations

from datetime import date

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from fincoach.api.base import HouseholdModelViewSet

from . import periods, selectors, services
from .clock import clock_for_user
from .models import Budget
from .serializers import (
    AcceptSuggestionSerializer,
    BudgetSerializer,
    BudgetSuggestionSerializer,
    BudgetUsageSerializer,
    PeriodSummarySerializer,
    UsageSerializer,
)

DATE_PARAM = OpenApiParameter("date", date, description="A day inside the period wanted (default: today)")


def _date_param(request: Request, name: str) -> date | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise serializers.ValidationError({name: [f"{raw!r} is not a date (YYYY-MM-DD)."]}) from None


class BudgetViewSet(HouseholdModelViewSet):
    queryset = Budget.objects.prefetch_related("categories")
    serializer_class = BudgetSerializer
    lookup_value_converter = "int"

    def perform_create(self, serializer):
        serializer.instance = services.budget_create(household=self.request.household, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.budget_update(serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        services.budget_delete(instance)

    @extend_schema(parameters=[DATE_PARAM], responses=BudgetUsageSerializer(many=True))
    @action(detail=False)
    def usage(self, request: Request) -> Response:
        """Usage of every active budget in its period containing `date`."""
        clock = clock_for_user(request.user)
        found = selectors.budget_usage_for_period(request.household, clock=clock, on=_date_param(request, "date"))
        return Response(BudgetUsageSerializer(found, many=True).data)

    @extend_schema(responses=UsageSerializer(many=True))
    @action(detail=True)
    def history(self, request: Request, pk=None) -> Response:
        """The budget's last twelve periods, oldest first."""
        history = selectors.budget_history(self.get_object(), clock=clock_for_user(request.user))
        return Response(UsageSerializer(history, many=True).data)

    @extend_schema(
        parameters=[DATE_PARAM, OpenApiParameter("month_start_day", int, description="1..31 (default: the budgets')")],
        responses=PeriodSummarySerializer,
    )
    @action(detail=False)
    def summary(self, request: Request) -> Response:
        """Budgeted vs spent, income, savings rate and unbudgeted spending for the budget month containing `date`."""
        clock = clock_for_user(request.user)
        budgets = list(selectors.budgets_for_household(request.household))
        start_day = request.query_params.get("month_start_day") or selectors.summary_month_start_day(budgets)
        try:
            cadence = periods.Cadence(periods.MONTHLY, month_start_day=int(start_day))
        except ValueError:
            raise serializers.ValidationError({"month_start_day": ["Give a day of the month, 1 to 31."]}) from None
        window = cadence.period_containing(_date_param(request, "date") or clock.today)
        summary = selectors.budget_period_summary(request.household, window=window, clock=clock, budgets=budgets)
        return Response(PeriodSummarySerializer(summary).data)

    @extend_schema(responses=BudgetSuggestionSerializer(many=True))
    @action(detail=False)
    def suggestions(self, request: Request) -> Response:
        """Monthly amounts for regular spending categories without a budget, from the last six months."""
        found = selectors.budget_suggestions(request.household, clock=clock_for_user(request.user))
        return Response(BudgetSuggestionSerializer(found, many=True).data)

    @extend_schema(request=AcceptSuggestionSerializer, responses={201: BudgetSerializer})
    @suggestions.mapping.post
    def accept_suggestion(self, request: Request) -> Response:
        """Accept a suggestion: a monthly budget for the whole category."""
        incoming = AcceptSuggestionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        budget = services.budget_accept_suggestion(household=request.household, **incoming.validated_data)
        return Response(BudgetSerializer(budget).data, status=status.HTTP_201_CREATED)
