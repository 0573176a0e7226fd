"""Shared fixtures: people and households, API clients, the live ASGI server and the browser."""

from __future__ import annotations

import os

import pytest

from .cache import clear_test_cache
from .services import require_chromium

PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with no rate-limit or throttle history."""
    clear_test_cache()


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def member(db):
    """A signed-up user who owns a household (the usual actor of a test)."""
    from accounts.tests.factories import UserFactory

    return UserFactory(password=PASSWORD)


@pytest.fixture
def household(member):
    return member.membership.household


@pytest.fixture
def other_member(db):
    """A user of another household: their objects must be invisible (404) to `member`."""
    from accounts.tests.factories import UserFactory

    return UserFactory(password=PASSWORD)


@pytest.fixture
def other_household(other_member):
    return other_member.membership.household


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def api_client(member):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(member)
    return api


@pytest.fixture
def live_asgi(transactional_db, settings):
    """uvicorn serving fincoach.asgi in a thread: HTTP + WebSockets, on the test database."""
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    from fincoach.asgi import application

    from .live_server import AsgiLiveServer

    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    # Tests run with DEBUG off, so static files (CSS, htmx, app.js) are served by the handler Django's own live
    # server uses; WebSocket traffic passes through to the app.
    server = AsgiLiveServer(ASGIStaticFilesHandler(application)).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = require_chromium()
    # Playwright's sync API keeps an event loop running in the test thread; the ORM calls the tests make there
    # are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(autouse=True)
def _system_categories(request):
    """System categories come from a data migration; a transactional test's flush removes them. Put them back
    before any test that touches the database, whatever ran before it on this worker."""
    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    if {"transactional_db", "live_asgi", "live_server"} & names or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
    elif marker is not None or "db" in names:
        request.getfixturevalue("db")
    else:
        return
    from transactions.models import Category
    from transactions.taxonomy import CATEGORIES, load_system_categories

    if Category.objects.filter(household__isnull=True).count() != len(CATEGORIES):
        from ml.services.categorizing import forget_category_ids

        load_system_categories(Category)
        forget_category_ids()
