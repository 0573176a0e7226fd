"""One error body for every API failure: {"error": {"code", "message", "fields"}}."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code = getattr(exc, "default_code", "error")
    fields = None
    if isinstance(exc, exceptions.ValidationError):
        fields = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        message = "The request has invalid fields."
    else:
        message = str(getattr(exc, "detail", exc))
    body = {"error": {"code": code, "message": message, "status": response.status_code}}
    if fields is not None:
        body["error"]["fields"] = fields
    if response.status_code == status.HTTP_429_TOO_MANY_REQUESTS and getattr(exc, "wait", None):
        body["error"]["retry_after_seconds"] = int(exc.wait)
    return Response(body, status=response.status_code, headers=dict(response.headers.items()))
