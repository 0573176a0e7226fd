"""A real Celery worker (in a thread, on this test worker's own queue) runs a task queued with `.delay()` through
Redis, and the task sees the id of the request that queued it; the embedded broker connects without a warning."""

from __future__ import annotations

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_prerun
from django.conf import settings
from django.core import mail
from kombu import Connection

from accounts.services import preferences_update
from fincoach.celery import app
from fincoach.logging import request_id_var
from fincoach.testing.services import require_redis
from insights.models import Notification
from insights.tasks import send_notification_email
from insights.tests.factories import NotificationFactory


@pytest.fixture
def real_worker(transactional_db):
    require_redis()
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=20):
            yield
    finally:
        app.conf.task_always_eager = eager


@pytest.mark.services
def test_a_delayed_task_completes_on_a_real_worker(real_worker):
    notification = NotificationFactory(title="Rent is due", link="/budgets/")
    preferences_update(user=notification.user, notify_email=True)
    seen_request_ids = []

    def remember(task=None, **kwargs):
        seen_request_ids.append(request_id_var.get())

    task_prerun.connect(remember, weak=False)
    token = request_id_var.set("req-from-the-web")
    try:
        result = send_notification_email.delay(notification.pk)
        assert result.get(timeout=30) is True
    finally:
        request_id_var.reset(token)
        task_prerun.disconnect(remember)

    assert app.conf.task_default_queue == settings.CELERY_TASK_DEFAULT_QUEUE
    assert result.status == "SUCCESS"
    assert seen_request_ids == ["req-from-the-web"]
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert mail.outbox[-1].subject == "[fincoach] Rent is due"
    assert mail.outbox[-1].to == [notification.user.email]
    assert f"{settings.FINCOACH_BASE_URL}/budgets/" in mail.outbox[-1].body


@pytest.mark.services
def test_the_task_is_idempotent_on_retries(real_worker):
    notification = NotificationFactory()

    first = send_notification_email.delay(notification.pk).get(timeout=30)
    second = send_notification_email.delay(notification.pk).get(timeout=30)

    assert (first, second) == (True, False)
    assert Notification.objects.get(pk=notification.pk).emailed_at is not None
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("url, warned", [(settings.EMBEDDED_BROKER_URL, False), ("memory://", True)])
def test_the_embedded_broker_opens_connections_without_a_warning(caplog, url, warned):
    # Eager task calls still open a connection to the broker; embedded mode must not log a warning for each one
    # (the second case shows the check can fail: kombu warns about a memory:// address without a host).
    with caplog.at_level("WARNING", logger="kombu.connection"), Connection(url) as connection:
        connection.info()
    assert any("No hostname" in record.getMessage() for record in caplog.records) is warned
