"""Live notifications: one group per user; anonymous sockets are refused."""

from __future__ import annotations

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from fincoach.realtime import user_group


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        group = getattr(self, "group", None)
        if group:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "ping":
            await self.send_json({"kind": "pong"})

    async def notify(self, message):
        await self.send_json(message["event"])
