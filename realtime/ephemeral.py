"""Where ephemeral state lives: Redis when REDIS_URL is set, else this process.

Presence, socket counts and rate limits are shared by every server process
through Redis; without it (the embedded default, one process) they live in
memory. Nothing here is ever stored in the database, and everything expires on
its own. Both stores offer the same async operations, so callers never ask
which one they have.

Set members (presence, a member's sockets) belong to the process that added
them: each process holds a lease it renews every few seconds, and a member
whose process let its lease run out (killed, frozen) no longer counts, long
before its own time to live would end it. Every operation is one Redis round
trip (a script where it reads and writes).

A Redis client belongs to one event loop, so there is one store per loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
import uuid
import weakref
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What an unreachable store raises (a lost connection, a timeout).
STORE_ERRORS = (OSError, RedisError)


class _Unavailable:
    """While Redis is away every send, heartbeat and subscribe fails: log it
    as a warning once a second per kind (what failed), the rest at debug."""

    def __init__(self) -> None:
        self.last: dict[str, float] = {}

    def __call__(self, what: str, error: Exception) -> None:
        now = time.monotonic()
        if now - self.last.get(what, -1.0) >= 1.0:
            self.last[what] = now
            logger.warning("%s store unavailable: %s", what, error)
        else:
            logger.debug("%s store unavailable: %s", what, error)


unavailable = _Unavailable()

# This server process, in the leases (one Python process, one id).
PROCESS = uuid.uuid4().hex[:12]


def lease_seconds() -> float:
    """Members of a process that renewed its lease longer ago than this no
    longer count (a killed process's sockets); it renews three times as often
    (REALTIME_PROCESS_LEASE, 15 s by default)."""
    return settings.REALTIME_PROCESS_LEASE


@dataclass(frozen=True)
class Bucket:
    """A token bucket with strikes: `rate` tokens a second up to `burst`; a
    refusal is a strike, and `strikes` of them within `strike_window` seconds
    set a mute of `mute_for` seconds (0: never)."""

    rate: float
    burst: int
    strikes: int
    strike_window: float
    mute_for: float


@dataclass(frozen=True)
class Taken:
    code: str = ""  # "", "rate_limited" or "muted"
    retry_after: float = 0.0
    muted_now: bool = False  # this refusal set the mute


# Rate limit in one round trip: the mute flag, the token bucket and the
# strikes. KEYS: mute, bucket, strikes; ARGV: rate, burst, strikes, window,
# mute seconds. Returns {code, retry_after, muted_now}.
TAKE_SCRIPT = """
local muted = redis.call('PTTL', KEYS[1])
if muted > 0 then return {'muted', tostring(muted / 1000), 0} end
local now = redis.call('TIME')
local t = tonumber(now[1]) + tonumber(now[2]) / 1000000
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[2], 'tokens', 'ts')
local tokens = tonumber(state[1]) or burst
local ts = tonumber(state[2]) or t
tokens = math.min(burst, tokens + math.max(0, t - ts) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) / rate end
redis.call('HSET', KEYS[2], 'tokens', tostring(tokens), 'ts', tostring(t))
redis.call('EXPIRE', KEYS[2], math.ceil(burst / rate) + 1)
if wait == 0 then return {'', '0', 0} end
local strikes = redis.call('INCR', KEYS[3])
if strikes == 1 then redis.call('EXPIRE', KEYS[3], math.ceil(tonumber(ARGV[4]))) end
local mute = tonumber(ARGV[5])
if strikes >= tonumber(ARGV[3]) and mute > 0 then
  redis.call('SET', KEYS[1], '1', 'PX', math.max(1, math.floor(mute * 1000)))
  return {'muted', ARGV[5], 1}
end
return {'rate_limited', tostring(wait), 0}
"""

# The set's members whose process still holds its lease (expired ones and
# those of dead processes are removed). KEYS: set, leases; ARGV: now.
# Members are stored as "<process>|<member>".
_LIVE = """
local function live(key, leases, now)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
  local found = {}
  for _, entry in ipairs(redis.call('ZRANGE', key, 0, -1)) do
    local process = string.match(entry, '^([^|]+)|')
    local lease = process and tonumber(redis.call('HGET', leases, process))
    if lease and lease > now then
      table.insert(found, entry)
    else
      redis.call('ZREM', key, entry)
      if lease then redis.call('HDEL', leases, process) end
    end
  end
  return found
end
"""
MEMBERS_SCRIPT = _LIVE + "return live(KEYS[1], KEYS[2], tonumber(ARGV[1]))"
# Add ARGV[3] (expiring at ARGV[1] + ARGV[2]) if the set has fewer than
# ARGV[4] live members; also renews this process's lease (ARGV[5], ARGV[6]).
ADD_IF_FEWER_SCRIPT = (
    _LIVE
    + """
