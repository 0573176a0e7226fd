"""The settings page: its sections, profile and preferences, notification channels and the test notification."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from accounts.models import Preferences
from accounts.services import api_token_create
from accounts.tests.factories import InvitationFactory
from accounts.views.page import SECTIONS
from insights.models import Notification

pytestmark = pytest.mark.django_db

ALL_PREFERENCES = {
    "display_name": "Ada",
    "currency": "EUR",
    "date_format": "d.m.Y",
    "week_start": "6",
    "timezone": "Europe/Berlin",
    "theme": "dark",
    "coaching_tone": "direct",
    "insight_frequency": "weekly",
    "privacy_mode": "on",
    "llm_share_merchants": "on",
}


def test_the_page_has_every_section(member_client):
    body = member_client.get(reverse("accounts:settings")).content.decode()

    for section in SECTIONS:
        assert f'<section id="{section}"' in body
    assert "Send me a test notification" in body


def test_the_page_reads_a_bounded_number_of_queries(member_client, member, django_assert_max_num_queries):
    for n in range(5):
        api_token_create(user=member, name=f"token {n}")
        InvitationFactory(household=member.membership.household, invited_by=member)

    with django_assert_max_num_queries(12):
        response = member_client.get(reverse("accounts:settings"))

    assert response.content.decode().count("data-token-id=") == 5
    assert response.content.decode().count("data-invitation-id=") == 5


def test_saving_profile_and_every_preference(member_client, member):
    response = member_client.post(reverse("accounts:profile_save"), ALL_PREFERENCES)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:settings") + "#profile"
    member.refresh_from_db()
    prefs = Preferences.objects.get(user=member)
    assert member.display_name == "Ada"
    assert (prefs.currency, prefs.date_format, prefs.week_start, prefs.timezone) == ("EUR", "d.m.Y", 6, "Europe/Berlin")
    assert (prefs.theme, prefs.coaching_tone, prefs.insight_frequency) == ("dark", "direct", "weekly")
    assert prefs.privacy_mode and prefs.llm_share_merchants
    # The shell follows the choices.
    page = member_client.get(reverse("accounts:settings")).content.decode()
    assert 'data-theme-choice="dark"' in page
    assert 'class="privacy-mode"' in page


def test_an_unknown_time_zone_is_refused_with_a_message(member_client, member):
    response = member_client.post(reverse("accounts:profile_save"), {**ALL_PREFERENCES, "timezone": "Mars/Olympus"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Preferences.objects.get(user=member).timezone == "UTC"


def test_notification_channels_saved_through_htmx_return_the_section(member_client, member):
    response = member_client.post(reverse("accounts:channels_save"), {"notify_email": "on"}, HTTP_HX_REQUEST="true")

    prefs = Preferences.objects.get(user=member)
    assert (prefs.notify_in_app, prefs.notify_email) == (False, True)
    assert response.content.decode().lstrip().startswith('<section id="notifications"')
    assert json.loads(response["HX-Trigger"])["fincoach:toast"]["message"] == "Notification settings saved."


def test_the_test_notification_reaches_the_person(member_client, member):
    response = member_client.post(reverse("accounts:notification_test"), HTTP_HX_REQUEST="true")

    assert response.status_code == 204
    assert response["HX-Trigger"] == "fincoach:notification-sent"
    notification = Notification.objects.get(user=member)
    assert notification.kind == "test" and notification.read_at is None


def test_the_test_notification_without_htmx_redirects_back(member_client, member):
    response = member_client.post(reverse("accounts:notification_test"))

    assert response["Location"] == reverse("accounts:settings") + "#notifications"
    assert Notification.objects.filter(user=member).count() == 1


def test_section_endpoints_only_accept_posts(member_client):
    assert member_client.get(reverse("accounts:profile_save")).status_code == 405
