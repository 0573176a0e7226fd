"""The plaid-python client as we configure it: hosts, retries with backoff, errors, exact amounts."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from plaid.model.accounts_get_request import AccountsGetRequest

from transactions.plaid import client, conf

from .fake_plaid import plaid_account

ACCOUNTS = "/accounts/get"


@pytest.mark.parametrize(
    ("env", "base_url", "host"),
    [
        ("sandbox", "", "https://sandbox.plaid.com"),
        ("production", "", "https://production.plaid.com"),
        ("Production ", "", "https://production.plaid.com"),
        ("production", "http://127.0.0.1:9999/", "http://127.0.0.1:9999"),
    ],
)
def test_the_host_follows_plaid_env_unless_a_base_url_is_given(settings, env, base_url, host):
    settings.PLAID_ENV, settings.PLAID_BASE_URL = env, base_url

    assert conf.plaid_host() == host


def test_an_unknown_environment_is_a_clear_configuration_error(settings):
    settings.PLAID_ENV, settings.PLAID_BASE_URL = "development", ""

    with pytest.raises(ImproperlyConfigured, match="PLAID_ENV must be one of production, sandbox"):
        conf.plaid_host()


def test_backoff_grows_exponentially_with_jitter_and_a_cap():
    policy = conf.RetryPolicy(attempts=6, base_seconds=0.5, max_seconds=3.0)

    delays = list(client.backoff_delays(policy, random.Random(7)))

    windows = [0.5, 1.0, 2.0, 3.0, 3.0]
    assert len(delays) == 5
    assert all(w / 2 <= d <= w for d, w in zip(delays, windows, strict=True))
    assert delays != list(client.backoff_delays(policy, random.Random(8)))


def _accounts(fake_plaid, sleep=None):
    item = fake_plaid.add_item([plaid_account(current="1234.56")])
    return item, client.call(
        "accounts_get", AccountsGetRequest(access_token=item.access_token), sleep=sleep or (lambda s: None)
    )


def test_amounts_are_read_as_exact_decimals(fake_plaid):
    _, response = _accounts(fake_plaid)

    assert response["accounts"][0]["balances"]["current"] == Decimal("1234.56")


def test_rate_limits_and_5xx_are_retried_after_growing_waits(fake_plaid):
    fake_plaid.fail_next(ACCOUNTS, "RATE_LIMIT_EXCEEDED", status=429, error_type="RATE_LIMIT_EXCEEDED")
    fake_plaid.fail_next(ACCOUNTS, "INTERNAL_SERVER_ERROR", status=500, error_type="API_ERROR")
    fake_plaid.fail_next(ACCOUNTS, "INSTITUTION_NOT_RESPONDING", status=400, error_type="INSTITUTION_ERROR")
    waits: list[float] = []

    _, response = _accounts(fake_plaid, sleep=waits.append)

    assert len(fake_plaid.calls(ACCOUNTS)) == 4
    assert len(response["accounts"]) == 1
    assert len(waits) == 3
    assert 0.0005 <= waits[0] <= 0.001 and 0.002 <= waits[2] <= 0.004


def test_retries_stop_after_the_configured_attempts(settings, fake_plaid):
    settings.PLAID_MAX_ATTEMPTS = 3
    fake_plaid.fail_next(ACCOUNTS, "INTERNAL_SERVER_ERROR", status=503, error_type="API_ERROR", times=5)

    with pytest.raises(client.PlaidError) as failure:
        _accounts(fake_plaid)

    assert (failure.value.status, failure.value.retryable) == (503, True)
    assert len(fake_plaid.calls(ACCOUNTS)) == 3


def test_item_errors_are_not_retried(fake_plaid):
    fake_plaid.fail_next(ACCOUNTS, "ITEM_LOGIN_REQUIRED", message="the login details of this item have changed")

    with pytest.raises(client.PlaidError) as failure:
        _accounts(fake_plaid)

    error = failure.value
    assert (error.status, error.error_type, error.error_code, error.retryable) == (
        400,
        "ITEM_ERROR",
        "ITEM_LOGIN_REQUIRED",
        False,
    )
    assert str(error).startswith("Plaid ITEM_LOGIN_REQUIRED: the login details of this item have changed (request ")
    assert len(fake_plaid.calls(ACCOUNTS)) == 1


def test_an_unreachable_plaid_is_a_retryable_network_error(settings, fake_plaid):
    settings.PLAID_MAX_ATTEMPTS = 2
    fake_plaid.stop()

    with pytest.raises(client.PlaidError) as failure:
        _accounts(fake_plaid)

    assert (failure.value.error_code, failure.value.retryable) == ("NETWORK_ERROR", True)


def test_bad_credentials_are_reported_not_retried(settings, fake_plaid):
    settings.PLAID_SECRET = "wrong"

    with pytest.raises(client.PlaidError) as failure:
        _accounts(fake_plaid)

    assert failure.value.error_code == "INVALID_API_KEYS"
    assert len(fake_plaid.calls(ACCOUNTS)) == 1


def test_without_credentials_no_call_is_made(plaid_unconfigured):
    with pytest.raises(client.PlaidError, match="Plaid is not configured"):
        client.call_once("accounts_get", AccountsGetRequest(access_token="access-sandbox-x"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("token access-sandbox-8ab976e6-64bc-4b38-98f7-731e7a349970 bad", "token access-sandbox-[redacted] bad"),
        ("public-production-0f5a-44e3-bd1d-aa6ab7de4c8e", "public-production-[redacted]"),
        ("an access token is required", "an access token is required"),
    ],
)
def test_anything_shaped_like_a_plaid_token_is_redacted(text, expected):
    assert client.redact_secrets(text) == expected
