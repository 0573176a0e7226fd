"""/healthz: database and (when configured) Redis status; 503 when one of them is down."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from fincoach.testing.services import require_redis

pytestmark = pytest.mark.django_db


def test_healthy(client, settings):
    settings.REDIS_URL = ""

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}
    assert "no-cache" in response["Cache-Control"]


def test_503_when_the_database_is_down(client, settings, monkeypatch):
    settings.REDIS_URL = ""

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", unreachable)
    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json() == {"status": "degraded", "checks": {"database": "down"}}


def test_503_when_redis_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "redis": "down"}


@pytest.mark.services
def test_healthy_with_real_redis(client):
    require_redis()

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "redis": "ok"}


def test_only_get(client):
    assert client.post(reverse("healthz")).status_code == 405
