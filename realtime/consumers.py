"""The WebSocket endpoint: one socket per browser tab at /ws/.

A thin transport adapter: authenticate, count the member's sockets, say hello,
keep the link alive, relay the member's own events, turn bad frames into error
frames. Everything a frame asks of a feature is answered by that feature's
part of the socket (realtime.sockets: chat rooms in chat.socket, watched
threads in forum.socket, the live review queue in moderation.socket), which
calls the same permissions and actions as the views. docs/protocol.md
documents every frame and error code; keep the two in step.

Room events reach the socket through the process's room hub (realtime.hub),
not through a channel-layer message per socket; the member's own events
(notifications, read positions, memberships) through the `user.<id>` group.
Every frame leaves through the socket's outbox (realtime.outbox), written
through the server's own ASGI `send`, so one client that stops reading holds
up nobody else.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import time
from typing import Any

from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from channels.utils import await_many_dispatch
from django.conf import settings

from realtime import access, frames, groups, presence, publish, sockets
from realtime.frames import MAX_FRAME_LENGTH, FrameError
from realtime.outbox import Outbox

logger = logging.getLogger(__name__)

# Re-exported: tests and clients know this limit by the consumer's name.
__all__ = ["MAX_FRAME_LENGTH", "MemberConsumer"]

MAX_SOCKETS_PER_MEMBER = 10
CLOSE_HEARTBEAT_TIMEOUT = 4000
CLOSE_TOO_MANY_CONNECTIONS = 4008
# The member's session ended (signed out everywhere, account deleted, suspended).
CLOSE_SESSION_ENDED = 4001
# The scope key under which realtime.routing.RawSend leaves the server's send.
RAW_SEND = "realtime.send"
# Seconds a closing socket waits for its queued frames to be written.
CLOSE_DRAIN = 2.0


def heartbeat_interval() -> float:
    return settings.REALTIME_HEARTBEAT


class _LayerOutage:
    """The channel layer (Redis) is down: every socket's receive fails, so
    say so once per outage, not once per socket and retry."""

    def __init__(self) -> None:
        self.since: float | None = None

    def failed(self, error: Exception) -> None:
        if self.since is None:
            self.since = time.monotonic()
            logger.warning("sockets cannot receive from the layer (%s)", error)

    def recovered(self) -> None:
        if self.since is not None:
            logger.warning(
                "sockets receive from the layer again after %.1f s",
                time.monotonic() - self.since,
            )
            self.since = None


_layer_outage = _LayerOutage()


class MemberConsumer(AsyncJsonWebsocketConsumer):
    # The features' parts of this socket (empty until the handshake passed).
    parts: list[sockets.SocketPart] = []
    outbox: Outbox | None = None

    async def __call__(self, scope, receive, send) -> None:
        """As Channels' consumer, except that a channel-layer outage (Redis
        restarting) does not end the socket: receiving from the layer is
        retried, and room messages stored meanwhile reach the socket through
        the hub's repair round."""
        self.scope = scope
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        self.channel_name = await self.channel_layer.new_channel()
        self.channel_receive = self.receive_from_layer
        self.base_send = send
        # Frames go out through the server's own send, beneath the session
        # middleware (which wraps it only to save sessions of HTTP responses).
        self.raw_send = scope.get(RAW_SEND, send)
        with contextlib.suppress(StopConsumer):
            await await_many_dispatch([receive, self.channel_receive], self.dispatch)

    async def receive_from_layer(self) -> dict[str, Any]:
        backoff = 0.1
        while True:
            try:
                message = await self.channel_layer.receive(self.channel_name)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                _layer_outage.failed(error)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            _layer_outage.recovered()
            return message

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            logger.info("websocket refused: not signed in")
            # Closing before accept refuses the handshake (HTTP 403).
            await self.close()
            return
        # The session's user is read from the database for this handshake, so
        # a suspension decided a moment ago is seen here.
        if user.is_suspended:
            logger.info("websocket of member %s refused: suspended", user.pk)
            await self.close()
            return
        self.user = getattr(user, "_wrapped", user)
        session = self.scope.get("session")
        self.session_key = getattr(session, "session_key", None)
        self.session_tag = access.session_tag(self.session_key)
        publish.bind_loop()
        self.tasks: set[asyncio.Task] = set()
        loop = asyncio.get_running_loop()
        self.last_frame_at = loop.time()
        self.is_silent = False
        parts = [part(self) for part in sockets.parts()]
        allowed = await presence.open_socket(
            self.user.pk, self.channel_name, limit=MAX_SOCKETS_PER_MEMBER
        )
        if allowed:
            self.socket_registered = True
            self.user_group = groups.user(self.user.pk)
            try:
                await self.channel_layer.group_add(self.user_group, self.channel_name)
            except Exception as error:
                # The heartbeat renews it; the chat works through the hub.
                logger.warning("cannot join the member's group: %s", error)
        await self.accept()
        self.outbox = Outbox(self.raw_send, dropped=self.dropped)
        # Every accepted socket is greeted first, the refused one too.
        hello = {"type": "hello", "user": self.user.pk}
        for part in parts:
            hello.update(await part.hello())
        hello["heartbeat"] = heartbeat_interval()
        await self.send_json(hello)
        if not allowed:
            logger.info("websocket of member %s refused: too many", self.user.pk)
            await self.send_json({"type": "error", "code": "too_many_connections"})
            await self.close(code=CLOSE_TOO_MANY_CONNECTIONS)
            return
        self.parts = parts
        self.frame_handlers = {
            frame_type: getattr(part, method)
            for part in self.parts
            for frame_type, method in part.frames.items()
        }
        self.spawn(self.heartbeat())

    async def disconnect(self, code: int) -> None:
        for task in getattr(self, "tasks", ()):
            task.cancel()
        for part in self.parts:
            try:
                await part.close()
            except Exception as error:  # the layer may be down; groups expire
                logger.warning("socket part %s did not close: %s", part, error)
        if hasattr(self, "user_group"):
            try:
                await self.channel_layer.group_discard(
                    self.user_group, self.channel_name
                )
            except Exception as error:
                logger.warning("cannot leave the member's group: %s", error)
        if getattr(self, "socket_registered", False):
            await presence.close_socket(self.user.pk, self.channel_name)
        if self.outbox is not None:
            self.outbox.close()

    def spawn(self, coroutine) -> None:
        task = asyncio.create_task(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def heartbeat(self) -> None:
        """Keep presence fresh; end the presence of a socket silent for two
        heartbeats (the bound after which clients, too, call a link dead) and
        close it at three."""
        interval = heartbeat_interval()
        loop = asyncio.get_running_loop()
        # Sockets that connected together (a server restart, a reconnect
        # storm) would otherwise all refresh at the same instant, a burst of
        # Redis round trips that stalls every room of the process: spread them.
        refresh_at = loop.time() + random.uniform(0, interval)  # noqa: S311
        while True:
            silent_at = self.last_frame_at + 2 * interval
            deadline = self.last_frame_at + 3 * interval
            wake = min(refresh_at, deadline if self.is_silent else silent_at)
            await asyncio.sleep(max(0.0, wake - loop.time()))
            now = loop.time()
            if now >= self.last_frame_at + 3 * interval:
                logger.info("websocket of member %s timed out", self.user.pk)
                await self.close(code=CLOSE_HEARTBEAT_TIMEOUT)
                return
            if not self.is_silent and now >= self.last_frame_at + 2 * interval:
                self.is_silent = True
                await self.for_parts("silent")
            if now < refresh_at:
                continue  # a frame came in since: the deadlines moved
            refresh_at = now + interval
            if not await self.session_still_valid():
                logger.info("websocket of member %s: session ended", self.user.pk)
                await self.end_session("session_expired")
                return
            if self.is_silent:
                continue
            rooms = [room for part in self.parts for room in part.present_in()]
            await presence.refresh(rooms, self.user.pk, self.channel_name)
            try:
                # Renewed in case Redis restarted and forgot the group.
                await self.channel_layer.group_add(self.user_group, self.channel_name)
            except Exception as error:
                logger.warning("cannot renew the member's group: %s", error)

    async def session_still_valid(self) -> bool:
        """A session ended by any path (deleted in the admin, expired, the
        password changed) ends the socket within one heartbeat, even if its
        `session.ended` event was lost. A store that cannot answer is no
        verdict: the next heartbeat asks again."""
        try:
            return await database_sync_to_async(access.session_is_valid)(
                self.session_key, self.user.pk
            )
        except Exception as error:
            logger.warning("cannot check the session of a socket: %s", error)
            return True

    async def end_session(self, reason: str) -> None:
        await self.send_json({"type": access.SESSION_ENDED, "reason": reason})
        await self.close(code=CLOSE_SESSION_ENDED)

    # --- Frames to the client -----------------------------------------------

    async def send(self, text_data=None, bytes_data=None, close=False) -> None:
        """Every text frame goes through the outbox (in order, never waiting
        on a client that stopped reading)."""
        if text_data is not None and self.outbox is not None:
            self.outbox.write(text_data)
        elif text_data is not None or bytes_data is not None:
            await super().send(text_data=text_data, bytes_data=bytes_data)
        if close:
            await self.close(close)

    def write(self, text: str, room_id: int | None = None) -> None:
        if self.outbox is not None:
            self.outbox.write(text, room_id)

    def dropped(self, room_ids: set[int]) -> None:
        for part in self.parts:
            part.dropped(room_ids)

    async def close(self, code=None, reason=None) -> None:
        # What was queued (the error frame before a 4008, for instance) goes
        # out before the close frame.
        if self.outbox is not None:
            await self.outbox.drain(CLOSE_DRAIN)
        await super().close(code=code, reason=reason)

    # --- Frames from the client ---------------------------------------------

    async def for_parts(self, hook: str) -> None:
        for part in self.parts:
            try:
                await getattr(part, hook)()
            except Exception as error:  # presence is best effort
                logger.warning("socket part %s failed in %s: %s", part, hook, error)

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        # A malformed frame gets an error frame; the socket stays open.
        self.last_frame_at = asyncio.get_running_loop().time()
        if self.is_silent:
            self.is_silent = False
            await self.for_parts("heard")
        if text_data is None:
            await self.reject_frame("bad_json", "binary frame")
            return
        if len(text_data) > MAX_FRAME_LENGTH:
            await self.reject_frame("frame_too_large", f"{len(text_data)} characters")
            return
        try:
            content = json.loads(text_data)
        except (ValueError, RecursionError):
            # RecursionError: nested deeper than the parser goes (thousands of
            # levels); no frame of the protocol nests more than three.
            await self.reject_frame("bad_json", "invalid JSON")
            return
        await self.receive_json(content)

    async def receive_json(self, content: Any, **kwargs) -> None:
        if not isinstance(content, dict):
            await self.reject_frame("bad_frame", "not an object")
            return
        ref = None
        try:
            ref = frames.ref(content)
            if not isinstance(content.get("type"), str):
                raise FrameError("bad_frame", "no type")
            if content["type"] == "ping":
                handler = self.on_ping
            else:
                handler = self.frame_handlers.get(content["type"])
            if handler is None:
                raise FrameError("unknown_type", content["type"][:50])
            await handler(content, ref)
        except FrameError as error:
            extra = {"ref": ref, **error.extra} if ref is not None else error.extra
            await self.reject_frame(error.code, error.reason, **extra)

    async def reject_frame(self, code: str, reason: str, **extra: Any) -> None:
        """`reason` is logged; `extra` goes into the frame (a `detail` there is
        a sentence for the member, e.g. the word filter's)."""
        logger.info(
            "websocket frame of member %s refused (%s): %s",
            getattr(getattr(self, "user", None), "pk", None),
            code,
            reason,
        )
        answer = {"type": "error", "code": code}
        answer.update({k: v for k, v in extra.items() if v is not None})
        await self.send_json(answer)

    async def answer(self, frame: dict[str, Any], ref: str | int | None) -> None:
        if ref is not None:
            frame["ref"] = ref
        await self.send_json(frame)

    async def on_ping(self, frame: dict[str, Any], ref: str | int | None) -> None:
        await self.answer({"type": "pong"}, ref)

    async def realtime_event(self, message: dict[str, Any]) -> None:
        await self.relay([message["event"]])

    async def realtime_events(self, message: dict[str, Any]) -> None:
        await self.relay(message["events"])

    async def relay(self, events: list[dict[str, Any]]) -> None:
        """The member's own events (and those of the groups the parts joined);
        each part may act on an event or keep it from this socket. The end of
        the member's session ends the socket."""
        for event in events:
            if event.get("type") == access.SESSION_ENDED:
                if access.ends_session(event, self.session_tag):
                    await self.end_session(event.get("reason", ""))
                    return
                continue  # another session of the member ended
            wanted = True
            for part in self.parts:
                wanted = await part.on_event(event) and wanted
            # Access checks are the server's business, not the client's.
            if wanted and event.get("type") != access.ACCESS_CHANGED:
                await self.send_json(event)
