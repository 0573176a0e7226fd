"""The REST API base as seen through accounts: /me and preferences, personal tokens (hashed, scoped, revocable,
last-used), consistent error bodies, throttling, and the OpenAPI schema and docs."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from accounts.keys import digest
from accounts.models import ApiToken, Preferences
from accounts.services import api_token_create
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ME = reverse("api-me")
PREFERENCES = reverse("api-preferences")


def _token_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


# --- /me and preferences ---------------------------------------------------------------------------------------------


def test_me_describes_the_person_and_their_household(api_client, member):
    body = api_client.get(ME).json()

    household = member.membership.household
    assert body == {
        "id": member.pk,
        "email": member.email,
        "display_name": member.display_name,
        "date_joined": body["date_joined"],
        "household": {"id": household.pk, "name": household.name, "currency": "USD", "role": "owner"},
        "mfa_enabled": False,
    }


def test_me_changes_the_display_name_only(api_client, member):
    response = api_client.patch(ME, {"display_name": "Grace", "email": "hijack@example.com"}, format="json")

    assert response.status_code == 200
    member.refresh_from_db()
    assert (member.display_name, member.email) == ("Grace", response.json()["email"])
    assert member.email != "hijack@example.com"


def test_preferences_read_and_partial_update(api_client, member):
    assert api_client.get(PREFERENCES).json()["timezone"] == "UTC"

    response = api_client.patch(PREFERENCES, {"timezone": "America/New_York", "notify_email": True}, format="json")

    assert response.status_code == 200
    assert response.json()["timezone"] == "America/New_York"
    prefs = Preferences.objects.get(user=member)
    assert prefs.timezone == "America/New_York" and prefs.notify_email and prefs.theme == "system"


def test_invalid_preferences_get_the_standard_error_body(api_client):
    response = api_client.patch(PREFERENCES, {"timezone": "Nowhere/Land", "theme": "neon"}, format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["status"] == 400
    assert set(error["fields"]) == {"timezone", "theme"}
    assert "not a known time zone" in error["fields"]["timezone"][0]


def test_anonymous_requests_get_the_standard_error_body(client):
    response = client.get(ME)

    assert response.status_code == 401
    assert response.json() == {
        "error": {
            "code": "not_authenticated",
            "message": "Authentication credentials were not provided.",
            "status": 401,
        }
    }
    assert response["WWW-Authenticate"] == "Token"


# --- tokens ----------------------------------------------------------------------------------------------------------


def test_a_token_is_stored_as_a_digest_and_authenticates(member):
    issued = api_token_create(user=member, name="spreadsheet")

    stored = ApiToken.objects.get()
    assert issued.key.startswith("fc_") and len(issued.key) > 40
    assert stored.key_hash == digest(issued.key)
    assert issued.key not in {stored.key_hash, stored.prefix} and issued.key.startswith(stored.prefix)
    assert stored.last_used_at is None

    response = _token_client(issued.key).get(ME)

    assert response.status_code == 200
    assert response.json()["id"] == member.pk
    stored.refresh_from_db()
    assert stored.last_used_at is not None


def test_a_token_sees_only_its_owners_data(member, other_member):
    issued = api_token_create(user=other_member, name="theirs")

    body = _token_client(issued.key).get(ME).json()

    assert body["id"] == other_member.pk
    assert body["household"]["id"] == other_member.membership.household.pk != member.membership.household.pk


def test_a_read_only_token_cannot_write(member):
    issued = api_token_create(user=member, name="read", scope=ApiToken.Scope.READ)
    client = _token_client(issued.key)

    assert client.get(PREFERENCES).status_code == 200
    response = client.patch(PREFERENCES, {"theme": "dark"}, format="json")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "token_read_only"
    assert Preferences.objects.get(user=member).theme == "system"


def test_a_read_write_token_can_write(member):
    issued = api_token_create(user=member, name="write", scope=ApiToken.Scope.WRITE)

    response = _token_client(issued.key).patch(PREFERENCES, {"theme": "dark"}, format="json")

    assert response.status_code == 200
    assert Preferences.objects.get(user=member).theme == "dark"


@pytest.mark.parametrize("key", ["fc_not-a-real-key", ""])
def test_unknown_tokens_are_refused(key):
    response = _token_client(key).get(ME)

    assert response.status_code == 401
    assert response.json()["error"]["code"] in {"authentication_failed", "not_authenticated"}


def test_revoking_a_token_on_the_settings_page_stops_it(member_client, member):
    issued = api_token_create(user=member, name="old script")

    response = member_client.post(reverse("accounts:token_revoke", args=[issued.token.pk]), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "revoked" in response.content.decode()
    assert _token_client(issued.key).get(ME).status_code == 401


def test_a_token_of_a_deactivated_person_stops_working(member):
    issued = api_token_create(user=member, name="script")
    member.is_active = False
    member.save()

    assert _token_client(issued.key).get(ME).status_code == 401


def test_creating_a_token_on_the_settings_page_shows_the_key_once(member_client, member):
    response = member_client.post(
        reverse("accounts:token_new"), {"name": "budget sheet", "scope": "write"}, HTTP_HX_REQUEST="true"
    )

    key = re.search(r'id="new-token-key"[^>]*value="(fc_[^"]+)"', response.content.decode()).group(1)
    token = ApiToken.objects.get(user=member)
    assert (token.name, token.scope, token.key_hash) == ("budget sheet", "write", digest(key))
    page = member_client.get(reverse("accounts:settings")).content.decode()
    assert key not in page
    assert token.prefix in page


def test_a_token_needs_a_name(member_client, member):
    response = member_client.post(reverse("accounts:token_new"), {"name": "  ", "scope": "read"})

    assert "Give the token a name" in response.content.decode() or "This field is required" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_someone_elses_token_cannot_be_revoked(member_client, other_member):
    issued = api_token_create(user=other_member, name="theirs")

    assert member_client.post(reverse("accounts:token_revoke", args=[issued.token.pk])).status_code == 404
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is None


# --- throttling, schema and docs --------------------------------------------------------------------------------------


def test_requests_beyond_the_rate_get_429_with_a_retry_hint(monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"user": "3/minute", "anon": "100/minute"})
    client = APIClient()
    client.force_authenticate(UserFactory())

    statuses = [client.get(ME).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    error = client.get(ME).json()["error"]
    assert error["code"] == "throttled"
    assert 0 < error["retry_after_seconds"] <= 60


def test_the_openapi_schema_describes_the_api(client):
    response = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")

    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/me/", "/api/v1/me/preferences/"} <= set(schema["paths"])
    assert "patch" in schema["paths"]["/api/v1/me/preferences/"]


@pytest.mark.parametrize("name", ["api-docs", "api-redoc"])
def test_the_api_docs_are_served_from_our_own_static_files(client, name):
    body = client.get(reverse(name)).content.decode()

    assert "/static/drf_spectacular_sidecar/" in body
    assert not re.search(r"https?://(cdn|unpkg|fonts)\.", body)
