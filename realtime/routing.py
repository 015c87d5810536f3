from django.urls import path

from realtime.consumers import RAW_SEND, MemberConsumer

websocket_urlpatterns = [path("ws/", MemberConsumer.as_asgi())]


class RawSend:
    """Outermost ASGI middleware of the WebSocket route: leaves the server's
    own `send` in the scope, so the socket's frames skip the wrappers the
    middleware stack puts around it (realtime.outbox writes through it)."""

    def __init__(self, inner) -> None:
        self.inner = inner

    async def __call__(self, scope, receive, send):
        return await self.inner({**scope, RAW_SEND: send}, receive, send)
