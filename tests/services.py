"""Real throwaway Redis and PostgreSQL servers for the tests.

- `redis_server` starts a `redis-server` (pytest-redis) for the session and
  yields its URL; `redis_url` hands a flushed database to one test.
- `pytest --postgres` runs the whole suite on a throwaway PostgreSQL cluster
  (pytest-postgresql's executor): `make test` runs the suite once on SQLite and
  once like this. Tests marked `postgres` run only in that pass.

Missing server binaries skip the tests that need them, with the reason; with
REQUIRE_SERVICES=1 (CI) they fail instead, so CI cannot pass by skipping.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_postgresql.executors import PostgreSQLExecutor
from pytest_redis import factories as redis_factories

POSTGRES_MISSING = (
    "PostgreSQL server binaries (pg_ctl) not found; install the Debian package "
    "postgresql-15"
)
REDIS_MISSING = "redis-server not found; install the Debian package redis-server"
POSTGRES_ONLY = "PostgreSQL-specific: runs in the --postgres pass of make test"


ROOT = Path(__file__).resolve().parent.parent


def services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES") == "1"


def missing_service(reason: str) -> None:
    """Skip, or fail where the services are required (CI)."""
    if services_required():
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(reason)


# --- Server processes ------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, log: Path, what: str) -> None:
    """Return once `process` listens on `port`; fail with its log if it does not."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"{what} exited: {log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.1)
    pytest.fail(f"{what} did not start within 30 s")


def start_daphne(env: dict[str, str], log: Path) -> tuple[subprocess.Popen, int]:
    """A real Daphne process serving the platform on a free port, logging to
    `log` (a file, not a pipe: a full pipe would stop a chatty server)."""
    port = free_port()
    # The server's own address is the origin its pages and sockets come from.
    env = {**env, "SITE_URL": f"http://127.0.0.1:{port}"}
    with log.open("ab") as output:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "daphne", "-b", "127.0.0.1"),
                *("-p", str(port), "zukunftsraum.asgi:application"),
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    wait_for_port(port, process, log, "daphne")
    return process, port


def stop_process(process: subprocess.Popen, *, timeout: float = 15) -> None:
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


# --- Redis ---------------------------------------------------------------------

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
redis_process = redis_factories.redis_proc(executable=REDIS_SERVER, port=None)


@pytest.fixture(scope="session")
def redis_server(request: pytest.FixtureRequest) -> str:
    """URL of a real redis-server started for this test session."""
    if not os.access(REDIS_SERVER, os.X_OK):
        missing_service(REDIS_MISSING)
    process = request.getfixturevalue("redis_process")
    return f"redis://{process.host}:{process.port}/0"


@pytest.fixture
def redis_url(redis_server: str) -> str:
    """The session's Redis, emptied for this test."""
    import redis

    client = redis.Redis.from_url(redis_server)
    client.flushdb()
    client.close()
    return redis_server


# --- PostgreSQL ----------------------------------------------------------------


def find_pg_ctl() -> str | None:
    found = shutil.which("pg_ctl")
    if found:
        return found
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    return candidates[0] if candidates else None


class ThrowawayPostgres:
    """A PostgreSQL cluster in a temporary directory, gone when stopped.

    `initdb` refuses to run as root. Where the tests run as root (CI does), every
    pg_ctl call goes through a wrapper that runs it as the `postgres` system user,
    and the cluster's directories belong to that user.
    """

    def __init__(self, pg_ctl: str) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="zr-postgres-"))
        self.wrapper_dir = Path(tempfile.mkdtemp(prefix="zr-pgctl-"))
        executable = pg_ctl
        if os.geteuid() == 0:
            executable = self._runuser_wrapper(pg_ctl)
        from port_for import get_port

        self.port = get_port(None)
        self.executor = PostgreSQLExecutor(
            executable=executable,
            host="127.0.0.1",
            port=self.port,
            datadir=str(self.base / "data"),
            unixsocketdir=str(self.base),
            logfile=str(self.base / "postgres.log"),
            startparams="-w",
            dbname="zukunftsraum",
            # Durability is not what these tests are about; speed is welcome.
            postgres_options=" -c fsync=off -c synchronous_commit=off"
            " -c full_page_writes=off",
        )

    def _runuser_wrapper(self, pg_ctl: str) -> str:
        import pwd

        postgres = pwd.getpwnam("postgres")
        os.chown(self.base, postgres.pw_uid, postgres.pw_gid)
        wrapper = self.wrapper_dir / "pg_ctl"
        wrapper.write_text(
            f'#!/bin/sh\ncd /tmp && exec runuser -u postgres -- "{pg_ctl}" "$@"\n'
        )
        wrapper.chmod(stat.S_IRWXU)
        return str(wrapper)

    def start(self) -> str:
        self.executor.start()
        return f"postgres://postgres@127.0.0.1:{self.port}/zukunftsraum"

    def stop(self) -> None:
        try:
            self.executor.stop()
        finally:
            shutil.rmtree(self.base, ignore_errors=True)
            shutil.rmtree(self.wrapper_dir, ignore_errors=True)


def point_django_at(url: str) -> None:
    """Make Django use `url` as its default database from now on.

    pytest-django has loaded the settings already, but no connection exists
    before the test database is created, so swapping the settings entry (and
    forgetting the handler's cached copy) is enough.
    """
    import dj_database_url
    from asgiref.local import Local
    from django.conf import settings
    from django.db import connections

    settings.DATABASES["default"] = dj_database_url.parse(url, conn_health_checks=True)
    for connection in connections.all(initialized_only=True):
        connection.close()
    connections.__dict__.pop("settings", None)
    connections._connections = Local(connections.thread_critical)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--postgres",
        action="store_true",
        help="run the suite on a throwaway PostgreSQL server instead of SQLite",
    )


_postgres: ThrowawayPostgres | None = None
_postgres_problem: str | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _postgres, _postgres_problem
    if not config.getoption("--postgres"):
        return
    pg_ctl = find_pg_ctl()
    if pg_ctl is None:
        _postgres_problem = POSTGRES_MISSING
        return
    _postgres = ThrowawayPostgres(pg_ctl)
    point_django_at(_postgres.start())


def pytest_unconfigure(config: pytest.Config) -> None:
    global _postgres
    if _postgres is not None:
        _postgres.stop()
        _postgres = None


def pytest_report_header(config: pytest.Config) -> str:
    from django.conf import settings

    database = settings.DATABASES["default"]
    return f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}"


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    if _postgres_problem is not None:
        if services_required():
            raise pytest.UsageError(f"{_postgres_problem} (REQUIRE_SERVICES=1)")
        skip_all = pytest.mark.skip(reason=_postgres_problem)
        for item in items:
            item.add_marker(skip_all)
        return
    if not config.getoption("--postgres"):
        postgres_only = pytest.mark.skip(reason=POSTGRES_ONLY)
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(postgres_only)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """URL of a real PostgreSQL server (the suite's one under --postgres)."""
    pg_ctl = find_pg_ctl()
    if pg_ctl is None:
        missing_service(POSTGRES_MISSING)
    if _postgres is not None:
        yield f"postgres://postgres@127.0.0.1:{_postgres.port}/postgres"
        return
    server = ThrowawayPostgres(pg_ctl)
    server.start()
    try:
        yield f"postgres://postgres@127.0.0.1:{server.port}/postgres"
    finally:
        server.stop()
