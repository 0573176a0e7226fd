"""The admin: only for staff with a two-factor-verified session; every model of accounts and notifications is
registered with working list pages."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.models import ApiToken, Household, Invitation, Membership, Preferences, User
from accounts.services import api_token_create
from accounts.tests.factories import InvitationFactory, UserFactory
from accounts.tests.otp import enable_mfa, password_step, totp_code
from insights.models import Notification
from insights.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db

MODELS = [User, Household, Membership, Invitation, Preferences, ApiToken, Notification]


@pytest.fixture
def staff(password):
    return UserFactory(password=password, is_staff=True, is_superuser=True)


@pytest.fixture
def verified_staff_client(client, staff, password):
    device, _ = enable_mfa(staff)
    password_step(client, staff.email, password)
    client.post(reverse("account_login_otp"), {"code": totp_code(device, steps_ahead=1)})
    assert client.session["_auth_user_id"] == str(staff.pk)
    return client


def test_anonymous_visitors_are_sent_to_the_normal_login(client):
    response = client.get(reverse("admin:index"), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert "next=%2Fadmin%2F" in response.redirect_chain[-1][0]


def test_staff_without_a_verified_session_are_refused(client, staff):
    client.force_login(staff)

    response = client.get(reverse("admin:index"), follow=True)

    assert response.status_code == 403
    assert "Two-factor authentication required" in response.content.decode()


def test_people_who_are_not_staff_are_refused(member_client):
    response = member_client.get(reverse("admin:index"), follow=True)

    assert response.status_code == 403
    assert "no access to the admin" in response.content.decode()


def test_staff_who_logged_in_with_a_code_get_in(verified_staff_client):
    response = verified_staff_client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert "fincoach administration" in response.content.decode()


def test_the_admin_login_does_not_redirect_off_site(verified_staff_client):
    response = verified_staff_client.get(reverse("admin:login") + "?next=https://evil.example.com/")

    assert response["Location"] == reverse("admin:index")


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_model_has_a_searchable_filterable_list(verified_staff_client, model, member):
    InvitationFactory(household=member.membership.household)
    api_token_create(user=member, name="script")
    NotificationFactory(user=member)
    model_admin = admin.site._registry[model]
    assert model_admin.list_display != ("__str__",)
    assert model_admin.search_fields
    assert model_admin.list_filter

    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = verified_staff_client.get(url, {"q": "example"})

    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


def test_operators_can_revoke_api_tokens_but_not_mint_them(verified_staff_client, member):
    issued = api_token_create(user=member, name="old script")
    url = reverse("admin:accounts_apitoken_changelist")

    verified_staff_client.post(url, {"action": "revoke", "_selected_action": [issued.token.pk]})

    issued.token.refresh_from_db()
    assert issued.token.revoked_at is not None
    assert verified_staff_client.get(reverse("admin:accounts_apitoken_add")).status_code == 403


def test_people_added_in_the_admin_get_a_household(verified_staff_client):
    response = verified_staff_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "added@example.com",
            "usable_password": "true",
            "password1": "a-long-enough-secret-1",
            "password2": "a-long-enough-secret-1",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Membership.objects.get(user__email="added@example.com").role == Membership.Role.OWNER
