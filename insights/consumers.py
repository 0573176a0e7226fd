"""Live notifications over a WebSocket at /ws/notifications/.

The ASGI stack in front (fincoach/asgi.py) checks the Origin against ALLOWED_HOSTS and resolves the session's user;
this consumer refuses anonymous sockets and joins each person's socket to their own group only, so
`fincoach.realtime.push_to_user(user_id, event)` reaches that person's open tabs and nobody else's.
"""

from __future__ import annotations

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from fincoach.realtime import user_group

UNAUTHENTICATED = 4401  # application close code (4000-4999), mirrors HTTP 401


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=UNAUTHENTICATED)
            return
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        group = getattr(self, "group", None)
        if group:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        # Clients may ping to keep proxies from closing an idle socket.
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"kind": "pong"})

    async def notify(self, message: dict) -> None:
        """Handler of the group messages sent by `push_to_user`."""
        await self.send_json(message["event"])
