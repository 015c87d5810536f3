"""Chat rooms on the member's socket: subscribe with replay, send, edit, delete,
react, read positions, typing and presence (docs/protocol.md, "Client frames").

The chat's part of realtime.consumers.MemberConsumer (registered in
`ChatConfig.ready`); permission checks and writes go through chat.permissions
and chat.actions on the database thread, sends through the group commit on the
chat's own store thread (chat.store). The part is also the socket's sink in
the room hub: room events arrive in `deliver`, already encoded, and are
written without waiting.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from channels.db import database_sync_to_async
from django.core.exceptions import PermissionDenied
from django.http import Http404

from chat import actions, queries, store
from chat.models import MAX_CLIENT_ID_LENGTH, MAX_MESSAGE_LENGTH
from chat.permissions import (
    Refused,
    access_message,
    access_room,
    visible_room_ids,
)
from realtime import frames, groups, presence, ratelimit
from realtime.access import ACCESS_CHANGED
from realtime.batch import group_commit
from realtime.bus import Entry, encode
from realtime.bus.entries import RECHECK
from realtime.frames import MAX_FRAME_LENGTH, FrameError
from realtime.hub import get_hub
from realtime.publish import publish_now
from realtime.sockets import SocketPart

logger = logging.getLogger(__name__)

MAX_ROOMS_PER_SOCKET = 200
# At most this many missed messages are replayed on subscribe; beyond it the
# client is told to reload the room's history.
REPLAY_LIMIT = 200
TYPING_INTERVAL = 2.0
# The store epoch is read once a minute per process, not on every hello (a
# restored database is announced within that time).
EPOCH_TTL = 60.0
_epoch: list = [None, 0.0]  # token, when read (time.monotonic)


async def store_epoch() -> str:
    token, read_at = _epoch
    if token is None or time.monotonic() - read_at > EPOCH_TTL:
        token = await database_sync_to_async(queries.store_epoch)()
        _epoch[:] = [token, time.monotonic()]
    return token


@dataclass
class Subscription:
    # While the missed messages are read and sent, live events wait here.
    replaying: bool = True
    buffer: list[tuple[int, str]] = field(default_factory=list)  # (seq, text)
    head: int = 0
    typing_at: float = -TYPING_INTERVAL
    # False for a room the tab only counts unread messages of (the rooms
    # list): the member is not shown online there.
    present: bool = True


@dataclass
class Subscribed:
    """What subscribing reads from the database, in one go."""

    read_seq: int
    replay: queries.Replay
    names: dict[int, str]


class RoomFrames(SocketPart):
    """The chat frames of a member's socket."""

    frames = {
        "subscribe": "on_subscribe",
        "unsubscribe": "on_unsubscribe",
        "send": "on_send",
        "edit": "on_edit",
        "delete": "on_delete",
        "react": "on_react",
        "read": "on_read",
        "typing": "on_typing",
    }

    def __init__(self, socket) -> None:
        super().__init__(socket)
        self.user_id = socket.user.pk
        self.subscriptions: dict[int, Subscription] = {}

    async def hello(self) -> dict[str, Any]:
        # A changed epoch tells the client its stored positions mean nothing
        # any more (a restored database): resync.
        return {"epoch": await store_epoch()}

    def present_in(self) -> list[int]:
        return [room for room, sub in self.subscriptions.items() if sub.present]

    async def on_event(self, event: dict[str, Any]) -> bool:
        """A removal from a room ends its stream on this socket; so does any
        other change of what the member may see (realtime.access)."""
        if event.get("type") == "chat.membership" and event.get("op") == "removed":
            await self.drop(event["room"])
        if event.get("type") == ACCESS_CHANGED:
            await self.recheck(list(self.subscriptions))
            return False
        return True

    async def recheck(self, room_ids: list[int]) -> None:
        """Check the member's access to these subscribed rooms again; drop the
        rooms they may no longer see and tell the client (`unsubscribed` with
        a reason). Live events wait in the subscription's buffer meanwhile,
        so nothing of a room reaches a member the check refuses."""
        held = []
        for room_id in room_ids:
            subscription = self.subscriptions.get(room_id)
            if subscription is not None and not subscription.replaying:
                subscription.replaying = True
                held.append(room_id)
        if not room_ids:
            return
        reason = "access_ended"
        try:
            visible = await database_sync_to_async(visible_room_ids)(
                self.user_id, room_ids
            )
        except Exception as error:
            # Closed rather than open: subscribing again checks once more.
            logger.warning("cannot check access to rooms %s: %s", room_ids, error)
            visible, reason = set(), "unavailable"
        for room_id in room_ids:
            subscription = self.subscriptions.get(room_id)
            if subscription is None:
                continue
            if room_id in visible:
                if room_id in held:
                    self.flush(room_id, subscription)
                continue
            subscription.buffer.clear()
            await self.drop(room_id)
            self.socket.write(
                encode({"type": "unsubscribed", "room": room_id, "reason": reason})
            )

    async def close(self) -> None:
        for room_id in list(self.subscriptions):
            await self.drop(room_id)

    async def silent(self) -> None:
        """A dead link: the others stop seeing the member online (the rooms
        stay subscribed, in case the link comes back)."""
        for room_id in self.present_in():
            if await presence.leave(
                room_id, self.socket.user.pk, self.socket.channel_name
            ):
                await self.announce_presence(room_id, online=False)

    async def heard(self) -> None:
        for room_id in self.present_in():
            if await presence.enter(
                room_id, self.socket.user.pk, self.socket.channel_name
            ):
                await self.announce_presence(room_id, online=True)

    async def on_subscribe(self, frame: dict[str, Any], ref: str | int | None) -> None:
        room_id = frames.integer(frame, "room")
        since = frames.integer(frame, "since", required=False)
        await ratelimit.enforce(
            "chat.subscribe", self.user_id, ratelimit.subscribe_limit(), room=room_id
        )
        present = frame.get("presence", True) is not False
        subscription = self.subscriptions.get(room_id)
        fresh = subscription is None
        if fresh and len(self.subscriptions) >= MAX_ROOMS_PER_SOCKET:
            raise FrameError("too_many_rooms", str(room_id), room=room_id)
        if fresh:
            subscription = self.subscriptions[room_id] = Subscription(present=present)
            try:
                # Join first, then read: nothing published meanwhile is missed.
                # Until the read says the member may see the room, what
                # arrives waits in the subscription's buffer.
                _, online = await asyncio.gather(
                    get_hub().join(room_id, self), presence.online(room_id)
                )
            except Exception as error:
                self.forget(room_id)
                logger.warning("cannot join room %s: %s", room_id, error)
                raise FrameError("unavailable", "join", room=room_id) from error
        else:
            subscription.replaying = True
            online = await presence.online(room_id)
        try:
            # One trip to the database: permission, read position, replay,
            # the names of who is online.
            read = await self.check(
                self.subscribe_read, room_id, since, online, room=room_id
            )
        except FrameError:
            self.forget(room_id)
            raise
        except Exception as error:
            self.forget(room_id)
            logger.warning("cannot replay room %s: %s", room_id, error)
            raise FrameError("unavailable", "replay", room=room_id) from error
        if self.subscriptions.get(room_id) is not subscription:
            # Access ended while the read ran (realtime.access): the room was
            # dropped meanwhile, and the answer is what any subscribe now gets.
            raise FrameError("room_not_found", str(room_id), room=room_id)
        replay = read.replay
        subscription.head = replay.head
        get_hub().note_head(room_id, replay.head)
        came_online = (
            fresh
            and present
            and await presence.enter(room_id, self.user_id, self.socket.channel_name)
        )
        names = {**read.names, self.user_id: self.socket.user.name}
        await self.socket.answer(
            {
                "type": "subscribed",
                "room": room_id,
                "seq": replay.head,
                "read_seq": read.read_seq,
                "online": [
                    {"id": pk, "name": names[pk]}
                    for pk in sorted({*online, *([self.user_id] if present else [])})
                    if pk in names
                ],
            },
            ref,
        )
        if replay.too_many or (since is not None and since > replay.head):
            self.socket.write(
                encode({"type": "reload", "room": room_id, "seq": replay.head})
            )
        else:
            for event in replay.events:
                self.socket.write(encode(event), room_id)
        self.flush(room_id, subscription)
        if came_online:
            await self.announce_presence(room_id, online=True)

    def subscribe_read(
        self, room_id: int, since: int | None, online: list[int]
    ) -> Subscribed:
        _, membership = access_room(self.socket.user, room_id)
        return Subscribed(
            read_seq=membership.last_read_seq if membership else 0,
            replay=queries.replay(room_id, since=since, limit=REPLAY_LIMIT),
            names=queries.member_names([pk for pk in online if pk != self.user_id]),
        )

    def flush(self, room_id: int, subscription: Subscription) -> None:
        """Send what arrived live during the replay, minus what it contained."""
        for seq, text in subscription.buffer:
            if not seq or seq > subscription.head:
                self.socket.write(text, room_id)
        subscription.buffer.clear()
        subscription.replaying = False

    async def on_unsubscribe(
        self, frame: dict[str, Any], ref: str | int | None
    ) -> None:
        room_id = frames.integer(frame, "room")
        if room_id not in self.subscriptions:
            raise FrameError("not_subscribed", str(room_id), room=room_id)
        await self.drop(room_id)
        await self.socket.answer({"type": "unsubscribed", "room": room_id}, ref)

    async def drop(self, room_id: int) -> None:
        subscription = self.subscriptions.pop(room_id, None)
        if subscription is None:
            return
        get_hub().leave(room_id, self)
        if subscription.present and await presence.leave(
            room_id, self.user_id, self.socket.channel_name
        ):
            await self.announce_presence(room_id, online=False)

    def forget(self, room_id: int) -> None:
        """A subscription that never got through (or lost its permission):
        no presence to take back."""
        if self.subscriptions.pop(room_id, None) is not None:
            get_hub().leave(room_id, self)

    async def announce_presence(self, room_id: int, *, online: bool) -> None:
        event = {
            "type": "chat.presence",
            "room": room_id,
            "user": {"id": self.socket.user.pk, "name": self.socket.user.name},
            "online": online,
        }
        try:
            await publish_now(event, to=[groups.chat_room(room_id)])
        except Exception as error:
            logger.warning("presence not published: %s", error)

    async def on_send(self, frame: dict[str, Any], ref: str | int | None) -> None:
        room_id = frames.integer(frame, "room")
        client_id = frames.text(frame, "client_id", max_length=MAX_CLIENT_ID_LENGTH)
        context = {"room": room_id, "client_id": client_id}
        try:
            # Checked here, for this send alone: a text the database cannot
            # store would fail the whole batch it lands in.
            body = frames.text(frame, "body", max_length=MAX_FRAME_LENGTH)
            reply_to = frames.integer(frame, "reply_to", required=False)
        except FrameError as error:
            error.extra.update(context)
            raise
        if not client_id:
            raise FrameError("bad_field", "client_id", field="client_id", **context)
        if len(body.strip()) > MAX_MESSAGE_LENGTH:
            raise FrameError("body_too_long", str(len(body)), **context)
        if not body.strip():
            raise FrameError("body_empty", "", **context)
        verdict = await ratelimit.take(
            "chat.send", self.socket.user.pk, ratelimit.send_limit()
        )
        if not verdict.allowed:
            raise FrameError(
                verdict.code, "send", retry_after=verdict.retry_after, **context
            )
        request = actions.SendRequest(
            self.socket.user, room_id, client_id, body, reply_to
        )
        # Stored in the background, so one socket's sends can share a batch.
        self.socket.spawn(self.store(request, ref))

    async def store(self, request: actions.SendRequest, ref: str | int | None) -> None:
        context = {"room": request.room_id, "client_id": request.client_id}
        commit = group_commit(
            store.store_batch_on_own_connection, executor=store.EXECUTOR
        )
        try:
            result = await commit.submit(request)
        except Exception:
            await self.socket.reject_frame("unavailable", "store", ref=ref, **context)
            return
        if not result.ok:
            await self.socket.reject_frame(
                result.error,
                "send",
                ref=ref,
                retry_after=result.retry_after,
                detail=result.detail or None,
                field=result.field,
                **context,
            )
            return
        await self.socket.answer(
            {
                "type": "ack",
                "client_id": result.client_id,
                "room": result.room_id,
                "id": result.message.pk,
                "seq": result.message.seq,
                "duplicate": result.duplicate,
            },
            ref,
        )

    async def on_edit(self, frame: dict[str, Any], ref: str | int | None) -> None:
        message_id = frames.integer(frame, "id")
        body = frames.text(frame, "body", max_length=MAX_FRAME_LENGTH)
        await ratelimit.enforce(
            "chat.edit", self.user_id, ratelimit.edit_limit(), id=message_id
        )
        await self.check(self.edit, message_id, body, id=message_id)
        await self.socket.answer({"type": "ok", "op": "edit", "id": message_id}, ref)

    async def on_delete(self, frame: dict[str, Any], ref: str | int | None) -> None:
        message_id = frames.integer(frame, "id")
        # Deleting costs what editing does: the same bucket.
        await ratelimit.enforce(
            "chat.edit", self.user_id, ratelimit.edit_limit(), id=message_id
        )
        await self.check(self.delete, message_id, id=message_id)
        await self.socket.answer({"type": "ok", "op": "delete", "id": message_id}, ref)

    async def on_react(self, frame: dict[str, Any], ref: str | int | None) -> None:
        message_id = frames.integer(frame, "id")
        emoji = frames.text(frame, "emoji", max_length=16)
        await ratelimit.enforce(
            "chat.react", self.user_id, ratelimit.react_limit(), id=message_id
        )
        added = await self.check(self.react, message_id, emoji, id=message_id)
        await self.socket.answer(
            {"type": "ok", "op": "react", "id": message_id, "added": added}, ref
        )

    async def on_read(self, frame: dict[str, Any], ref: str | int | None) -> None:
        room_id = frames.integer(frame, "room")
        seq = frames.integer(frame, "seq")
        await ratelimit.enforce(
            "chat.read", self.user_id, ratelimit.read_limit(), room=room_id
        )
        await self.check(self.mark_read, room_id, seq, room=room_id)

    async def on_typing(self, frame: dict[str, Any], ref: str | int | None) -> None:
        room_id = frames.integer(frame, "room")
        subscription = self.subscriptions.get(room_id)
        if subscription is None:
            raise FrameError("not_subscribed", str(room_id), room=room_id)
        now = asyncio.get_running_loop().time()
        if now - subscription.typing_at < TYPING_INTERVAL:
            return  # ephemeral: too frequent typing frames are dropped
        subscription.typing_at = now
        # The subscription is the permission: it was checked when made, and
        # a removal from the room ends it (on_event).
        event = {
            "type": "chat.typing",
            "room": room_id,
            "user": {"id": self.socket.user.pk, "name": self.socket.user.name},
        }
        await publish_now(event, to=[groups.chat_room(room_id)])

    async def check(self, function, *args: Any, **context: Any) -> Any:
        """Run a permission check (and action) synchronously; refusals become
        FrameErrors carrying `context` (room or message id)."""
        try:
            return await database_sync_to_async(function)(*args)
        except Http404 as error:
            code = "message_not_found" if "id" in context else "room_not_found"
            raise FrameError(code, str(context), **context) from error
        except Refused as refused:
            raise FrameError(
                refused.code,
                str(context),
                retry_after=refused.retry_after,
                detail=refused.detail or None,
                **context,
            ) from refused
        except PermissionDenied as error:
            raise FrameError("forbidden", str(context), **context) from error

    def edit(self, message_id: int, body: str) -> bool:
        message, _ = access_message(self.socket.user, message_id)
        return actions.edit_message(self.socket.user, message, body=body)

    def delete(self, message_id: int) -> bool:
        message, membership = access_message(self.socket.user, message_id)
        return actions.delete_message(self.socket.user, message, membership)

    def react(self, message_id: int, emoji: str) -> bool:
        message, membership = access_message(self.socket.user, message_id)
        return actions.toggle_reaction(
            self.socket.user, message, membership, emoji=emoji
        )

    def mark_read(self, room_id: int, seq: int) -> bool:
        room, membership = access_room(self.socket.user, room_id)
        return actions.mark_read(self.socket.user, room, membership, seq=seq)

    # --- Events to the client -----------------------------------------------

    def deliver(self, room_id: int, entries: list[Entry]) -> None:
        """From the room hub: the room's events, encoded once per process."""
        subscription = self.subscriptions.get(room_id)
        if subscription is None:
            return
        me = self.user_id
        for seq, user, text in entries:
            if user == me:
                continue  # a member's own typing and presence are no news
            if user == RECHECK:
                # Held from here until the check answers.
                subscription.replaying = True
                self.socket.spawn(self.recheck_held(room_id))
                continue
            if subscription.replaying:
                subscription.buffer.append((seq, text))
            else:
                self.socket.write(text, room_id)

    async def recheck_held(self, room_id: int) -> None:
        subscription = self.subscriptions.get(room_id)
        if subscription is not None:
            subscription.replaying = False  # so that recheck holds and flushes
        await self.recheck([room_id])

    def reload(self, room_id: int, head: int) -> None:
        if room_id in self.subscriptions:
            self.socket.write(encode({"type": "reload", "room": room_id, "seq": head}))

    def dropped(self, room_ids: set[int]) -> None:
        """The socket read too slowly and lost these rooms' events: each must
        be fetched again (the client subscribes again with `since`)."""
        hub = get_hub()
        for room_id in sorted(room_ids):
            subscription = self.subscriptions.get(room_id)
            if subscription is not None:
                head = max(hub.head(room_id), subscription.head)
                self.reload(room_id, head)
