"""Forum threads a socket watches: new posts, edits and status changes arrive
live on the thread page (events from forum.actions through `forum.thread.<id>`).

The forum's part of realtime.consumers.MemberConsumer, registered in
`ForumConfig.ready`.
"""

from __future__ import annotations

import logging
from typing import Any

from channels.db import database_sync_to_async
from django.http import Http404

from forum.permissions import access_thread, visible_thread_ids
from realtime import frames, groups, ratelimit
from realtime.access import ACCESS_CHANGED
from realtime.frames import FrameError
from realtime.sockets import SocketPart

logger = logging.getLogger(__name__)

MAX_THREADS_PER_SOCKET = 20


class ThreadWatching(SocketPart):
    """`forum.watch` and `forum.unwatch` frames."""

    frames = {"forum.watch": "on_forum_watch", "forum.unwatch": "on_forum_unwatch"}

    def __init__(self, socket) -> None:
        super().__init__(socket)
        self.watched_threads: set[int] = set()

    async def close(self) -> None:
        await self.unwatch_all()

    async def on_event(self, event: dict[str, Any]) -> bool:
        """What the member may see changed (realtime.access): stop watching
        the threads they may no longer see."""
        if event.get("type") != ACCESS_CHANGED:
            return True
        watched = sorted(self.watched_threads)
        if not watched:
            return False
        try:
            visible = await database_sync_to_async(visible_thread_ids)(
                self.socket.user.pk, watched
            )
        except Exception as error:
            logger.warning("cannot check access to threads %s: %s", watched, error)
            visible = set()
        for thread_id in watched:
            if thread_id not in visible:
                await self.unwatch(thread_id)
                await self.socket.send_json(
                    {
                        "type": "forum.unwatched",
                        "thread": thread_id,
                        "reason": "access_ended",
                    }
                )
        return False

    async def on_forum_watch(self, frame: dict[str, Any], ref: str | int | None):
        thread_id = frames.integer(frame, "thread")
        watched = self.watched_threads
        if thread_id not in watched and len(watched) >= MAX_THREADS_PER_SOCKET:
            raise FrameError("too_many_threads", str(thread_id), thread=thread_id)
        await ratelimit.enforce(
            "forum.watch",
            self.socket.user.pk,
            ratelimit.subscribe_limit(),
            thread=thread_id,
        )
        try:
            await database_sync_to_async(access_thread)(self.socket.user, thread_id)
        except Http404 as error:
            # Unknown and invisible threads answer alike: nothing leaks.
            raise FrameError(
                "thread_not_found", str(thread_id), thread=thread_id
            ) from error
        await self.socket.channel_layer.group_add(
            groups.forum_thread(thread_id), self.socket.channel_name
        )
        watched.add(thread_id)
        await self.socket.answer({"type": "forum.watching", "thread": thread_id}, ref)

    async def on_forum_unwatch(self, frame: dict[str, Any], ref: str | int | None):
        thread_id = frames.integer(frame, "thread")
        await self.unwatch(thread_id)
        await self.socket.answer({"type": "forum.unwatched", "thread": thread_id}, ref)

    async def unwatch(self, thread_id: int) -> None:
        watched = self.watched_threads
        if thread_id in watched:
            watched.discard(thread_id)
            await self.socket.channel_layer.group_discard(
                groups.forum_thread(thread_id), self.socket.channel_name
            )

    async def unwatch_all(self) -> None:
        for thread_id in list(self.watched_threads):
            try:
                await self.unwatch(thread_id)
            except Exception as error:  # the layer may be down; groups expire
                logger.warning("cannot leave thread group: %s", error)
