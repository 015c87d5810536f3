"""The live review queue on a moderator's socket (docs/protocol.md,
"Moderation"): moderation's part of realtime.consumers.MemberConsumer,
registered in `ModerationConfig.ready`.

`moderation.watch` joins the socket to the moderators' group; the queue events
published by moderation.actions.review.queue_event then reach it, but only
those of spaces its member moderates (an event without a space only global
moderators). The member's spaces are read once, when watching starts: a
socket that should see a change of roles watches again (every reconnect does).
"""

from __future__ import annotations

import logging
from typing import Any

from channels.db import database_sync_to_async

from accounts.models import User
from moderation.permissions import is_moderator, moderated_space_ids
from realtime import groups
from realtime.access import ACCESS_CHANGED
from realtime.frames import FrameError
from realtime.sockets import SocketPart

logger = logging.getLogger(__name__)


def _fresh(user_id: int) -> User | None:
    return User.objects.filter(pk=user_id).first()


def _moderated_spaces(user) -> tuple[bool, set[int] | None]:
    """Whether `user` moderates anything, and which spaces (None: all)."""
    if user is None or not is_moderator(user):
        return False, set()
    return True, moderated_space_ids(user)


class ModerationWatching(SocketPart):
    """`moderation.watch` and `moderation.unwatch` frames, and the filter that
    gives a moderator's socket the queue events of their spaces only."""

    frames = {
        "moderation.watch": "on_moderation_watch",
        "moderation.unwatch": "on_moderation_unwatch",
    }
    moderating: bool = False
    # None: every space (global moderators); else those spaces' events only.
    moderated_spaces: set[int] | None = None

    async def on_event(self, event: dict[str, Any]) -> bool:
        if event.get("type") == "moderation.queue":
            return self.moderates(event)
        if event.get("type") == ACCESS_CHANGED and self.moderating:
            # Taken off a space's moderators (or the staff): read the
            # member's spaces again; nothing left ends the live queue.
            allowed, spaces = await database_sync_to_async(_moderated_spaces)(
                await database_sync_to_async(_fresh)(self.socket.user.pk)
            )
            if allowed:
                self.moderated_spaces = spaces
            else:
                await self.stop_moderating()
        return True

    async def close(self) -> None:
        await self.stop_moderating()

    async def on_moderation_watch(self, frame: dict[str, Any], ref: str | int | None):
        allowed, spaces = await database_sync_to_async(_moderated_spaces)(
            self.socket.user
        )
        if not allowed:
            raise FrameError("forbidden", "moderation.watch")
        await self.socket.channel_layer.group_add(
            groups.moderators(), self.socket.channel_name
        )
        self.moderating, self.moderated_spaces = True, spaces
        await self.socket.answer({"type": "ack"}, ref)

    async def on_moderation_unwatch(self, frame: dict[str, Any], ref: str | int | None):
        await self.stop_moderating()
        await self.socket.answer({"type": "ack"}, ref)

    async def stop_moderating(self) -> None:
        if not self.moderating:
            return
        self.moderating = False
        try:
            await self.socket.channel_layer.group_discard(
                groups.moderators(), self.socket.channel_name
            )
        except Exception as error:  # the layer may be down; groups expire
            logger.warning("cannot leave the moderators' group: %s", error)

    def moderates(self, event: dict[str, Any]) -> bool:
        """Should this socket get the queue event `event`?"""
        if not self.moderating:
            return False
        if self.moderated_spaces is None:
            return True
        space = event.get("space")
        return space is not None and space in self.moderated_spaces
