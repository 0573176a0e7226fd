"""In a real browser: sign up, verify the e-mail address, turn on two-factor authentication (the code computed from
the secret the page shows, as an authenticator app would), log out, and log in again with a code."""

from __future__ import annotations

import re
from base64 import b32decode

import pytest
from django.core import mail
from django_otp.oath import totp
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

EMAIL = "browser.person@example.com"
PASSWORD = "a-browser-made-secret-31"


def _code(secret: str, steps_ahead: int = 0) -> str:
    return f"{totp(b32decode(secret), drift=steps_ahead):06d}"


def test_sign_up_verify_enable_two_factor_and_log_in_with_a_code(live_asgi, page: Page, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"

    # Sign up: the account waits for its e-mail address to be confirmed.
    page.goto(f"{live_asgi.url}/accounts/signup/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password*", exact=True).fill(PASSWORD)  # crispy marks required fields with *
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()

    # Verify through the link in the mail.
    link = re.search(r"http://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    # Turn on two-factor: read the secret like a person typing it into their app.
    page.goto(f"{live_asgi.url}/settings/")
    page.get_by_role("link", name="Set up two-factor authentication").click()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Code from your app").fill(_code(secret))
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    expect(page.get_by_role("heading", name="Two-factor authentication is on")).to_be_visible()
    expect(page.locator("#backup-codes li")).to_have_count(10)

    # Log out, then log in: the password alone is not enough.
    page.get_by_role("button", name="Log out").click()
    page.goto(f"{live_asgi.url}/accounts/login/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name="Two-factor authentication")).to_be_visible()
    # Trying to skip the step: still signed out, and the login resumes at the code.
    page.goto(f"{live_asgi.url}/settings/")
    expect(page).to_have_url(re.compile(r"/accounts/login/two-factor/$"))
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)

    # The set-up used this time step's code; the app's next code is the one that is still new.
    page.get_by_label("Code").fill(_code(secret, steps_ahead=1))
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.goto(f"{live_asgi.url}/settings/")
    expect(page.locator("#security")).to_contain_text("unused backup codes")