local now = tonumber(ARGV[1])
redis.call('HSET', KEYS[2], ARGV[5], now + tonumber(ARGV[6]))
if #live(KEYS[1], KEYS[2], now) >= tonumber(ARGV[4]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2])) + 1)
return 1
"""
)


class Store(Protocol):
    async def take(self, key: str, bucket: Bucket) -> Taken:
        """Take a token of the bucket `key` (see Bucket), or say why not."""

    async def add_member(self, key: str, member: str, *, ttl: float) -> None:
        """Add or refresh `member` of the set `key`; it expires after `ttl`,
        or earlier if this process stops renewing its lease."""

    async def add_if_fewer(
        self, key: str, member: str, *, ttl: float, limit: int
    ) -> bool:
        """Add `member` unless the set has `limit` live members already."""

    async def remove_member(self, key: str, member: str) -> None: ...

    async def members(self, key: str) -> list[str]:
        """The set's live members, sorted."""


class LocalStore:
    """One process's memory; for the embedded default and tests without Redis."""

    def __init__(self) -> None:
        self.buckets: dict[str, tuple[float, float]] = {}
        self.strikes: dict[str, tuple[int, float]] = {}
        self.mutes: dict[str, float] = {}
        self.sets: dict[str, dict[str, float]] = {}

    async def take(self, key: str, bucket: Bucket) -> Taken:
        now = time.monotonic()
        muted = self.mutes.get(key, 0.0) - now
        if muted > 0:
            return Taken("muted", muted)
        tokens, stamp = self.buckets.get(key, (float(bucket.burst), now))
        tokens = min(bucket.burst, tokens + (now - stamp) * bucket.rate)
        wait = 0.0 if tokens >= 1 else (1 - tokens) / bucket.rate
        self.buckets[key] = (tokens - 1 if tokens >= 1 else tokens, now)
        if not wait:
            return Taken()
        count, until = self.strikes.get(key, (0, now + bucket.strike_window))
        if until <= now:
            count, until = 0, now + bucket.strike_window
        self.strikes[key] = (count + 1, until)
        if count + 1 >= bucket.strikes and bucket.mute_for > 0:
            self.mutes[key] = now + bucket.mute_for
            return Taken("muted", bucket.mute_for, muted_now=True)
        return Taken("rate_limited", wait)

    async def add_member(self, key: str, member: str, *, ttl: float) -> None:
        self.sets.setdefault(key, {})[member] = time.monotonic() + ttl

    async def add_if_fewer(
        self, key: str, member: str, *, ttl: float, limit: int
    ) -> bool:
        if len(await self.members(key)) >= limit:
            return False
        await self.add_member(key, member, ttl=ttl)
        return True

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
        # The sets and the leases share one hash slot (Redis Cluster runs a
        # script only on keys of one slot).
        self.leases = f"{prefix}{{sets}}:leases"
        self.take_script = self.redis.register_script(TAKE_SCRIPT)
        self.members_script = self.redis.register_script(MEMBERS_SCRIPT)
        self.add_if_fewer_script = self.redis.register_script(ADD_IF_FEWER_SCRIPT)
        self.renewing: asyncio.Task | None = None

    def _set(self, key: str) -> str:
        return f"{self.prefix}{{sets}}:{key}"

    async def take(self, key: str, bucket: Bucket) -> Taken:
        # One hash slot for the three keys (hash tag), as for the sets.
        keys = [f"{self.prefix}rl:{{{key}}}:{part}" for part in ("mute", "b", "s")]
        code, retry_after, muted_now = await self.take_script(
            keys=keys,
            args=[
                bucket.rate,
                bucket.burst,
                bucket.strikes,
                bucket.strike_window,
                bucket.mute_for,
            ],
        )
        return Taken(
            code.decode() if isinstance(code, bytes) else code,
            float(retry_after),
            bool(muted_now),
        )

    async def add_member(self, key: str, member: str, *, ttl: float) -> None:
        self._keep_lease()
        key = self._set(key)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(self.leases, PROCESS, time.time() + lease_seconds())
            pipe.zadd(key, {f"{PROCESS}|{member}": time.time() + ttl})
            pipe.expire(key, math.ceil(ttl) + 1)
            await pipe.execute()

    async def add_if_fewer(
        self, key: str, member: str, *, ttl: float, limit: int
    ) -> bool:
        self._keep_lease()
        added = await self.add_if_fewer_script(
            keys=[self._set(key), self.leases],
            args=[
                *(time.time(), ttl, f"{PROCESS}|{member}", limit),
                *(PROCESS, lease_seconds()),
            ],
        )
        return bool(added)

    async def remove_member(self, key: str, member: str) -> None:
        await self.redis.zrem(self._set(key), f"{PROCESS}|{member}")

    async def members(self, key: str) -> list[str]:
        found = await self.members_script(
            keys=[self._set(key), self.leases], args=[time.time()]
        )
        return sorted(entry.decode().split("|", 1)[1] for entry in found)

    def _keep_lease(self) -> None:
        if self.renewing is None or self.renewing.done():
            self.renewing = asyncio.get_running_loop().create_task(
                self._renew_lease(), name="ephemeral-lease"
            )

    async def _renew_lease(self) -> None:
        while True:
            await asyncio.sleep(lease_seconds() / 3)
            with contextlib.suppress(*STORE_ERRORS):
                until = time.time() + lease_seconds()
                await self.redis.hset(self.leases, PROCESS, until)


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
