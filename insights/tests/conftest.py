"""Fixtures of the coach's tests: a fixed "today" and a rule context for the test member."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from insights.rules.base import RuleContext

TODAY = date(2026, 3, 18)  # a Wednesday, mid-month


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def make_ctx(member, household):
    def make(day: date = TODAY, **kwargs) -> RuleContext:
        return RuleContext(household=household, user=member, today=day, **kwargs)

    return make


@pytest.fixture
def llm_server(settings):
    """A local OpenAI-compatible server, with the coach's LLM settings pointed at it."""
    from .llm_server import FakeLLMServer

    server = FakeLLMServer().start()
    settings.LLM_ENABLED = True
    settings.LLM_BASE_URL = server.url
    settings.LLM_API_KEY = "test-key"
    settings.LLM_MODEL = "test-model"
    settings.LLM_TIMEOUT_SECONDS = 2.0
    settings.LLM_DAILY_TOKEN_BUDGET = 20_000
    yield server
    server.stop()


@pytest.fixture
def rules(monkeypatch):
    """Replace the real rules by ones returning the candidates a test gives: `rules(name=[candidate, ...])`. Every
    real rule name answers too (with nothing), so event runs, which name their rules, work as well."""
    from insights.rules import RULES
    from insights.services import generation

    found: dict[str, list] = {}

    def install(**by_rule: list) -> None:
        found.clear()
        found.update({name: [] for name in RULES})
        found.update(by_rule)
        fake = {name: SimpleNamespace(evaluate=lambda ctx, name=name: list(found[name])) for name in found}
        monkeypatch.setattr(generation, "RULES", fake)

    return install
