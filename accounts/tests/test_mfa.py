"""Two-factor authentication: set-up, the login code step (not skippable), backup codes, wrong codes, switching off."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.selectors import is_mfa_enabled, mfa_status
from accounts.tests.otp import enable_mfa, password_step, totp_code

pytestmark = pytest.mark.django_db

CODE_STEP = reverse("account_login_otp")


# --- set-up ---------------------------------------------------------------------------------------------------------


def test_setup_page_shows_a_local_qr_code_and_the_secret(member_client, member):
    response = member_client.get(reverse("accounts:mfa_setup"))

    body = response.content.decode()
    device = TOTPDevice.objects.get(user=member)
    assert not device.confirmed
    assert '<svg class="qr-code" role="img"' in body
    secret = re.search(r'data-secret="([A-Z2-7]+)"', body).group(1)
    assert len(secret) == 32  # 20 random bytes in base32
    assert not is_mfa_enabled(member)


def test_reloading_the_setup_page_keeps_the_same_secret(member_client, member):
    member_client.get(reverse("accounts:mfa_setup"))
    member_client.get(reverse("accounts:mfa_setup"))

    assert TOTPDevice.objects.filter(user=member).count() == 1


def test_a_wrong_code_does_not_turn_it_on(member_client, member):
    member_client.get(reverse("accounts:mfa_setup"))

    response = member_client.post(reverse("accounts:mfa_setup"), {"code": "000000"})

    assert "That code is not valid" in response.content.decode()
    assert not is_mfa_enabled(member)


def test_confirming_turns_it_on_and_shows_ten_backup_codes_once(member_client, member):
    member_client.get(reverse("accounts:mfa_setup"))
    device = TOTPDevice.objects.get(user=member)

    response = member_client.post(reverse("accounts:mfa_setup"), {"code": totp_code(device)})

    body = response.content.decode()
    shown = re.findall(r"<li>([a-z2-7]{8})</li>", body)
    stored = set(StaticToken.objects.filter(device__user=member).values_list("token", flat=True))
    assert len(shown) == 10 and set(shown) == stored
    assert is_mfa_enabled(member)
    # This session proved the second factor, so it counts as verified (the admin relies on it).
    assert member_client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    settings_page = member_client.get(reverse("accounts:settings")).content.decode()
    assert not any(code in settings_page for code in shown)
    assert mfa_status(member).backup_codes_left == 10


# --- the login step -----------------------------------------------------------------------------------------------


@pytest.fixture
def mfa_member(member):
    device, codes = enable_mfa(member)
    member.device, member.backup_codes = device, codes
    return member


def test_password_alone_does_not_sign_in_a_person_with_two_factor(client, mfa_member, password):
    response = password_step(client, mfa_member.email, password)

    assert response.status_code == 302
    assert response["Location"] == CODE_STEP
    assert "_auth_user_id" not in client.session


def test_the_code_step_cannot_be_skipped_by_going_elsewhere(client, mfa_member, password):
    password_step(client, mfa_member.email, password)

    for url in ("/", reverse("accounts:settings"), reverse("api-me")):
        response = client.get(url)
        assert response.status_code in (302, 401, 403), url
        assert "_auth_user_id" not in client.session


def test_a_correct_code_signs_in_with_a_verified_session(client, mfa_member, password):
    password_step(client, mfa_member.email, password)

    response = client.post(CODE_STEP, {"code": totp_code(mfa_member.device, steps_ahead=1)})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(mfa_member.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == mfa_member.device.persistent_id


def test_a_wrong_code_keeps_the_person_out_and_then_backs_off(client, mfa_member, password):
    password_step(client, mfa_member.email, password)

    wrong = client.post(CODE_STEP, {"code": "123456" if totp_code(mfa_member.device) != "123456" else "654321"})
    assert "That code is not valid" in wrong.content.decode()
    assert "_auth_user_id" not in client.session

    # Right after a wrong code even the right one waits: guessing is slowed down exponentially.
    throttled = client.post(CODE_STEP, {"code": totp_code(mfa_member.device, steps_ahead=1)})
    assert "Too many wrong codes" in throttled.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_backup_code_works_exactly_once(client, mfa_member, password):
    code = mfa_member.backup_codes[0]
    password_step(client, mfa_member.email, password)

    response = client.post(CODE_STEP, {"code": f" {code[:4]}-{code[4:].upper()} "})  # as people type it

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(mfa_member.pk)
    assert mfa_status(mfa_member).backup_codes_left == 9

    client.post(reverse("account_logout"))
    password_step(client, mfa_member.email, password)
    again = client.post(CODE_STEP, {"code": code})
    assert "That code is not valid" in again.content.decode()
    assert "_auth_user_id" not in client.session


def test_using_the_app_does_not_slow_down_backup_codes(client, mfa_member, password):
    password_step(client, mfa_member.email, password)
    client.post(CODE_STEP, {"code": totp_code(mfa_member.device, steps_ahead=1)})
    client.post(reverse("account_logout"))

    password_step(client, mfa_member.email, password)
    response = client.post(CODE_STEP, {"code": mfa_member.backup_codes[1]})

    assert response.status_code == 302


def test_the_code_step_without_a_login_in_progress_goes_back_to_the_login(client):
    response = client.get(CODE_STEP)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")


def test_cancelling_the_code_step_forgets_the_password_step(client, mfa_member, password):
    password_step(client, mfa_member.email, password)

    response = client.post(CODE_STEP, {"cancel": "1"})

    assert response["Location"] == reverse("account_login")
    assert client.get(CODE_STEP)["Location"] == reverse("account_login")


def test_people_without_two_factor_skip_the_code_step(client, member, password):
    response = password_step(client, member.email, password)

    assert response["Location"] == "/"


# --- managing it --------------------------------------------------------------------------------------------------


def test_switching_off_needs_the_password_and_a_code(member_client, mfa_member, password):
    url = reverse("accounts:mfa_disable")

    wrong_password = member_client.post(url, {"password": "not-my-password!", "code": totp_code(mfa_member.device)})
    assert "That is not your password" in wrong_password.content.decode()
    wrong_code = member_client.post(url, {"password": password, "code": "000000"})
    assert "That code is not valid" in wrong_code.content.decode()
    assert is_mfa_enabled(mfa_member)

    response = member_client.post(url, {"password": password, "code": mfa_member.backup_codes[0]})

    assert response.status_code == 302
    assert not is_mfa_enabled(mfa_member)
    assert not StaticToken.objects.filter(device__user=mfa_member).exists()


def test_new_backup_codes_replace_the_old_ones(member_client, mfa_member):
    old = set(mfa_member.backup_codes)

    response = member_client.post(
        reverse("accounts:backup_codes"), {"code": totp_code(mfa_member.device, steps_ahead=1)}
    )

    new = set(re.findall(r"<li>([a-z2-7]{8})</li>", response.content.decode()))
    assert len(new) == 10
    assert not new & old
    assert set(StaticToken.objects.filter(device__user=mfa_member).values_list("token", flat=True)) == new


def test_new_backup_codes_need_a_valid_code(member_client, mfa_member):
    response = member_client.post(reverse("accounts:backup_codes"), {"code": "000000"}, HTTP_HX_REQUEST="true")

    assert "That code is not valid" in response.content.decode()
    assert set(StaticToken.objects.filter(device__user=mfa_member).values_list("token", flat=True)) == set(
        mfa_member.backup_codes
    )


def test_setup_page_is_not_offered_twice(member_client, mfa_member):
    response = member_client.get(reverse("accounts:mfa_setup"))

    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=mfa_member).count() == 1
