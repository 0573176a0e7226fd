"""/api/v1/ endpoints of the ML engine: subscriptions (with the user's marks), anomalies (dismiss, confirm),
persona history and current balance forecasts. Household-scoped by the base viewsets."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from fincoach.api.base import HouseholdReadOnlyViewSet

from .models import Anomaly, BalanceForecast, PersonaAssignment, RecurringSeries
from .serializers import (
    AnomalySerializer,
    BalanceForecastSerializer,
    FlagSerializer,
    PersonaAssignmentSerializer,
    RecurringSeriesSerializer,
    RenameSerializer,
)
from .services import marks


def _validated(serializer_class, request: Request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class RecurringSeriesViewSet(HouseholdReadOnlyViewSet):
    """Recurring payments and income; `?subscriptions=1` for the subscriptions only."""

    queryset = RecurringSeries.objects.select_related("category")
    lookup_value_converter = "int"
    serializer_class = RecurringSeriesSerializer

    def filter_scoped_queryset(self, queryset):
        if self.request.query_params.get("subscriptions") in ("1", "true"):
            queryset = queryset.filter(is_subscription=True, user_marked_not_subscription=False, is_income=False)
        return queryset

    def _answer(self, series: RecurringSeries) -> Response:
        return Response(self.get_serializer(series).data)

    @extend_schema(request=RenameSerializer, responses=RecurringSeriesSerializer)
    @action(detail=True, methods=["post"])
    def rename(self, request: Request, pk=None) -> Response:
        series = self.get_object()
        try:
            marks.recurring_series_rename(
                request.household, series, _validated(RenameSerializer, request)["display_name"]
            )
        except ValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error
        return self._answer(series)

    @extend_schema(request=FlagSerializer, responses=RecurringSeriesSerializer)
    @action(detail=True, methods=["post"], url_path="not-subscription")
    def not_subscription(self, request: Request, pk=None) -> Response:
        series = self.get_object()
        marks.recurring_series_mark_not_subscription(
            request.household, series, _validated(FlagSerializer, request)["value"]
        )
        return self._answer(series)

    @extend_schema(request=FlagSerializer, responses=RecurringSeriesSerializer)
    @action(detail=True, methods=["post"])
    def cancelled(self, request: Request, pk=None) -> Response:
        series = self.get_object()
        marks.recurring_series_mark_cancelled(request.household, series, _validated(FlagSerializer, request)["value"])
        return self._answer(series)


class AnomalyViewSet(HouseholdReadOnlyViewSet):
    """Unusual transactions; `?status=open|dismissed|confirmed`."""

    queryset = Anomaly.objects.select_related("transaction")
    lookup_value_converter = "int"
    serializer_class = AnomalySerializer

    def filter_scoped_queryset(self, queryset):
        status = self.request.query_params.get("status")
        return queryset.filter(status=status) if status else queryset

    @extend_schema(request=None, responses=AnomalySerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, pk=None) -> Response:
        anomaly = marks.anomaly_dismiss(request.household, self.get_object())
        return Response(self.get_serializer(anomaly).data)

    @extend_schema(request=None, responses=AnomalySerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk=None) -> Response:
        anomaly = marks.anomaly_confirm(request.household, self.get_object())
        return Response(self.get_serializer(anomaly).data)


class PersonaAssignmentViewSet(HouseholdReadOnlyViewSet):
    """The household's persona history, newest first (the current one has `is_current`)."""

    queryset = PersonaAssignment.objects.all()
    lookup_value_converter = "int"
    serializer_class = PersonaAssignmentSerializer


class BalanceForecastViewSet(HouseholdReadOnlyViewSet):
    """Current balance forecasts: the household total (`account` null) and one per account."""

    queryset = BalanceForecast.objects.filter(is_current=True)
    lookup_value_converter = "int"
    serializer_class = BalanceForecastSerializer
