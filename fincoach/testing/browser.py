"""Helpers for the Playwright tests."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection
from django.test import Client
from playwright.sync_api import Page


def in_worker_thread(work: Callable[[], object], timeout: float = 120) -> None:
    """Run `work` as a background worker would: in its own thread with its own database connection. (Playwright
    keeps an event loop running in the test's thread, where the live push's async_to_sync cannot run.)"""
    failures: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=timeout)
    if failures:
        raise failures[0]


def sign_in(page: Page, server_url: str, user) -> None:
    """Give the browser a logged-in session cookie for `user`."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server_url}])
