"""The live notification socket at /ws/notifications/, through the real ASGI application (origin check, session
auth): anonymous sockets are refused, and a person receives their own notifications and never anyone else's —
on the in-memory layer, and on Redis when it is available."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.test import Client

from fincoach.asgi import application
from fincoach.testing.services import require_redis
from insights.notifications import notify_user

pytestmark = [pytest.mark.anyio, pytest.mark.django_db(transaction=True)]

PATH = "/ws/notifications/"
ORIGIN = (b"origin", b"http://testserver")


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.services)])
def channel_layer(request, settings):
    if request.param == "memory":
        settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    else:
        url = require_redis()
        prefix = f"{django_settings.CACHES['default'].get('KEY_PREFIX', 'fincoach')}-ws-{uuid.uuid4().hex[:8]}"
        settings.CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "channels_redis.core.RedisChannelLayer",
                "CONFIG": {"hosts": [url], "prefix": prefix},
            }
        }
    return request.param


def _session_cookie(user) -> tuple[bytes, bytes]:
    client = Client()
    client.force_login(user)
    return (
        b"cookie",
        f"{django_settings.SESSION_COOKIE_NAME}={client.cookies[django_settings.SESSION_COOKIE_NAME].value}".encode(),
    )


async def _connect(*headers) -> tuple[WebsocketCommunicator, bool]:
    communicator = WebsocketCommunicator(application, PATH, headers=list(headers))
    connected, _ = await communicator.connect(timeout=5)
    return communicator, connected


async def test_an_anonymous_socket_is_refused(channel_layer):
    communicator, connected = await _connect(ORIGIN)

    assert not connected
    await communicator.disconnect()


async def test_a_socket_from_a_foreign_origin_is_refused(channel_layer, member):
    cookie = await database_sync_to_async(_session_cookie)(member)

    communicator, connected = await _connect((b"origin", b"https://evil.example.com"), cookie)

    assert not connected
    await communicator.disconnect()


async def test_people_receive_their_own_notifications_and_never_anyone_elses(channel_layer, member, other_member):
    mine, mine_ok = await _connect(ORIGIN, await database_sync_to_async(_session_cookie)(member))
    theirs, theirs_ok = await _connect(ORIGIN, await database_sync_to_async(_session_cookie)(other_member))
    assert mine_ok and theirs_ok

    notification = await database_sync_to_async(notify_user)(member, kind="test", title="Only for you")

    event = await mine.receive_json_from(timeout=5)
    assert event["kind"] == "notification"
    assert event["id"] == notification.pk
    assert event["title"] == "Only for you"
    assert event["unread"] == 1
    assert await theirs.receive_nothing(timeout=0.5)

    await mine.send_json_to({"type": "ping"})
    assert await mine.receive_json_from(timeout=5) == {"kind": "pong"}
    await asyncio.gather(mine.disconnect(), theirs.disconnect())
