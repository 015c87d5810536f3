"""A socket's outbox: the hub never waits on a client that stopped reading."""

import asyncio

from realtime.hub import RoomHub
from realtime.outbox import Outbox


class Client:
    """An ASGI send whose client may stop reading (the send then waits)."""

    def __init__(self) -> None:
        self.frames: list[str] = []
        self.reading = asyncio.Event()
        self.reading.set()

    async def send(self, message: dict) -> None:
        await self.reading.wait()
        self.frames.append(message["text"])


class Sink:
    def __init__(self, user_id: int, outbox: Outbox) -> None:
        self.user_id = user_id
        self.outbox = outbox

    def deliver(self, room_id, entries) -> None:
        for _, user, text in entries:
            if user != self.user_id:
                self.outbox.write(text, room_id)

    def reload(self, room_id, head) -> None:
        self.outbox.write(f"reload {room_id}")


def hub() -> RoomHub:
    return RoomHub(heads=lambda rooms: {}, missed=lambda *args: None)


async def test_a_client_that_reads_gets_its_frames_written_at_once():
    client = Client()
    outbox = Outbox(client.send, dropped=lambda rooms: None)

    outbox.write("eins")
    outbox.write("zwei", 3)

    # Written in the call itself: no task, nothing queued.
    assert client.frames == ["eins", "zwei"]
    assert not outbox.busy


async def test_a_client_that_stops_reading_delays_none_of_its_room_mates():
    slow, fast = Client(), Client()
    room = hub()
    sinks = [
        Sink(1, Outbox(slow.send, dropped=lambda rooms: None)),
        Sink(2, Outbox(fast.send, dropped=lambda rooms: None)),
    ]
    room.rooms[7] = set(sinks)
    slow.reading.clear()

    for n in range(50):
        room.receive(7, [(n + 1, 0, f"m{n}")])

    assert fast.frames == [f"m{n}" for n in range(50)]
    assert slow.frames == []
    slow.reading.set()
    await asyncio.sleep(0.01)
    assert slow.frames == [f"m{n}" for n in range(50)]


async def test_a_slow_reader_past_the_bound_loses_room_events_and_resyncs():
    client = Client()
    resync: list[set[int]] = []
    outbox = Outbox(client.send, dropped=resync.append, max_bytes=100)
    client.reading.clear()

    outbox.write("hello")  # waits: the client does not read
    for n in range(30):
        outbox.write(f"room event {n}", 3 if n % 2 else 4)
    outbox.write("ack")  # an answer: never dropped
    client.reading.set()
    await outbox.drain(1.0)

    assert client.frames[0] == "hello"
    assert "ack" in client.frames
    assert len(client.frames) < 32
    assert resync == [{3, 4}]
    assert not outbox.busy
