"""A small HTTP/1.1 keep-alive load generator (asyncio streams, GET only):
closed loop at fixed concurrency, or open loop at a fixed rate with latency
from the intended send time."""

from __future__ import annotations

import asyncio
import time
from itertools import cycle


class Connection:
    def __init__(self, port: int, cookie: str | None) -> None:
        self.port, self.cookie = port, cookie
        self.reader = self.writer = None

    async def get(self, path: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(
                "127.0.0.1", self.port
            )
        headers = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: bench\r\n"
        if self.cookie:
            headers += f"Cookie: sessionid={self.cookie}\r\n"
        self.writer.write((headers + "\r\n").encode())
        status_line = await self.reader.readline()
        status = int(status_line.split()[1])
        length, chunked, close = None, False, False
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value:
                chunked = True
            elif name == "connection" and value == "close":
                close = True
        if chunked:
            while size := int((await self.reader.readline()).strip() or b"0", 16):
                await self.reader.readexactly(size + 2)
            await self.reader.readline()
        elif length is not None:
            await self.reader.readexactly(length)
        else:
            await self.reader.read()
            close = True
        if close:
            self.close()
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def closed_loop(
    ports: list[int], path: str, cookie: str | None, concurrency: int, seconds: float
) -> dict:
    latencies: list[float] = []
    errors = 0
    end = time.perf_counter() + seconds
    assigned = cycle(ports)

    async def worker(port: int) -> None:
        nonlocal errors
        connection = Connection(port, cookie)
        while time.perf_counter() < end:
            began = time.perf_counter()
            try:
                status = await connection.get(path)
            except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
                connection.close()
                status = 0
            if status != 200:
                errors += 1
                continue
            latencies.append(time.perf_counter() - began)
        connection.close()

    await asyncio.gather(*(worker(next(assigned)) for _ in range(concurrency)))
    return {"latencies": latencies, "errors": errors, "seconds": seconds}


async def open_loop(
    ports: list[int],
    path: str,
    cookie: str | None,
    rate: float,
    seconds: float,
    pool: int = 64,
) -> dict:
    idle = asyncio.Queue()
    for n in range(pool):
        idle.put_nowait(Connection(ports[n % len(ports)], cookie))
    latencies: list[float] = []
    errors = 0
    start = time.perf_counter() + 0.2

    async def one(n: int) -> None:
        nonlocal errors
        planned = start + n / rate
        await asyncio.sleep(max(0.0, planned - time.perf_counter()))
        connection = await idle.get()
        try:
            status = await connection.get(path)
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
            connection.close()
            status = 0
        idle.put_nowait(connection)
        if status != 200:
            errors += 1
            return
        latencies.append(time.perf_counter() - planned)

    await asyncio.gather(*(one(n) for n in range(int(rate * seconds))))
    while not idle.empty():
        idle.get_nowait().close()
    return {"latencies": latencies, "errors": errors, "seconds": seconds}
