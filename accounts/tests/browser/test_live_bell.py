"""In a real browser: a notification arrives in the bell of an open page, over the WebSocket, without a reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.browser


def _log_in(page: Page, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_a_notification_appears_live_in_the_bell(live_asgi, page: Page, context: BrowserContext, password):
    person = UserFactory(password=password)
    _log_in(page, live_asgi.url, person.email, password)

    # One tab watches the bell...
    page.goto(f"{live_asgi.url}/settings/")
    expect(page.locator("body")).to_have_attribute("data-live", "on")  # the socket is connected
    expect(page.locator("#bell-count")).to_be_hidden()
    page.evaluate("window.__notReloaded = true")

    # ...another asks for a test notification.
    sender = context.new_page()
    sender.goto(f"{live_asgi.url}/settings/#notifications")
    sender.get_by_role("button", name="Send me a test notification").click()

    expect(page.locator("#bell-count")).to_have_text("1 unread notifications")
    expect(page.locator("#bell-list")).to_contain_text("Test notification")
    expect(page.locator("#toasts")).to_contain_text("Test notification")
    assert page.evaluate("window.__notReloaded") is True
