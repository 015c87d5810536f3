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
            await self.reject_frame("bad_frame", "not an object with a type")
            return
        if content["type"] == "ping":
            await self.send_json({"type": "pong"})
            return
        await self.reject_frame("unknown_type", content["type"][:50])

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        # A malformed frame gets an error frame; the socket stays open.
        if text_data is None:
            await self.reject_frame("bad_json", "binary frame")
            return
        try:
            content = await self.decode_json(text_data)
        except ValueError:
            await self.reject_frame("bad_json", "invalid JSON")
            return
        await self.receive_json(content)

    async def reject_frame(self, code: str, detail: str) -> None:
        logger.info("websocket frame refused (%s): %s", code, detail)
        await self.send_json({"type": "error", "code": code})

    async def realtime_event(self, message: dict[str, Any]) -> None:
        await self.send_json(message["event"])
