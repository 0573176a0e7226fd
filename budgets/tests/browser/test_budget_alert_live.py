"""In a real browser: create a budget, import spending that crosses 80%, and see the alert arrive in the bell
without reloading the page."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from fincoach.testing.browser import in_worker_thread, sign_in

pytestmark = pytest.mark.browser


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
