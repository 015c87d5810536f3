"""Reference (c): a consumer in the shape of the Channels tutorial. Each
socket joins its room's group; every frame is one `group_send`, which
channels-redis turns into one layer message per member. No database.
Serve `bench.references.tutorial:application` with REDIS_URL set.
"""

import os
from urllib.parse import parse_qs

from django.conf import settings

settings.configure(
    CHANNEL_LAYERS={
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # redis-py 8 limits a pool to 100 connections and fails beyond
            # it; the tutorial shape is measured, not that default.
            "CONFIG": {
                "hosts": [
                    {"address": os.environ["REDIS_URL"], "max_connections": 2000}
                ],
                "prefix": "tut",
            },
        }
    }
)

from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter  # noqa: E402


class ChatConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        query = parse_qs(self.scope["query_string"].decode())
        self.group = "room_" + query.get("room", ["0"])[0]
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        await self.channel_layer.group_send(
            self.group, {"type": "chat.message", "text": text_data}
        )

    async def chat_message(self, event):
        await self.send(text_data=event["text"])


application = ProtocolTypeRouter({"websocket": ChatConsumer.as_asgi()})
