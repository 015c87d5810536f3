"""The faults, one coroutine each: set up clients, run traffic, break
something, and hand the scene to its verdict (bench/faults.py)."""

from __future__ import annotations

import asyncio
import random
import time


async def redis_restart(scene, servers) -> dict:
    """Redis killed (SIGKILL) and started again on the same port."""
    size = scene.size
    await scene.populate(size.stable)
    scene.start_traffic()
    await asyncio.sleep(size.before)
    scene.stack.redis.kill()
    await asyncio.sleep(size.during)
    scene.stack.redis.start()
    repaired = time.time()
    watch = scene.watch(repaired, await scene.heads())
    await asyncio.sleep(size.after)
    await scene.stop_traffic()
    recovery = await watch
    return await scene.verdict(recovery, f"Redis down {size.during:.0f} s")


async def server_killed(scene, servers) -> dict:
    """One of the two server processes killed (SIGKILL); its clients move."""
    size = scene.size
    await scene.populate(size.stable)
    scene.start_traffic()
    await asyncio.sleep(size.before)
    servers[0].kill()
    killed = time.time()
    watch = scene.watch(killed, await scene.heads())
    await asyncio.sleep(size.during + size.after)
    await scene.stop_traffic()
    recovery = await watch
    return await scene.verdict(recovery, "clients of the killed process reconnect")


async def reconnect_loop(scene, servers) -> dict:
    """Some clients reconnect in a loop while the others stay connected."""
    size = scene.size
    stable = await scene.populate(size.stable)
    flappers = await scene.populate(size.reconnecting)
    scene.start_traffic()
    await asyncio.sleep(size.before)
    end = time.time() + size.during

    async def flap(client) -> None:
        while time.time() < end:
            await asyncio.sleep(random.uniform(0.3, 1.5))
            await client.drop()

    await asyncio.gather(*(flap(c) for c in flappers))
    calm = time.time()
    watch = scene.watch(calm, await scene.heads())
    await asyncio.sleep(size.after)
    await scene.stop_traffic()
    recovery = await watch
    gaps = sum(c.gaps_seen for c in stable)
    connects = sum(c.connects for c in flappers)
    return await scene.verdict(
        recovery, f"{connects} reconnects; stable clients healed {gaps} gaps"
    )


async def slow_reader(scene, servers) -> dict:
    """One client stops reading (TCP back-pressure) while its room talks fast
    with large messages (about 8 KB a frame, several MB while it stalls)."""
    size = scene.size
    stalled = await scene.populate(size.room_size, max_queue=4)
    room = stalled[0].rooms[0]
    scene.start_traffic(rate=size.room_rate * 30, pad=350)
    await asyncio.sleep(size.before)
    stalled[0].reading.clear()
    began = time.time()
    before = sum(len(c.held[room]) for c in stalled[1:])
    await asyncio.sleep(size.during * 2)
    meanwhile = sum(len(c.held[room]) for c in stalled[1:]) - before
    stalled[0].reading.set()
    resumed = time.time()
    watch = scene.watch(resumed, await scene.heads())
    await asyncio.sleep(size.after)
    await scene.stop_traffic()
    recovery = await watch
    note = (
        f"stopped reading {resumed - began:.0f} s; the room's other "
        f"{len(stalled) - 1} members received {meanwhile} messages meanwhile"
    )
    return await scene.verdict(recovery, note)


async def burst(scene, servers) -> dict:
    """`burst` messages within one second into one room, open loop."""
    size = scene.size
    await scene.populate(size.stable)
    target = scene.room_ids()[0]
    scene.start_traffic(rooms=scene.room_ids()[1:] or None)
    await asyncio.sleep(size.before)
    members = scene.members(target)
    start = time.time()
    for n in range(size.burst):
        await asyncio.sleep(max(0.0, start + n / size.burst - time.time()))
        await scene.say_in(target, n, members[n % len(members)])
    done = time.time()
    # Recovery: until every member holds the whole burst, stored and delivered.
    while any(c.pending for c in members) and time.time() < done + 30:
        await asyncio.sleep(0.02)
    recovery = await scene.recovered(done, await scene.heads())
    await scene.stop_traffic()
    return await scene.verdict(
        recovery, f"{size.burst} in {done - start:.2f} s; recovery from its end"
    )


async def dropped_ack(scene, servers) -> dict:
    """A send whose acknowledgement never arrives (the socket dies right
    after sending) is sent again with the same client_id after reconnecting."""
    size = scene.size
    await scene.populate(size.stable)
    scene.start_traffic()
    await asyncio.sleep(size.before)
    began = time.time()
    duplicates_answered = 0
    for n in range(size.retries):
        client = random.choice(scene.clients)
        room = client.rooms[0]
        await scene.say_in(room, 10_000 + n, client)
        client_id = scene.sent[-1][1]
        await client.drop()  # the ack, if any, is lost with the socket
        deadline = time.time() + 15
        while client_id not in client.acks and time.time() < deadline:
            await asyncio.sleep(0.05)
        duplicates_answered += bool(client.acks.get(client_id, {}).get("duplicate"))
    done = time.time()
    watch = scene.watch(done, await scene.heads())
    await asyncio.sleep(size.after)
    await scene.stop_traffic()
    recovery = await watch
    return await scene.verdict(
        recovery,
        f"{size.retries} sends retried in {done - began:.0f} s, "
        f"{duplicates_answered} answered duplicate: true",
    )


CASES = [
    ("Redis killed and restarted", redis_restart),
    ("one of two server processes killed", server_killed),
    ("clients reconnecting in a loop", reconnect_loop),
    ("a client that stops reading", slow_reader),
    ("burst into one room", burst),
    ("send retried after a dropped ack", dropped_ack),
]
