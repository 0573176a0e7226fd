"""In a real browser: a new user's onboarding checklist, the dashboard with demo data (charts drawn, dark mode, a
phone's width), and a coaching insight arriving live after an import, then marked helpful."""

from __future__ import annotations

from datetime import date, timedelta
from importlib import import_module

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from accounts.models import Preferences, User
from fincoach.testing.browser import in_worker_thread, sign_in
from insights.facts.periods import add_months
from insights.models import Insight

from ..coach_factories import txn

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def system_categories(transactional_db):
    """Live-server tests flush the database between tests, taking the taxonomy loaded by a data migration with it:
    load it again (idempotent)."""
    from django.apps import apps

    import_module("transactions.migrations.0002_system_categories").load_categories(apps, None)


def test_a_new_user_sees_the_onboarding_checklist(live_asgi, page: Page, member):
    sign_in(page, live_asgi.url, member)

    page.goto(f"{live_asgi.url}/")

    expect(page.get_by_role("heading", name="Welcome to fincoach — let's get you set up")).to_be_visible()
    steps = page.locator(".onboarding-checklist li")
    expect(steps).to_have_count(4)
    for index, label in enumerate(
        ["Connect a bank or import a file", "Set a budget", "Create a goal", "Turn on two-factor authentication"]
    ):
        expect(steps.nth(index)).to_contain_text(label)
        expect(steps.nth(index)).to_have_attribute("data-done", "false")
    expect(page.locator("canvas")).to_have_count(0)  # no empty charts
    steps.nth(0).get_by_role("link", name="Start").click()
    expect(page).to_have_url(f"{live_asgi.url}/transactions/imports/")


def _chart_drawn(page: Page, kind: str) -> None:
    page.wait_for_function(
        f"() => window.Chart && Chart.getChart(document.querySelector('canvas[data-chart=\"{kind}\"]'))"
    )


def test_the_dashboard_with_demo_data(live_asgi, page: Page):
    in_worker_thread(lambda: call_command("seed_demo", months=6, json=True))
    demo = User.objects.get(email="demo@fincoach.local")
    sign_in(page, live_asgi.url, demo)

    page.goto(f"{live_asgi.url}/")

    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    for section in ("Net worth", "Spent this month", "Income vs spending", "Budgets", "Goals", "Recent transactions"):
        expect(page.get_by_role("heading", name=section, exact=True)).to_be_visible()
    _chart_drawn(page, "categories")
    _chart_drawn(page, "trend")
    expect(page.locator("#recent-transactions tbody tr")).to_have_count(8)
    expect(page.locator("#budget-progress .progress-bar").first).to_be_visible()

    # Dark mode: the charts are redrawn in the theme's text colour.
    Preferences.objects.filter(user=demo).update(theme="dark")
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")
    _chart_drawn(page, "trend")
    tick_colour, body_colour = page.evaluate(
        "() => [Chart.getChart(document.querySelector('canvas[data-chart=\"trend\"]')).options.scales.x.ticks.color,"
        " getComputedStyle(document.documentElement).getPropertyValue('--bs-body-color').trim()]"
    )
    assert tick_colour == body_colour

    # A phone: nothing runs off the side of the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    _chart_drawn(page, "categories")
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_an_insight_arrives_live_after_an_import_and_is_marked_helpful(
    live_asgi, page: Page, member, household, tmp_path, monkeypatch
):
    # A fixed day in the middle of last month, so the spending-pace rule has a settled history and enough days.
    today = add_months(date.today().replace(day=1), -1) + timedelta(days=19)
    monkeypatch.setattr("insights.services.generation.local_today", lambda user: today)
    for months_back in (1, 2, 3):
        txn(
            household,
            add_months(today.replace(day=3), -months_back),
            "-300.00",
            "FOOD_AND_DRINK_GROCERIES",
            account_name="Everyday",
        )
    sign_in(page, live_asgi.url, member)
    page.goto(f"{live_asgi.url}/")
    expect(page.locator("body")).to_have_attribute("data-live", "on")  # the notification socket is open

    statement = tmp_path / "statement.csv"
    statement.write_text(
        "Date,Description,Amount\n"
        f"{today - timedelta(days=5):%Y-%m-%d},FARMERS MARKET,-450.00\n"
        f"{today - timedelta(days=2):%Y-%m-%d},GREENGROCER,-300.00\n"
    )
    in_worker_thread(
        lambda: call_command("import_transactions", str(statement), user=member.email, account="Everyday", json=True)
    )

    expect(page.locator("#bell-list")).to_contain_text("above your usual pace")
    expect(page.locator("#toasts")).to_contain_text("above your usual pace")
    insight = Insight.objects.get(user=member, kind="spending_pace")
    assert insight.trigger == "event"
    assert "$750.00 this month" in insight.message

    page.goto(f"{live_asgi.url}/insights/?status=all")  # the insight expired in real time: its "today" is past
    card = page.locator(f"#insight-{insight.pk}")
    expect(card).to_contain_text("above your usual pace")
    card.get_by_role("button", name=f"Helpful: {insight.title}", exact=True).click()
    expect(page.locator(f"#insight-{insight.pk}")).to_contain_text("we'll show more like this")
    insight.refresh_from_db()
    assert insight.helpful is True
