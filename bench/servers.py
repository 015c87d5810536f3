"""Real server processes on free loopback ports, and their CPU time and memory.

Redis and PostgreSQL are throwaway servers (PostgreSQL as tests/services.py
starts it, as the `postgres` user where we run as root). Daphne, uvicorn and
gunicorn serve the platform with `bench.server_settings`; the references in
bench/references/ are served the same way. Every process logs to a file under
the run's work directory, never to a pipe (a full pipe would stall it).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from bench.waiting import accepts_connections, free_port, wait_until

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-only-secret-0123456789-abcdefghijklmnopqrstuvwxyz-0123"  # noqa: S105
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
BIN = Path(sys.executable).parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def wait_for_port(port: int, process: subprocess.Popen, what: str, log: Path) -> None:
    wait_until(
        lambda: accepts_connections(port),
        what=what,
        log=log,
        exited=lambda: process.poll() is not None,
        deadline=60,
    )


def process_tree(pid: int) -> list[int]:
    """`pid` and its descendants (gunicorn's workers, uvicorn's)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                queue.extend(int(child) for child in children)
        except OSError:
            continue
    return found


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of the process and its descendants."""
    total = 0.0
    for each in process_tree(pid):
        try:
            stat = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(stat[11]) + int(stat[12])) / CLOCK_TICKS
    return total


def rss_bytes(pid: int) -> int:
    total = 0
    for each in process_tree(pid):
        try:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


@dataclass
class Server:
    """One listening process (or a gunicorn master with its workers)."""

    name: str
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def cpu(self) -> float:
        return cpu_seconds(self.pid)

    def problems(self, keep: int = 3) -> dict:
        """How many warnings and errors the process logged, with examples."""
        counts: dict[str, int] = {}
        try:
            lines = self.log.read_text(errors="replace").splitlines()
        except OSError:
            return {}
        for line in lines:
            if " WARNING " in line or " ERROR " in line or "Traceback" in line:
                text = line.split(" ", 3)[-1][:160]
                counts[text] = counts.get(text, 0) + 1
        top = sorted(counts.items(), key=lambda item: -item[1])[:keep]
        return {"count": sum(counts.values()), "top": top}

    def kill(self) -> None:
        """SIGKILL, as a crash would."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def launch(name: str, argv: list[str], env: dict, work: Path, port: int) -> Server:
    log = work / f"{name}-{port}.log"
    with log.open("ab") as output:
        process = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    wait_for_port(port, process, name, log)
    return Server(name, port, process, log)


def serve(kind: str, app: str, env: dict, work: Path, *, workers: int = 2) -> Server:
    """`kind` is daphne, uvicorn (uvloop, httptools, websockets-sansio) or
    gunicorn (sync WSGI workers); `app` a module:attribute."""
    port = free_port()
    # WebSocket handshakes are accepted from the site's origin only.
    env = {**env, "SITE_URL": f"http://127.0.0.1:{port}"}
    if kind == "daphne":
        argv = [str(BIN / "daphne"), "-b", "127.0.0.1", "-p", str(port), app]
    elif kind == "uvicorn":
        argv = [
            *(str(BIN / "uvicorn"), "--host", "127.0.0.1", "--port", str(port)),
            *("--loop", "uvloop", "--http", "httptools", "--ws", "websockets-sansio"),
            *("--no-access-log", "--log-level", "warning", app),
        ]
    elif kind == "gunicorn":
        argv = [
            *(str(BIN / "gunicorn"), "-b", f"127.0.0.1:{port}", "-w", str(workers)),
            *("--log-level", "warning", app),
        ]
    elif kind == "websockets":
        argv = [sys.executable, "-m", app, str(port)]
    else:
        raise ValueError(kind)
    return launch(kind, argv, env, work, port)


class Redis:
    """A throwaway redis-server; `kill` and `start` again on the same port."""

    def __init__(self, work: Path) -> None:
        self.work, self.port = work, free_port()
        self.server: Server | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        argv = [
            *(REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1"),
            *("--save", "", "--appendonly", "no", "--dir", str(self.work)),
        ]
        self.server = launch("redis", argv, dict(os.environ), self.work, self.port)

    def kill(self) -> None:
        if self.server is not None:
            self.server.kill()

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()


@dataclass
class Stack:
    """Redis, PostgreSQL, and the environment the platform's processes get."""

    work: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="zr-b-")))
    redis: Redis | None = None
    postgres: object = None
    env: dict = field(default_factory=dict)
    servers: list[Server] = field(default_factory=list)

    def start(self) -> Stack:
        from tests.services import ThrowawayPostgres, find_pg_ctl

        pg_ctl = find_pg_ctl()
        if pg_ctl is None or not os.access(REDIS_SERVER, os.X_OK):
            raise RuntimeError("the benchmarks need redis-server and PostgreSQL 15")
        self.redis = Redis(self.work)
        self.redis.start()
        self.postgres = ThrowawayPostgres(pg_ctl)
        url = self.postgres.start().rsplit("/", 1)[0] + "/postgres"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.server_settings",
            "SECRET_KEY": SECRET,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "VAR_DIR": str(self.work),
            "DATABASE_URL": url,
            # docs/deploy.md: a connection pool per process (ASGI requests run
            # in threads of their own; persistent connections would pile up).
            "DATABASE_POOL_SIZE": "16",
            "REDIS_URL": self.redis.url,
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
        self.env.pop("DEBUG", None)
        return self

    def serve(self, kind: str, app: str, env: dict | None = None, **options) -> Server:
        server = serve(kind, app, {**self.env, **(env or {})}, self.work, **options)
        self.servers.append(server)
        return server

    def stop_servers(self) -> None:
        for server in self.servers:
            server.stop()
        self.servers.clear()

    def stop(self) -> None:
        self.stop_servers()
        if self.redis is not None:
            self.redis.stop()
        if self.postgres is not None:
            self.postgres.stop()
        shutil.rmtree(self.work, ignore_errors=True)
