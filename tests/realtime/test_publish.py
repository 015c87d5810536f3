"""Events leave after commit, through a real channel layer."""

import asyncio
import json

import pytest
from channels.layers import get_channel_layer
from channels_redis.core import RedisChannelLayer
from django.db import transaction

from realtime.publish import publish_on_commit

pytestmark = pytest.mark.django_db(transaction=True)


async def receive(layer, channel: str, timeout: float = 2.0):
    return await asyncio.wait_for(layer.receive(channel), timeout)


def test_event_is_delivered_after_commit():
    layer = get_channel_layer()
    channel = asyncio.run(layer.new_channel())
    asyncio.run(layer.group_add("forum.thread.1", channel))

    with transaction.atomic():
        publish_on_commit({"type": "forum.post", "id": 5}, to=["forum.thread.1"])

    message = asyncio.run(receive(layer, channel))
    assert message == {
        "type": "realtime.event",
        "event": {"type": "forum.post", "id": 5},
    }


def test_rolled_back_transaction_publishes_nothing():
    layer = get_channel_layer()
    channel = asyncio.run(layer.new_channel())
    asyncio.run(layer.group_add("forum.thread.2", channel))

    with pytest.raises(RuntimeError), transaction.atomic():
        publish_on_commit({"type": "forum.post", "id": 6}, to=["forum.thread.2"])
        raise RuntimeError("the write failed")

    with pytest.raises(asyncio.TimeoutError):
        asyncio.run(receive(layer, channel, timeout=0.3))


@pytest.mark.redis
async def test_redis_channel_layer_delivers_group_messages(redis_url):
    sender = RedisChannelLayer(hosts=[redis_url], prefix="zr-test")
    receiver = RedisChannelLayer(hosts=[redis_url], prefix="zr-test")
    channel = await receiver.new_channel()
    await receiver.group_add("chat.room.1", channel)

    await sender.group_send("chat.room.1", {"type": "realtime.event", "event": {}})

    assert (await receive(receiver, channel))["type"] == "realtime.event"
    await sender.flush()


def test_many_events_leave_as_one_layer_message_per_group_in_order():
    from realtime.publish import publish_many_on_commit

    layer = get_channel_layer()
    thread = asyncio.run(layer.new_channel())
    other = asyncio.run(layer.new_channel())
    asyncio.run(layer.group_add("forum.thread.1", thread))
    asyncio.run(layer.group_add("forum.thread.2", other))

    with transaction.atomic():
        publish_many_on_commit(
            [
                ({"type": "forum.post", "id": 1}, ["forum.thread.1"]),
                ({"type": "forum.post", "id": 1}, ["forum.thread.2"]),
                ({"type": "forum.post", "id": 2}, ["forum.thread.1"]),
            ]
        )

    assert asyncio.run(receive(layer, thread)) == {
        "type": "realtime.events",
        "events": [{"type": "forum.post", "id": 1}, {"type": "forum.post", "id": 2}],
    }
    assert asyncio.run(receive(layer, other))["type"] == "realtime.event"
    with pytest.raises(asyncio.TimeoutError):
        asyncio.run(receive(layer, thread, timeout=0.3))


def test_room_events_leave_on_the_room_bus_encoded_once_in_order():
    from realtime.bus import get_bus
    from realtime.publish import publish_many_on_commit

    received: list[tuple[int, list]] = []
    bus = get_bus()
    for room_id in (81, 82):
        bus.listen(room_id, lambda room, entries: received.append((room, entries)))
    message = {"type": "chat.message", "op": "add", "message": {"seq": 7}}
    typing = {"type": "chat.typing", "room": 81, "user": {"id": 5, "name": "A"}}

    with transaction.atomic():
        publish_many_on_commit(
            [
                (message, ["chat.room.81"]),
                ({**message, "message": {"seq": 3}}, ["chat.room.82"]),
                (typing, ["chat.room.81"]),
            ]
        )

    by_room = dict(received)
    assert [(seq, user) for seq, user, _ in by_room[81]] == [(7, 0), (0, 5)]
    assert [json.loads(text) for _, _, text in by_room[81]] == [message, typing]
    assert [seq for seq, _, _ in by_room[82]] == [3]


async def test_events_committed_on_a_worker_thread_are_sent_by_the_server_loop():
    """A socket's loop is bound: the committing thread hands its events over
    (it does not wait for the layer), and the loop sends them in order."""
    from channels.db import database_sync_to_async

    from realtime import publish

    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add("forum.thread.77", channel)
    publish.bind_loop()

    def commit_three_batches() -> bool:
        for n in range(3):
            with transaction.atomic():
                publish_on_commit(
                    {"type": "forum.post", "seq": n}, to=["forum.thread.77"]
                )
        return publish._outbox.accepts()

    handed_over = await database_sync_to_async(commit_three_batches)()

    assert handed_over
    received = []
    while len(received) < 3:
        message = await receive(layer, channel)
        events = message.get("events") or [message["event"]]
        received.extend(event["seq"] for event in events)
    assert received == [0, 1, 2]


@pytest.mark.redis
async def test_a_message_the_layer_drops_is_logged_as_a_warning(redis_url, caplog):
    from realtime.drops import LayerDrops

    layer = RedisChannelLayer(hosts=[redis_url], prefix="zr-drops", capacity=1)
    channel = await layer.new_channel()
    await layer.group_add("user.7", channel)
    before = LayerDrops.dropped

    await layer.group_send("user.7", {"type": "realtime.event", "event": {"n": 1}})
    await layer.group_send("user.7", {"type": "realtime.event", "event": {"n": 2}})

    warnings = [r for r in caplog.records if r.name == "channels_redis.core"]
    assert [r.levelname for r in warnings] == ["WARNING"]
    assert "dropped" in warnings[0].getMessage()
    assert LayerDrops.dropped == before + 1
    await layer.flush()
