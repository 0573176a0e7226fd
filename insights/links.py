"""Where an insight's action button leads. URL names of other apps live here, in one place, and a page that does
not exist (yet) falls back to a sensible neighbour instead of breaking insight generation."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse


def _reverse(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def insights_page(anchor: str = "") -> str:
    url = reverse("insights:insight_list")
    return f"{url}#{anchor}" if anchor else url


def transactions_page() -> str:
    return _reverse("transactions:index") or "/transactions/"


def budgets_page() -> str:
    return _reverse("budgets:index") or "/budgets/"


def budget_page(budget_id: int) -> str:
    return _reverse("budgets:detail", budget_id) or budgets_page()


def new_budget_page() -> str:
    return _reverse("budgets:create") or budgets_page()


def goals_page() -> str:
    return _reverse("goals:index") or "/goals/"


def goal_page(goal_id: int) -> str:
    return _reverse("goals:detail", goal_id) or goals_page()


def new_goal_page() -> str:
    return _reverse("goals:create") or goals_page()


def import_page() -> str:
    return _reverse("transactions:import_list") or transactions_page()


def bank_connections_page() -> str:
    return _reverse("plaid:connections") or import_page()


def mfa_page() -> str:
    return _reverse("accounts:mfa_setup") or "/settings/"


def subscriptions_page() -> str:
    return _reverse("ml:subscriptions") or insights_page("subscriptions")


def anomalies_page() -> str:
    return _reverse("ml:anomalies") or insights_page("anomalies")


def insight_open(insight_id: int) -> str:
    """Opening an insight marks it read (and acted on) before going where it points."""
    return reverse("insights:insight_open", args=[insight_id])
