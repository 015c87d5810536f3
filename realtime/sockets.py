"""What the feature apps plug into the member's socket.

The transport (realtime.consumers) knows frames, groups, presence and the room
hub; the features know rooms, threads and the review queue. Each feature
subclasses `SocketPart` and registers it from its `AppConfig.ready()` (as it
registers moderation targets and personal-data exporters): the chat its rooms,
the forum its watched threads, moderation its live review queue. The consumer
makes one instance of every registered part per socket and hands it the frame
types the part names, so `realtime` imports no feature app.
"""

from __future__ import annotations

from typing import Any, ClassVar, Protocol

Ref = str | int | None


class Socket(Protocol):
    """What a part may use of the member's socket (realtime.consumers)."""

    user: Any
    channel_name: str
    channel_layer: Any

    async def answer(self, frame: dict[str, Any], ref: Ref) -> None: ...

    async def send_json(self, content: Any, close: bool = False) -> None: ...

    async def send(self, text_data: str | None = None, **kwargs: Any) -> None: ...

    def write(self, text: str, room_id: int | None = None) -> None:
        """Write a text frame without waiting (realtime.outbox); a room event
        (`room_id`) may be dropped for a socket that stopped reading, and the
        part then hears of it in `dropped`."""

    async def reject_frame(self, code: str, reason: str, **extra: Any) -> None: ...

    def spawn(self, coroutine: Any) -> None: ...


class SocketPart:
    """A feature's part of one member's socket (one instance per socket).

    `frames` maps a client frame type to the name of the method answering it:
    `async def on_x(self, frame, ref)`, which raises `FrameError` to refuse.
    """

    frames: ClassVar[dict[str, str]] = {}

    def __init__(self, socket: Socket) -> None:
        self.socket = socket

    async def hello(self) -> dict[str, Any]:
        """Fields this part adds to the `hello` frame."""
        return {}

    def present_in(self) -> list[int]:
        """Rooms whose presence the heartbeat renews for this socket."""
        return []

    async def on_event(self, event: dict[str, Any]) -> bool:
        """An event of the member's own group (`user.<id>`) on its way to the
        client: act on it, and return False to keep it from this socket."""
        return True

    async def close(self) -> None:
        """The socket closed: leave groups and rooms."""

    def dropped(self, room_ids: set[int]) -> None:
        """The socket read too slowly: events of these rooms were dropped for
        it. Tell the client to resync them (the socket caught up meanwhile)."""

    async def silent(self) -> None:
        """Nothing heard from the client for two heartbeats: the link is most
        likely dead (docs/protocol.md). End what others see of the member
        (presence) now, before the socket is closed at three."""

    async def heard(self) -> None:
        """A frame after `silent`: the member is back."""


_parts: list[type[SocketPart]] = []


def register(part: type[SocketPart]) -> None:
    """Plug a part into every member socket opened from now on (registering a
    class again replaces it). Two parts answering one frame type are a bug."""
    taken = {
        frame: other
        for other in _parts
        if other is not part and other.__name__ != part.__name__
        for frame in other.frames
    }
    clash = sorted(set(part.frames) & set(taken))
    if clash:
        raise ValueError(f"frame types {clash} are answered by {taken[clash[0]]}")
    _parts[:] = [p for p in _parts if p.__name__ != part.__name__] + [part]


def parts() -> list[type[SocketPart]]:
    return list(_parts)
