"""/api/v1 endpoints of the coach: the person's insights (with feedback and dismissal) and "ask the coach"."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action, api_view
from rest_framework.request import Request
from rest_framework.response import Response

from fincoach.api.base import HouseholdReadOnlyViewSet

from .facts.pages import InsightFilters
from .models import Insight
from .serializers import AnswerSerializer, FeedbackSerializer, InsightSerializer, QuestionSerializer
from .services import insight_dismiss, insight_set_helpful
from .services.ask import QuestionError, coach_ask


class InsightViewSet(HouseholdReadOnlyViewSet):
    """Your insights, newest first. Filters: `status` (live, unread, helpful, dismissed, all), `type` (alerts,
    coaching), `kind`."""

    queryset = Insight.objects.all()
    serializer_class = InsightSerializer

    def filter_scoped_queryset(self, queryset):
        queryset = queryset.for_user(self.request.user).order_by("-created_at", "-id")
        if self.action == "list":
            queryset = InsightFilters.from_query(self.request.query_params).apply(queryset)
        return queryset

    @extend_schema(request=FeedbackSerializer, responses=InsightSerializer)
    @action(detail=True, methods=["post"])
    def feedback(self, request: Request, pk=None) -> Response:
        insight = self.get_object()
        body = FeedbackSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        insight_set_helpful(request.user, insight, helpful=body.validated_data["helpful"])
        insight.refresh_from_db()
        return Response(InsightSerializer(insight).data)

    @extend_schema(request=None, responses=InsightSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, pk=None) -> Response:
        insight = insight_dismiss(request.user, self.get_object())
        return Response(InsightSerializer(insight).data)


@extend_schema(request=QuestionSerializer, responses=AnswerSerializer)
@api_view(["POST"])
def ask(request: Request) -> Response:
    """Ask the coach a question about your household's money."""
    body = QuestionSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    try:
        exchange, answer = coach_ask(request.user, request.household, body.validated_data["question"])
    except QuestionError as exc:
        return Response({"question": [str(exc)]}, status=status.HTTP_400_BAD_REQUEST)
    return Response({"question": exchange.question, **AnswerSerializer(answer).data})
