"""Reference (b): a bare `websockets` broadcast server, the ceiling of one
Python process. `python -m bench.references.websockets_broadcast PORT`; the
same protocol as raw_asgi (join `/ws/?room=N`, frames go to the whole room).
"""

import asyncio
import sys
from collections import defaultdict
from urllib.parse import parse_qs, urlsplit

from websockets import broadcast
from websockets.asyncio.server import serve

rooms: dict[str, set] = defaultdict(set)


async def handler(connection) -> None:
    query = parse_qs(urlsplit(connection.request.path).query)
    room = rooms[query.get("room", ["0"])[0]]
    room.add(connection)
    try:
        async for text in connection:
            broadcast(room, text)
    finally:
        room.discard(connection)


async def main(port: int) -> None:
    async with serve(handler, "127.0.0.1", port, ping_interval=None, max_queue=None):
        await asyncio.get_running_loop().create_future()


if __name__ == "__main__":
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    asyncio.run(main(int(sys.argv[1])))
