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
    bucket = ratelimit.Limit(
        rate=0.01, burst=1, strikes=2, strike_window=60, mute_for=5
    )

    assert (await one.take("send:7", bucket)).code == ""
    refused = await two.take("send:7", bucket)
    assert refused.code == "rate_limited"
    assert refused.retry_after > 90
    muted = await one.take("send:7", bucket)
    assert (muted.code, muted.muted_now) == ("muted", True)
    still = await two.take("send:7", bucket)
    assert still.code == "muted"
    assert 4 < still.retry_after <= 5
    assert (await one.take("send:8", bucket)).code == ""
    await one.add_member("presence:room:1", "7:a", ttl=60)
    await two.add_member("presence:room:1", "8:b", ttl=0.001)
    await asyncio.sleep(0.05)
    assert await two.members("presence:room:1") == ["7:a"]
    await one.redis.aclose()
    await two.redis.aclose()


@pytest.mark.redis
async def test_a_rate_limit_costs_one_redis_round_trip(settings, redis_url):
    settings.REDIS_URL = redis_url
    store = get_store()
    limit = ratelimit.send_limit()
    await ratelimit.take("chat.send", 7, limit)  # loads the script once
    commands = []
    send = store.redis.execute_command

    async def counting(*args, **options):
        commands.append(args[0])
        return await send(*args, **options)

    store.redis.execute_command = counting
    for _ in range(3):
        await ratelimit.take("chat.send", 7, limit)

    assert commands == ["EVALSHA"] * 3


@pytest.mark.redis
async def test_sockets_of_a_process_whose_lease_ran_out_no_longer_count(
    settings, redis_url, monkeypatch
):
    """A server process killed with its sockets open: the member can connect
    elsewhere as soon as the lease is gone, not when the entries expire."""
    from realtime import ephemeral

    settings.REDIS_URL = redis_url
    store = get_store()
    assert await presence.open_socket(7, "tab-1", limit=2)
    assert await presence.open_socket(7, "tab-2", limit=2)
    assert not await presence.open_socket(7, "tab-3", limit=2)
    await presence.enter(3, 7, "tab-1")
    assert await presence.online(3) == [7]

    # The process stops renewing its lease (it was killed): it runs out.
    await store.redis.hset(store.leases, ephemeral.PROCESS, 0)
    monkeypatch.setattr(ephemeral, "PROCESS", "another-process")

    assert await presence.online(3) == []
    assert await presence.open_socket(7, "tab-3", limit=2)
    assert await presence.open_socket(7, "tab-4", limit=2)
    assert not await presence.open_socket(7, "tab-5", limit=2)


async def test_an_unreachable_redis_lets_sends_through(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    verdict = await ratelimit.take("test", 1, LIMIT)

    assert verdict.allowed
