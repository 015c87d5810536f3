"""Where ephemeral state lives: Redis when REDIS_URL is set, else this process.

Presence, socket counts and rate limits are shared by every server process
through Redis; without it (the embedded default, one process) they live in
memory. Nothing here is ever stored in the database, and everything expires on
its own. Both stores offer the same async operations, so callers never ask
which one they have.

A Redis client belongs to one event loop, so there is one store per loop.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
import weakref
from typing import Protocol

from django.conf import settings
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What an unreachable store raises (a lost connection, a timeout).
STORE_ERRORS = (OSError, RedisError)

# Token bucket: refill `rate` tokens a second up to `burst`; take one.
# Returns how many seconds to wait before a token is there (0: taken).
BUCKET_SCRIPT = """
local now = redis.call('TIME')
local t = tonumber(now[1]) + tonumber(now[2]) / 1000000
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1]) or burst
local ts = tonumber(state[2]) or t
tokens = math.min(burst, tokens + math.max(0, t - ts) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) / rate end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(t))
redis.call('EXPIRE', KEYS[1], math.ceil(burst / rate) + 1)
return tostring(wait)
"""


class Store(Protocol):
    async def take_token(self, key: str, *, rate: float, burst: int) -> float: ...

    async def count(self, key: str, *, window: float) -> int:
        """Add one to a counter that starts over `window` seconds after its first
        count; returns the new count."""

    async def hold(self, key: str, *, seconds: float) -> None:
        """Set a flag that clears itself after `seconds`."""

    async def held_for(self, key: str) -> float:
        """Seconds until the flag clears (0 if not set)."""

    async def add_member(self, key: str, member: str, *, ttl: float) -> None:
        """Add or refresh `member` of the set `key`; it expires after `ttl`."""

    async def remove_member(self, key: str, member: str) -> None: ...

    async def members(self, key: str) -> list[str]:
        """The set's members that have not expired."""


class LocalStore:
    """One process's memory; for the embedded default and tests without Redis."""

    def __init__(self) -> None:
        self.buckets: dict[str, tuple[float, float]] = {}
        self.counters: dict[str, tuple[int, float]] = {}
        self.flags: dict[str, float] = {}
        self.sets: dict[str, dict[str, float]] = {}

    async def take_token(self, key: str, *, rate: float, burst: int) -> float:
        now = time.monotonic()
        tokens, stamp = self.buckets.get(key, (float(burst), now))
        tokens = min(burst, tokens + (now - stamp) * rate)
        wait = 0.0
        if tokens >= 1:
            tokens -= 1
        else:
            wait = (1 - tokens) / rate
        self.buckets[key] = (tokens, now)
        return wait

    async def count(self, key: str, *, window: float) -> int:
        now = time.monotonic()
        value, until = self.counters.get(key, (0, now + window))
        if until <= now:
            value, until = 0, now + window
        self.counters[key] = (value + 1, until)
        return value + 1

    async def hold(self, key: str, *, seconds: float) -> None:
        self.flags[key] = time.monotonic() + seconds

    async def held_for(self, key: str) -> float:
        remaining = self.flags.get(key, 0) - time.monotonic()
        if remaining <= 0:
            self.flags.pop(key, None)
            return 0.0
        return remaining

    async def add_member(self, key: str, member: str, *, ttl: float) -> None:
        self.sets.setdefault(key, {})[member] = time.monotonic() + ttl

    async def remove_member(self, key: str, member: str) -> None:
        self.sets.get(key, {}).pop(member, None)

    async def members(self, key: str) -> list[str]:
        now = time.monotonic()
        entries = self.sets.get(key, {})
        for member in [m for m, until in entries.items() if until <= now]:
            del entries[member]
        if not entries:
            self.sets.pop(key, None)
        return sorted(entries)


class RedisStore:
    """Shared by every server process on the same Redis."""

    def __init__(self, url: str, prefix: str = "zr:rt:") -> None:
        import redis.asyncio

        # A blocking pool: under a burst a command waits for a free connection
        # instead of failing with "Too many connections" (redis-py's pools
        # hold 100 by default).
        pool = redis.asyncio.BlockingConnectionPool.from_url(
            url, max_connections=200, timeout=5, socket_timeout=2
        )
        self.redis = redis.asyncio.Redis(connection_pool=pool)
        self.prefix = prefix
        self.bucket = self.redis.register_script(BUCKET_SCRIPT)

    async def take_token(self, key: str, *, rate: float, burst: int) -> float:
        return float(await self.bucket(keys=[self.prefix + key], args=[rate, burst]))

    async def count(self, key: str, *, window: float) -> int:
        key = self.prefix + key
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, math.ceil(window), nx=True)
            value, _ = await pipe.execute()
        return int(value)

    async def hold(self, key: str, *, seconds: float) -> None:
        await self.redis.set(self.prefix + key, b"1", px=max(1, int(seconds * 1000)))

    async def held_for(self, key: str) -> float:
        remaining = await self.redis.pttl(self.prefix + key)
        return max(0.0, remaining / 1000)

    async def add_member(self, key: str, member: str, *, ttl: float) -> None:
        key = self.prefix + key
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.zadd(key, {member: time.time() + ttl})
            pipe.expire(key, math.ceil(ttl) + 1)
            await pipe.execute()

    async def remove_member(self, key: str, member: str) -> None:
        await self.redis.zrem(self.prefix + key, member)

    async def members(self, key: str) -> list[str]:
        key = self.prefix + key
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.zremrangebyscore(key, "-inf", time.time())
            pipe.zrange(key, 0, -1)
            _, found = await pipe.execute()
        return sorted(m.decode() for m in found)


_stores: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Store] = (
    weakref.WeakKeyDictionary()
)


def get_store() -> Store:
    """The store for the running event loop."""
    loop = asyncio.get_running_loop()
    store = _stores.get(loop)
    if store is None:
        url = settings.REDIS_URL
        store = RedisStore(url) if url else LocalStore()
        _stores[loop] = store
    return store
