"""notify_user and the bell: storing, pushing on commit, channels, dedupe, mark read / dismiss / all read."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from accounts.services import preferences_update
from fincoach.realtime import user_group
from insights.models import Notification
from insights.notifications import notification_mark_read as mark_read
from insights.notifications import notify_household, notify_user
from insights.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


class RecordingLayer:
    """Stands in for the channel layer: records what would be sent to which group."""

    def __init__(self):
        self.sent: list[tuple[str, dict]] = []

    async def group_send(self, group: str, message: dict) -> None:
        self.sent.append((group, message))

    def events_for(self, user) -> list[dict]:
        return [message["event"] for group, message in self.sent if group == user_group(user.pk)]


@pytest.fixture
def layer(monkeypatch):
    recording = RecordingLayer()
    monkeypatch.setattr("fincoach.realtime.get_channel_layer", lambda: recording)
    return recording


def test_a_notification_is_stored_and_pushed_only_after_commit(django_capture_on_commit_callbacks, layer, member):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = notify_user(member, kind="budget_threshold", title="Groceries at 80%", link="/budgets/")
    assert layer.sent == []  # nothing is pushed for a transaction that might roll back

    for callback in callbacks:
        callback()
    (event,) = layer.events_for(member)
    assert notification.household == member.membership.household
    assert event["kind"] == "notification"
    assert event["id"] == notification.pk
    assert event["title"] == "Groceries at 80%"
    assert event["unread"] == 1
    assert f'data-notification-id="{notification.pk}"' in event["html"]


def test_a_dedupe_key_sends_once(member):
    first = notify_user(member, kind="goal_milestone", title="Half way!", dedupe_key="goal-1-50")
    again = notify_user(member, kind="goal_milestone", title="Half way!", dedupe_key="goal-1-50")

    assert first is not None and again is None
    assert Notification.objects.filter(user=member).count() == 1


def test_with_in_app_off_nothing_pops_up_but_the_list_keeps_it(django_capture_on_commit_callbacks, layer, member):
    preferences_update(user=member, notify_in_app=False)

    with django_capture_on_commit_callbacks(execute=True):
        notification = notify_user(member, kind="insight", title="Quiet tip")

    assert layer.sent == []
    assert notification.read_at is not None
    assert Notification.objects.for_user(member).visible().count() == 1


def test_with_email_on_a_copy_is_mailed_with_an_absolute_link(django_capture_on_commit_callbacks, member, settings):
    settings.FINCOACH_BASE_URL = "https://fincoach.example.com"
    preferences_update(user=member, notify_email=True)

    with django_capture_on_commit_callbacks(execute=True):
        notification = notify_user(member, kind="import_finished", title="Import done", body="42 rows", link="/t/")

    assert mail.outbox[-1].to == [member.email]
    assert mail.outbox[-1].subject == "[fincoach] Import done"
    assert "42 rows" in mail.outbox[-1].body and "https://fincoach.example.com/t/" in mail.outbox[-1].body
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_without_email_no_mail_is_sent(django_capture_on_commit_callbacks, member):
    with django_capture_on_commit_callbacks(execute=True):
        notify_user(member, kind="insight", title="Tip")

    assert mail.outbox == []


@pytest.mark.parametrize("link", ["javascript:alert(1)", "https://evil.example.com/", "//evil.example.com/x"])
def test_links_must_stay_on_the_site(member, link):
    with pytest.raises(ValueError, match="paths on this site"):
        notify_user(member, kind="x", title="x", link=link)
    assert not Notification.objects.exists()


def test_notify_household_reaches_every_member(member, other_member):
    household = member.membership.household
    other_member.membership.household = household
    other_member.membership.save()

    sent = notify_household(household, kind="budget_threshold", title="Shared budget", dedupe_key="b-1")

    assert {n.user for n in sent} == {member, other_member}
    assert notify_household(household, kind="budget_threshold", title="Shared budget", dedupe_key="b-1") == []


# --- the bell and the list -----------------------------------------------------------------------------------------


def test_the_bell_shows_the_unread_count_and_latest_items(member_client, member):
    NotificationFactory.create_batch(3, user=member)
    NotificationFactory(user=member, title="Already read", read_at="2026-01-01T00:00:00Z")

    body = member_client.get(reverse("insights:notification_bell")).content.decode()

    assert 'data-count="3"' in body
    assert body.count('class="notification-item') == 4


def test_marking_read_returns_the_item_and_the_new_count(member_client, member):
    first, _second = NotificationFactory.create_batch(2, user=member)

    response = member_client.post(reverse("insights:notification_read", args=[first.pk]), HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert f'data-notification-id="{first.pk}"' in body and "unread" not in body.split("\n")[1]
    assert 'id="bell-count"' in body and 'hx-swap-oob="true"' in body and 'data-count="1"' in body
    first.refresh_from_db()
    assert first.read_at is not None


def test_reading_tells_the_persons_other_tabs_the_new_count(django_capture_on_commit_callbacks, layer, member):
    first, _second = NotificationFactory.create_batch(2, user=member)

    with django_capture_on_commit_callbacks(execute=True):
        mark_read(member, first)

    assert layer.events_for(member) == [{"kind": "unread", "unread": 1}]


def test_dismissing_removes_the_item(member_client, member):
    notification = NotificationFactory(user=member)

    response = member_client.post(
        reverse("insights:notification_dismiss", args=[notification.pk]), HTTP_HX_REQUEST="true"
    )

    assert "data-notification-id" not in response.content.decode()
    assert 'data-count="0"' in response.content.decode()
    assert not Notification.objects.for_user(member).visible().exists()


def test_mark_all_read(member_client, member):
    NotificationFactory.create_batch(3, user=member)

    response = member_client.post(reverse("insights:notifications_read_all"), HTTP_HX_REQUEST="true")

    assert 'data-count="0"' in response.content.decode()
    assert not Notification.objects.for_user(member).unread().exists()


def test_without_htmx_the_actions_return_to_the_list(member_client, member):
    notification = NotificationFactory(user=member)

    for name, args in [("notification_read", [notification.pk]), ("notifications_read_all", [])]:
        response = member_client.post(reverse(f"insights:{name}", args=args))
        assert response["Location"] == reverse("insights:notification_list")


def test_someone_elses_notification_is_a_404(member_client, other_member):
    theirs = NotificationFactory(user=other_member)

    assert member_client.post(reverse("insights:notification_read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_list_page_paginates_with_few_queries(member_client, member, django_assert_max_num_queries):
    NotificationFactory.create_batch(30, user=member)

    with django_assert_max_num_queries(10):
        response = member_client.get(reverse("insights:notification_list"))

    body = response.content.decode()
    assert body.count('class="notification-item') == 25 + 8  # the page and the bell
    assert "Page 1 of 2" in body
    fragment = member_client.get(reverse("insights:notification_list") + "?page=2", HTTP_HX_REQUEST="true")
    assert fragment.content.decode().count('class="notification-item') == 5
    assert "<html" not in fragment.content.decode()
