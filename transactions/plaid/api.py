"""REST API for linked banks: list, connect (public token exchange), sync, Link tokens, disconnect."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from fincoach.api.base import HouseholdReadOnlyViewSet
from transactions.models import FinancialAccount, PlaidItem

from . import services
from .client import PlaidError
from .conf import plaid_is_configured
from .models import PlaidSyncRun
from .serializers import LinkTokenSerializer, PlaidConnectSerializer, PlaidItemSerializer
from .tasks import sync_item


class PlaidNotConfigured(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "plaid_not_configured"
    default_detail = "Plaid is not configured on this server (PLAID_CLIENT_ID, PLAID_SECRET)."


class PlaidFailed(APIException):
    status_code = status.HTTP_502_BAD_GATEWAY
    default_code = "plaid_error"
    default_detail = "Plaid could not complete the request."


def _require_plaid() -> None:
    if not plaid_is_configured():
        raise PlaidNotConfigured()


def _plaid_failed(exc: PlaidError) -> PlaidFailed:
    return PlaidFailed(detail=f"{exc.user_message} ({exc.error_code or exc.status})")


class PlaidItemViewSet(mixins.DestroyModelMixin, HouseholdReadOnlyViewSet):
    """The household's bank connections (Plaid items) and their accounts."""

    queryset = PlaidItem.objects.select_related("institution").prefetch_related(
        Prefetch("accounts", queryset=FinancialAccount.objects.order_by("name"))
    )
    serializer_class = PlaidItemSerializer

    @extend_schema(request=PlaidConnectSerializer, responses={201: PlaidItemSerializer})
    def create(self, request):
        """Link a bank from the public token Plaid Link returned."""
        _require_plaid()
        data = PlaidConnectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            result = services.plaid_item_connect(request.user, data.validated_data["public_token"])
        except PlaidError as exc:
            raise _plaid_failed(exc) from None
        item = self.get_queryset().get(pk=result.item.pk)
        return Response(PlaidItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("keep_history", OpenApiTypes.BOOL, description="default true")],
        responses={204: None},
    )
    def destroy(self, request, pk=None):
        """Disconnect the bank (Plaid /item/remove); `?keep_history=false` also deletes its accounts."""
        item = self.get_object()
        keep_history = request.query_params.get("keep_history", "true").lower() not in ("false", "0", "no")
        try:
            services.plaid_item_disconnect(item, keep_history=keep_history)
        except PlaidError as exc:
            raise _plaid_failed(exc) from None
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={202: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"])
    def sync(self, request, pk=None):
        """Queue a sync of this bank now."""
        item = self.get_object()
        sync_item.delay(item.pk, trigger=PlaidSyncRun.Trigger.MANUAL)
        return Response({"queued": True}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={200: LinkTokenSerializer}, operation_id="plaid_link_token_create")
    @action(detail=False, methods=["post"], url_path="link-token")
    def link_token(self, request):
        """A Plaid Link token to link a new bank."""
        return self._link_token(request, None)

    @extend_schema(
        request=None, responses={200: LinkTokenSerializer}, operation_id="plaid_item_update_link_token_create"
    )
    @action(detail=True, methods=["post"], url_path="link-token")
    def update_link_token(self, request, pk=None):
        """A Plaid Link token in update mode, to repair this connection or add its new accounts."""
        return self._link_token(request, self.get_object())

    def _link_token(self, request, item: PlaidItem | None) -> Response:
        _require_plaid()
        try:
            token = services.plaid_link_token_create(request.user, item=item)
        except PlaidError as exc:
            raise _plaid_failed(exc) from None
        return Response({"link_token": token})
