"""Fixtures for the Plaid tests: the fake Plaid server wired into settings, and a linked item."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from fincoach.testing.cache import clear_test_cache
from transactions.models import PlaidItem

from .fake_plaid import CLIENT_ID, SECRET, FakeItem, FakePlaid

WEBHOOK_URL = "https://fincoach.example/plaid/webhook"


@pytest.fixture(autouse=True)
def _plaid_urls(settings):
    settings.ROOT_URLCONF = "transactions.plaid.tests.urls"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Sync follow-up flags and unknown-key markers live in the cache: no test sees another's. Only this test
    process's keys go: `cache.clear()` on Redis empties the whole database, and with it the rate-limit history of
    a login test running at that moment in another worker."""
    clear_test_cache()
    yield
    clear_test_cache()


@pytest.fixture
def fake_plaid(settings):
    fake = FakePlaid().start()
    settings.PLAID_CLIENT_ID = CLIENT_ID
    settings.PLAID_SECRET = SECRET
    settings.PLAID_BASE_URL = fake.url
    settings.PLAID_WEBHOOK_URL = WEBHOOK_URL
    settings.PLAID_RETRY_BASE_SECONDS = 0.001
    settings.PLAID_RETRY_MAX_SECONDS = 0.004
    yield fake
    fake.stop()


@pytest.fixture
def plaid_unconfigured(settings):
    settings.PLAID_CLIENT_ID = ""
    settings.PLAID_SECRET = ""


@dataclass
class Linked:
    fake: FakeItem
    item: PlaidItem


@pytest.fixture
def linked(fake_plaid, member) -> Linked:
    """A bank linked to `member`'s household through the real exchange flow (not synced yet)."""
    from transactions.plaid.services import plaid_item_connect

    fake_item = fake_plaid.add_item()
    result = plaid_item_connect(member, fake_item.public_token)
    return Linked(fake_item, result.item)
