"""Rate limits and presence: in-process, and shared through a real Redis."""

import asyncio

import pytest

from realtime import presence, ratelimit
from realtime.ephemeral import LocalStore, RedisStore, get_store

LIMIT = ratelimit.Limit(rate=0.01, burst=2, strikes=2, strike_window=60, mute_for=30)


async def test_without_redis_the_store_lives_in_the_process(settings):
    settings.REDIS_URL = ""

    assert isinstance(get_store(), LocalStore)


async def test_a_burst_is_allowed_then_refused_then_muted(settings):
    settings.REDIS_URL = ""
    verdicts = [await ratelimit.take("test", 1, LIMIT) for _ in range(5)]

    assert [v.code for v in verdicts] == ["", "", "rate_limited", "muted", "muted"]
    assert verdicts[2].retry_after > 0
    assert verdicts[4].retry_after == pytest.approx(30, abs=1)


async def test_presence_counts_a_member_once_across_sockets(settings):
    settings.REDIS_URL = ""

    assert await presence.enter(1, 7, "tab-a") is True
    assert await presence.enter(1, 7, "tab-b") is False
    assert await presence.online(1) == [7]
    assert await presence.leave(1, 7, "tab-a") is False
    assert await presence.leave(1, 7, "tab-b") is True
    assert await presence.online(1) == []


@pytest.mark.redis
async def test_redis_shares_limits_and_presence_between_processes(settings, redis_url):
    settings.REDIS_URL = redis_url
    one, two = RedisStore(redis_url), RedisStore(redis_url)

    assert await one.take_token("bucket:x", rate=0.01, burst=1) == 0
    assert await two.take_token("bucket:x", rate=0.01, burst=1) > 0
    await one.add_member("presence:room:1", "7:a", ttl=60)
    await two.add_member("presence:room:1", "8:b", ttl=0.001)
    await asyncio.sleep(0.05)
    assert await two.members("presence:room:1") == ["7:a"]
    await one.hold("mute:x", seconds=5)
    assert 4 < await two.held_for("mute:x") <= 5
    assert await two.count("strikes:x", window=60) == 1
    assert await one.count("strikes:x", window=60) == 2
    await one.redis.aclose()
    await two.redis.aclose()


async def test_an_unreachable_redis_lets_sends_through(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    verdict = await ratelimit.take("test", 1, LIMIT)

    assert verdict.allowed
