"""Who is online in a room, and how many sockets a member has open.

Ephemeral and self-expiring: each socket registers itself with a time to live
and refreshes it with every heartbeat; the entries of a process that died
(killed, frozen) stop counting once its lease runs out, within
REALTIME_PROCESS_LEASE seconds, so a member whose tabs were on a killed
process can connect again at once elsewhere. Redis-backed when REDIS_URL is set
(see realtime.ephemeral).
"""

from __future__ import annotations

import logging

from realtime.ephemeral import STORE_ERRORS, get_store, unavailable

logger = logging.getLogger(__name__)

# Sockets refresh every HEARTBEAT seconds; an entry lives a little over two.
HEARTBEAT = 25.0
TTL = 2 * HEARTBEAT + 10


def _room_key(room_id: int) -> str:
    return f"presence:room:{room_id}"


def _sockets_key(user_id: int) -> str:
    return f"presence:sockets:{user_id}"


def _users(members: list[str]) -> set[int]:
    return {int(member.split(":", 1)[0]) for member in members}


async def enter(room_id: int, user_id: int, socket: str) -> bool:
    """Mark the socket present in the room; True if the member just came online
    there (no other socket of theirs was)."""
    store = get_store()
    try:
        before = _users(await store.members(_room_key(room_id)))
        await store.add_member(_room_key(room_id), f"{user_id}:{socket}", ttl=TTL)
    except STORE_ERRORS as error:
        unavailable("presence", error)
        return False
    return user_id not in before


async def leave(room_id: int, user_id: int, socket: str) -> bool:
    """Remove the socket from the room; True if the member is gone from it."""
    store = get_store()
    try:
        await store.remove_member(_room_key(room_id), f"{user_id}:{socket}")
        return user_id not in _users(await store.members(_room_key(room_id)))
    except STORE_ERRORS as error:
        unavailable("presence", error)
        return False


async def online(room_id: int) -> list[int]:
    try:
        return sorted(_users(await get_store().members(_room_key(room_id))))
    except STORE_ERRORS as error:
        unavailable("presence", error)
        return []


async def refresh(room_ids: list[int], user_id: int, socket: str) -> None:
    store = get_store()
    try:
        for room_id in room_ids:
            await store.add_member(_room_key(room_id), f"{user_id}:{socket}", ttl=TTL)
        await store.add_member(_sockets_key(user_id), socket, ttl=TTL)
    except STORE_ERRORS as error:
        unavailable("presence", error)


async def open_socket(user_id: int, socket: str, *, limit: int) -> bool:
    """Register a socket of the member; False if they have `limit` open already
    (one round trip: counted and added in one script)."""
    try:
        return await get_store().add_if_fewer(
            _sockets_key(user_id), socket, ttl=TTL, limit=limit
        )
    except STORE_ERRORS as error:
        unavailable("presence", error)
    return True


async def close_socket(user_id: int, socket: str) -> None:
    try:
        await get_store().remove_member(_sockets_key(user_id), socket)
    except STORE_ERRORS as error:
        unavailable("presence", error)
