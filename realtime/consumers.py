"""The WebSocket endpoint: one socket per browser tab at /ws/.

A thin transport adapter: authenticate, join the member's groups, relay events.
The frames are documented in docs/protocol.md.
"""

import logging
from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from realtime import groups

logger = logging.getLogger(__name__)


class MemberConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            logger.info("websocket refused: not signed in")
            # Closing before accept refuses the handshake (HTTP 403).
            await self.close()
            return
        self.user_group = groups.user(user.pk)
        await self.channel_layer.group_add(self.user_group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello", "user": user.pk})

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "user_group"):
            await self.channel_layer.group_discard(self.user_group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs) -> None:
        if not isinstance(content, dict) or not isinstance(content.get("type"), str):
            await self.send_json({"type": "error", "code": "bad_frame"})
            return
        if content["type"] == "ping":
            await self.send_json({"type": "pong"})
            return
        await self.send_json({"type": "error", "code": "unknown_type"})

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        try:
            await super().receive(text_data=text_data, bytes_data=bytes_data, **kwargs)
        except ValueError:
            # Malformed JSON: answer with an error frame, keep the socket open.
            await self.send_json({"type": "error", "code": "bad_json"})

    async def realtime_event(self, message: dict[str, Any]) -> None:
        await self.send_json(message["event"])
