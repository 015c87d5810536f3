"""Rate limits for what a member repeats over the socket.

Sends use a token bucket per member (shared by all their sockets and all server
processes when Redis is configured). A member who keeps hitting the limit is
muted for a while: their sends are refused with `muted` until it runs out.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings

from realtime.ephemeral import STORE_ERRORS, get_store

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    rate: float  # tokens per second
    burst: int  # bucket size
    # Refusals within `strike_window` seconds that earn a mute of `mute_for`.
    strikes: int
    strike_window: float
    mute_for: float


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


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    code: str = ""  # "rate_limited" or "muted"
    retry_after: float = 0.0


async def take(name: str, user_id: int, limit: Limit) -> Verdict:
    """Take one token of `name` for the member, or say how long to wait.

    If the store is unreachable (Redis down) the member is let through: the
    chat keeps working and the outage is logged.
    """
    store = get_store()
    key = f"{name}:{user_id}"
    try:
        muted = await store.held_for(f"mute:{key}")
        if muted > 0:
            return Verdict(False, "muted", round(muted, 1))
        wait = await store.take_token(
            f"bucket:{key}", rate=limit.rate, burst=limit.burst
        )
        if wait <= 0:
            return Verdict(True)
        strikes = await store.count(f"strikes:{key}", window=limit.strike_window)
        if strikes >= limit.strikes:
            await store.hold(f"mute:{key}", seconds=limit.mute_for)
            logger.warning("member %s muted for flooding (%s)", user_id, name)
            return Verdict(False, "muted", limit.mute_for)
        return Verdict(False, "rate_limited", round(wait, 2))
    except STORE_ERRORS as error:
        logger.warning("rate limit store unavailable: %s", error)
        return Verdict(True)
