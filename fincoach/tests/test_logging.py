"""Structured logging: JSON lines (production) carrying the request id, which is also echoed to the client."""

from __future__ import annotations

import io
import json
import logging
import logging.config

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_log():
    """Root logging as production configures it (JSON lines), captured in memory."""
    stream = io.StringIO()
    config = json.loads(json.dumps(settings.LOGGING))  # a deep copy
    config["handlers"]["console"].update(formatter="json", stream="ext://sys.stdout")
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    logging.config.dictConfig(config)
    handler = root.handlers[0]
    handler.setStream(stream)
    yield stream
    root.handlers[:] = saved_handlers
    root.setLevel(saved_level)


def _lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_every_line_of_a_request_carries_its_id(client, json_log):
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="trace-42")

    assert response.status_code == 404
    assert response["X-Request-ID"] == "trace-42"
    lines = [line for line in _lines(json_log) if line["logger"] == "django.request"]
    assert lines, json_log.getvalue()
    assert lines[0]["request_id"] == "trace-42"
    assert lines[0]["level"] == "WARNING"
    assert "Not Found" in lines[0]["message"]
    assert "time" in lines[0]


def test_a_hostile_request_id_is_replaced(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="<script>alert(1)</script>")

    assert response["X-Request-ID"] != "<script>alert(1)</script>"
    assert len(response["X-Request-ID"]) == 32


def test_lines_outside_requests_have_a_placeholder_id(json_log):
    logging.getLogger("fincoach.test").warning("background work")

    assert _lines(json_log)[-1]["request_id"] == "-"
