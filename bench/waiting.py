"""Free ports and waiting for a server to get ready, shared by the benchmarks
(bench/servers.py) and the test suite (tests/services.py).

A server is handed out only once it answers; a loaded 2-core machine is slow
to start one, so the deadlines are generous, and a server that misses one (or
exits) fails with the end of its log.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable
from pathlib import Path

# How long a server may take to start. Generous: on a loaded 2-core machine
# initdb, Django's first import or a migration take many times their usual time;
# a server that is ready returns at once, so only a broken one waits this long.
STARTUP_DEADLINE = float(os.environ.get("ZR_STARTUP_DEADLINE", "120"))


class ServiceNotReady(RuntimeError):
    """A server did not get ready before its deadline (or exited)."""


def log_tail(log: Path, size: int = 3000) -> str:
    try:
        return log.read_text(errors="replace")[-size:]
    except OSError as problem:
        return f"(no log: {problem})"


def wait_until(
    ready: Callable[[], bool],
    *,
    what: str,
    log: Path,
    exited: Callable[[], bool] = lambda: False,
    deadline: float = STARTUP_DEADLINE,
) -> None:
    """Return once `ready()` is true; raise ServiceNotReady with the server's
    log if `exited()` turns true or `deadline` seconds pass first."""
    give_up = time.monotonic() + deadline
    delay = 0.05
    while True:
        if ready():
            return
        if exited():
            raise ServiceNotReady(f"{what} exited; its log ends:\n{log_tail(log)}")
        if time.monotonic() > give_up:
            raise ServiceNotReady(
                f"{what} was not ready within {deadline:.0f} s; its log ends:\n"
                f"{log_tail(log)}"
            )
        time.sleep(delay)
        delay = min(delay * 2, 0.5)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def accepts_connections(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except OSError:
        return False
    return True
