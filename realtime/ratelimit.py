"""Rate limits for what a member repeats over the socket.

One mechanism for every kind of frame: `take(key, member, limit)` takes a
token of the member's bucket for `key` (shared by all their sockets and all
server processes when Redis is configured), in one round trip to the store.
A member who keeps hitting a limit that has `mute_for` set is muted for a
while: every `take` of that key is refused with `muted` until it runs out.
"""

from __future__ import annotations

import logging

from django.conf import settings

from realtime.ephemeral import STORE_ERRORS, Bucket, Taken, get_store, unavailable
from realtime.frames import FrameError

logger = logging.getLogger(__name__)

# A limit is a token bucket with strikes (realtime.ephemeral.Bucket): `rate`
# tokens a second up to `burst`; `strikes` refusals within `strike_window`
# seconds mute the member for `mute_for` seconds (0: refusals never mute).
Limit = Bucket


def send_limit() -> Limit:
    """Chat sends: by default a burst of 10, then one every half second; 20
    refusals within a minute mute the member for five minutes (settings)."""
    return Limit(
        rate=settings.CHAT_SEND_RATE,
        burst=settings.CHAT_SEND_BURST,
        strikes=settings.CHAT_FLOOD_STRIKES,
        strike_window=60.0,
        mute_for=settings.CHAT_FLOOD_MUTE_SECONDS,
    )


def frame_limit(rate: float, burst: int, *, mutes: bool) -> Limit:
    """A bucket for another kind of frame: `rate` a second after a burst of
    `burst`; with `mutes`, refusals count as strikes as they do for sends."""
    return Limit(
        rate=rate,
        burst=burst,
        strikes=settings.CHAT_FLOOD_STRIKES if mutes else 1_000_000,
        strike_window=60.0,
        mute_for=settings.CHAT_FLOOD_MUTE_SECONDS if mutes else 0.0,
    )


def edit_limit() -> Limit:
    """Chat edits and deletions: each a write and a broadcast to the room."""
    return frame_limit(settings.CHAT_EDIT_RATE, settings.CHAT_EDIT_BURST, mutes=True)


def react_limit() -> Limit:
    """Reactions (added or taken back): a write and a broadcast each."""
    return frame_limit(settings.CHAT_REACT_RATE, settings.CHAT_REACT_BURST, mutes=True)


def subscribe_limit() -> Limit:
    """Subscribing to a room (a replay of up to 200 messages and a presence
    broadcast) or watching a thread. A reconnecting tab subscribes to all its
    rooms at once, hence the burst; refusals never mute."""
    return frame_limit(
        settings.REALTIME_SUBSCRIBE_RATE,
        settings.REALTIME_SUBSCRIBE_BURST,
        mutes=False,
    )


def read_limit() -> Limit:
    """Read positions: a write each."""
    return frame_limit(settings.CHAT_READ_RATE, settings.CHAT_READ_BURST, mutes=False)


class Verdict(Taken):
    @property
    def allowed(self) -> bool:
        return not self.code


async def take(key: str, member: int, limit: Limit) -> Verdict:
    """Take one token of `key` for the member, or say how long to wait.

    If the store is unreachable (Redis down) the member is let through: the
    chat keeps working and the outage is logged.
    """
    try:
        taken = await get_store().take(f"{key}:{member}", limit)
    except STORE_ERRORS as error:
        unavailable("rate limit", error)
        return Verdict()
    if taken.muted_now:
        logger.warning("member %s muted for flooding (%s)", member, key)
    # Rounded for the client: "retry after 0.42 s".
    retry_after = round(taken.retry_after, 1 if taken.code == "muted" else 2)
    return Verdict(taken.code, retry_after, taken.muted_now)


async def enforce(key: str, member: int, limit: Limit, **context) -> None:
    """Take a token or refuse the frame: a FrameError with the verdict's code
    (`rate_limited` or `muted`), `retry_after` and the frame's `context`."""
    verdict = await take(key, member, limit)
    if not verdict.allowed:
        raise FrameError(verdict.code, key, retry_after=verdict.retry_after, **context)
