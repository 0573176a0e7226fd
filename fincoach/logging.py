"""A request id carried in a context variable, so every log line of one request (or task) can be joined."""

from __future__ import annotations

import contextvars
import logging

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record: the request's own when the record carries it (Django logs 4xx/5xx
    responses after the middleware has finished), else the one of the request or task being handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or request_id_var.get()
        return True
