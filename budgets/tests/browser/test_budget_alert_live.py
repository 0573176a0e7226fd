"""In a real browser: create a budget, import spending that crosses 80%, and see the alert arrive in the bell
without reloading the page."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def in_worker_thread(work: Callable[[], object]) -> None:
    """Run `work` as a background worker would: in its own thread, with its own database connection. (Playwright
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
    worker.join(timeout=60)
    if failures:
        raise failures[0]


def sign_in(page: Page, server_url: str, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server_url}])


def test_budget_alert_arrives_live_after_an_import(live_asgi, page: Page, member, tmp_path):
    sign_in(page, live_asgi.url, member)

    page.goto(f"{live_asgi.url}/budgets/new/")
    page.get_by_label("Name").fill("Everyday spending")
    page.get_by_label("Amount").fill("200.00")
    page.get_by_role("button", name="Create budget").click()
    expect(page).to_have_url(f"{live_asgi.url}/budgets/")
    card = page.locator("article", has_text="Everyday spending")
    expect(card).to_contain_text("$0.00 of $200.00")
    expect(page.locator("body")).to_have_attribute("data-live", "on")  # the notification socket is open
    expect(page.locator("#bell-count")).to_be_hidden()

    statement = tmp_path / "statement.csv"
    statement.write_text(
        "Date,Description,Amount\n"
        f"{date.today():%Y-%m-%d},GREENGROCER,-95.50\n"
        f"{date.today():%Y-%m-%d},HARDWARE STORE,-74.50\n"
    )
    in_worker_thread(
        lambda: call_command("import_transactions", str(statement), user=member.email, account="Everyday", json=True)
    )

    expect(page.locator("#bell-count")).to_have_attribute("data-count", "1")
    page.locator("#bell button[aria-label='Notifications']").click()
    expect(page.locator("#bell-list")).to_contain_text("Everyday spending: 85% of the budget used")
    expect(page.locator("#toasts")).to_contain_text("You've spent $170.00 of $200.00")
    # the overview refreshed itself with the new figures
    expect(card).to_contain_text("$170.00 of $200.00")
    expect(card).to_have_attribute("data-status", "warning")
