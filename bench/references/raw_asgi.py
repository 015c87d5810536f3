"""Reference (a): a raw ASGI broadcast app, no Channels, no database. A client
joins `/ws/?room=N`; every text frame it sends goes to every socket of that
room in this process. Served by the same server as the platform, it shows that
server's ceiling.
"""

from collections import defaultdict
from urllib.parse import parse_qs

rooms: dict[str, set] = defaultdict(set)


async def application(scope, receive, send):
    if scope["type"] != "websocket":
        return
    room = parse_qs(scope["query_string"].decode()).get("room", ["0"])[0]
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    rooms[room].add(send)
    try:
        while True:
            event = await receive()
            if event["type"] == "websocket.disconnect":
                return
            text = event.get("text")
            if text is not None:
                for member in list(rooms[room]):
                    await member({"type": "websocket.send", "text": text})
    finally:
        rooms[room].discard(send)
