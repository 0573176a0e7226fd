"""Sign-up, e-mail verification, password policy, login, logout, password reset/change and login rate limits."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import Membership, Preferences, User
from accounts.tests.otp import password_step

pytestmark = pytest.mark.django_db

STRONG = "plenty-of-entropy-2026"


def _signup(client, email="new@example.com", password=STRONG, confirm=None):
    return client.post(
        reverse("account_signup"), {"email": email, "password1": password, "password2": confirm or password}
    )


def _link_in_last_mail(pattern: str) -> str:
    match = re.search(pattern, mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(0)


def test_signup_gives_the_person_a_household_they_own(client):
    response = _signup(client, email="Ada@Example.com")

    assert response.status_code == 302
    user = User.objects.get(email="ada@example.com")
    membership = Membership.objects.get(user=user)
    assert membership.role == Membership.Role.OWNER
    assert membership.household.name == "Ada's household"
    assert Preferences.objects.filter(user=user).exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-pw-1", "at least 12 characters"),
        ("password1234", "too common"),
        ("918273645546", "entirely numeric"),
    ],
)
def test_signup_enforces_the_password_policy(client, password, message):
    response = _signup(client, password=password)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_signup_refuses_an_address_already_registered(client, member):
    response = _signup(client, email=member.email.upper())

    assert response.status_code == 200
    assert User.objects.filter(email__iexact=member.email).count() == 1


def test_mandatory_verification_keeps_the_person_out_until_they_click_the_link(client, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"

    response = _signup(client, email="verify@example.com")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert mail.outbox[-1].to == ["verify@example.com"]
    assert mail.outbox[-1].subject.startswith("[fincoach] ")

    link = _link_in_last_mail(r"http://testserver/accounts/confirm-email/[^\s]+")
    assert client.get(link).status_code == 200  # a confirmation page, not a state change on GET
    response = client.post(link)

    assert response.status_code == 302
    assert EmailAddress.objects.get(email="verify@example.com").verified
    assert client.session["_auth_user_id"] == str(User.objects.get(email="verify@example.com").pk)


def test_unverified_person_cannot_log_in_when_verification_is_mandatory(client, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    _signup(client, email="later@example.com")
    client.logout()

    response = password_step(client, "later@example.com", STRONG)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_login_with_email_and_logout(client, member, password):
    response = password_step(client, member.email.upper(), password)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(member.pk)

    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_wrong_password_is_refused(client, member):
    response = password_step(client, member.email, "not-the-password-at-all")

    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_repeated_failed_logins_lock_the_address_out_even_with_the_right_password(client, member, password):
    for _ in range(5):
        assert "not correct" in password_step(client, member.email, "wrong-password-attempt").content.decode()

    response = password_step(client, member.email, password)

    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_too_many_login_requests_from_one_address_get_429(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    statuses = [password_step(client, f"nobody{i}@example.com", "whatever-password").status_code for i in range(4)]

    assert statuses == [200, 200, 200, 429]


def test_password_reset_by_email(client, member):
    response = client.post(reverse("account_reset_password"), {"email": member.email})
    assert response.status_code == 302
    link = _link_in_last_mail(r"http://testserver/accounts/password/reset/key/[^\s]+")

    form_url = client.get(link)["Location"]  # allauth moves the key out of the URL
    response = client.post(form_url, {"password1": "a-brand-new-secret-9", "password2": "a-brand-new-secret-9"})

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("a-brand-new-secret-9")


def test_password_change_keeps_the_person_signed_in(member_client, member, password):
    response = member_client.post(
        reverse("account_change_password"),
        {"oldpassword": password, "password1": "another-long-secret-7", "password2": "another-long-secret-7"},
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("another-long-secret-7")
    assert member_client.get(reverse("accounts:settings")).status_code == 200


def test_pages_behind_login_send_anonymous_visitors_to_the_login(client):
    response = client.get(reverse("accounts:settings"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_login_page_uses_the_fincoach_shell(client):
    body = client.get(reverse("account_login")).content.decode()

    assert "vendor/bootstrap.min.css" in body
    assert 'name="login"' in body and "form-control" in body
    assert "//cdn" not in body
