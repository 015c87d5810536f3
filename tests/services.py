"""Real throwaway Redis and PostgreSQL servers for the tests.

- `redis_server` starts a `redis-server` (pytest-redis) for the session and
  yields its URL; `redis_url` hands a flushed database to one test.
- `pytest --postgres` runs the whole suite on a throwaway PostgreSQL cluster
  (pytest-postgresql's executor): `make test` runs the suite once on SQLite and
  once like this. Tests marked `postgres` run only in that pass.
- Every server is handed out only once it answers: PostgreSQL once a client
  can run a query (it listens while it still says "the database system is
  starting up"), Redis once it answers PING, Daphne once it serves /healthz.
  The deadlines are generous (STARTUP_DEADLINE), because a loaded machine is
  slow; a server that misses one fails with its log.
- Under pytest-xdist (`make test` runs `-n auto --dist loadgroup`) each worker
  is a process of its own with its own var/ directory (`VAR_DIR`, media and
  static roots), its own free ports and its own test database: pytest-django
  names it after the worker (`test_zukunftsraum_gw0`), in memory for SQLite and
  on the one shared cluster under --postgres, which the controlling process
  starts before the workers and stops after them. Tests that share a module-
  or package-scoped fixture (a Daphne process, the browser) form one xdist
  group, so that one worker sets it up once.

Missing server binaries skip the tests that need them, with the reason; with
REQUIRE_SERVICES=1 (CI) they fail instead, so CI cannot pass by skipping.
"""

from __future__ import annotations

import contextlib
import glob
import http.client
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import urllib.request
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_postgresql.executors import PostgreSQLExecutor
from pytest_redis import factories as redis_factories

from bench.waiting import (
    STARTUP_DEADLINE,
    ServiceNotReady,
    accepts_connections,
    free_port,
    log_tail,
    wait_until,
)

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


def wait_for_port(port: int, process: subprocess.Popen, log: Path, what: str) -> None:
    """Return once `process` listens on `port`; fail with its log if it does not."""
    try:
        wait_until(
            lambda: accepts_connections(port),
            what=what,
            log=log,
            exited=lambda: process.poll() is not None,
        )
    except ServiceNotReady as problem:
        pytest.fail(str(problem), pytrace=False)


def answers_health_check(port: int) -> bool:
    url = f"http://127.0.0.1:{port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status == 200
    except (OSError, http.client.HTTPException):  # refused, reset, timed out
        return False


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
    # Listening is not enough: the first request imports every view (URLconf)
    # and opens the database, which takes seconds on a loaded machine, longer
    # than the tests' own timeouts. One answered /healthz has done both.
    try:
        wait_until(
            lambda: answers_health_check(port),
            what="daphne",
            log=log,
            exited=lambda: process.poll() is not None,
        )
    except ServiceNotReady as problem:
        stop_process(process)
        pytest.fail(str(problem), pytrace=False)
    return process, port


def stop_process(process: subprocess.Popen, *, timeout: float = 15) -> None:
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


# --- The server processes' database ----------------------------------------------


@pytest.fixture(scope="session")
def migrated_database(request: pytest.FixtureRequest, tmp_path_factory) -> Path:
    """An SQLite database with every migration applied, for the Daphne processes
    of the tests: each starts from a copy (`copy_database`) instead of running
    `manage.py migrate` itself, which takes seconds, many on a loaded machine.

    Made once per test run: xdist workers share it through their common
    temporary directory, the first one to need it migrates under a lock.
    """
    import fcntl

    base = tmp_path_factory.getbasetemp()
    if is_xdist_worker(request.config):
        base = base.parent
    database = base / "migrated" / "db.sqlite3"
    with (base / "migrated.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not database.exists():
            env = {**os.environ, "DEBUG": "1", "VAR_DIR": str(database.parent)}
            env["DJANGO_SETTINGS_MODULE"] = "zukunftsraum.settings"
            for name in ("DATABASE_URL", "REDIS_URL"):
                env.pop(name, None)
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
                cwd=ROOT,
                env=env,
                check=True,
                timeout=STARTUP_DEADLINE * 3,
            )
    return database


def copy_database(template: Path, var: Path) -> None:
    """`template` as `var`/db.sqlite3, the database of a server whose VAR_DIR
    is `var` (SQLite's backup, so that nothing left in its WAL is missed)."""
    import sqlite3

    var.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(template)
    target = sqlite3.connect(var / "db.sqlite3")
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


@contextlib.contextmanager
def server_processes(
    *, redis_url: str, var: Path, template: Path, seed: str, count: int = 2
) -> Iterator[dict]:
    """`count` Daphne processes of the platform (tests.chat.server_settings)
    on one Redis and a copy of the migrated database in `var`, seeded by the
    script `seed`, whose last line of output is JSON. Yields the servers'
    addresses, their environment and `var`, with the seed's data."""
    env = {
        **os.environ,
        "DEBUG": "1",
        "VAR_DIR": str(var),
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "tests.chat.server_settings",
    }
    env.pop("DATABASE_URL", None)
    copy_database(template, var)
    seeded = subprocess.run(
        [sys.executable, "-c", seed],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=60,
        capture_output=True,
        text=True,
    )
    data = json.loads(seeded.stdout.strip().splitlines()[-1])
    processes, addresses = [], []
    try:
        for n in range(count):
            process, port = start_daphne(env, var / f"daphne-{n}.log")
            processes.append(process)
            addresses.append(f"127.0.0.1:{port}")
        yield {"servers": addresses, "env": env, "var": var, **data}
    finally:
        for process in processes:
            stop_process(process)


# --- Redis ---------------------------------------------------------------------

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
redis_process = redis_factories.redis_proc(executable=REDIS_SERVER, port=None)


@pytest.fixture(scope="session")
def redis_server(request: pytest.FixtureRequest) -> str:
    """URL of a real redis-server started for this test session."""
    if not os.access(REDIS_SERVER, os.X_OK):
        missing_service(REDIS_MISSING)
    process = request.getfixturevalue("redis_process")
    url = f"redis://{process.host}:{process.port}/0"
    log = Path(process.unixsocket).parent / f"redis-server.{process.port}.log"
    wait_for_redis(url, log=log)
    return url


def wait_for_redis(url: str, *, log: Path) -> None:
    """Return once the Redis server at `url` answers PING (not LOADING)."""
    import redis

    def answers() -> bool:
        client = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=5)
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()

    try:
        wait_until(answers, what="redis-server", log=log)
    except ServiceNotReady as problem:
        pytest.fail(str(problem), pytrace=False)


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
        self.log = self.base / "postgres.log"
        executable = pg_ctl
        if os.geteuid() == 0:
            executable = self._runuser_wrapper(pg_ctl)
        from port_for import get_port

        self.port = get_port(None)
        deadline = int(STARTUP_DEADLINE)
        self.executor = PostgreSQLExecutor(
            executable=executable,
            host="127.0.0.1",
            port=self.port,
            datadir=str(self.base / "data"),
            unixsocketdir=str(self.base),
            logfile=str(self.log),
            # pg_ctl gives up after 60 s by default; a loaded machine may need
            # longer for the first checkpoint of a fresh cluster.
            startparams=f"-w -t {deadline}",
            dbname="zukunftsraum",
            timeout=deadline,
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

    @property
    def url(self) -> str:
        """The cluster's maintenance database, which always exists."""
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> str:
        """Start the cluster; return its URL once it runs queries.

        pytest-postgresql's executor returns as soon as the port accepts TCP
        connections, but PostgreSQL listens before it has finished starting up
        and refuses clients until then ("FATAL: the database system is starting
        up"): a loaded machine makes that window seconds long.
        """
        try:
            self.executor.start()
        except Exception as problem:
            raise ServiceNotReady(
                f"PostgreSQL did not start ({problem}); its log ends:\n"
                f"{log_tail(self.log)}"
            ) from problem
        wait_until(self.runs_queries, what="PostgreSQL", log=self.log)
        return f"postgres://postgres@127.0.0.1:{self.port}/zukunftsraum"

    def runs_queries(self) -> bool:
        import psycopg

        try:
            with psycopg.connect(self.url, connect_timeout=5) as connection:
                connection.execute("SELECT 1").fetchone()
        except psycopg.Error:
            return False
        return True

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


# The --postgres pass's cluster: started by the controlling process (or the only
# process without xdist) and handed to the xdist workers in this variable, which
# they inherit: the controller starts them after pytest_configure.
SUITE_POSTGRES = "ZR_TEST_SUITE_POSTGRES"
_postgres: ThrowawayPostgres | None = None
_postgres_problem: str | None = None
_suite_postgres_url: str | None = None
_var_dir: Path | None = None


def is_xdist_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def worker_name(config: pytest.Config) -> str:
    return config.workerinput["workerid"] if is_xdist_worker(config) else "main"


def give_this_process_its_own_var_dir(config: pytest.Config) -> None:
    """Files the tests' Django writes (media, static) go to a var/ directory of
    this process, so that xdist workers and concurrent runs never share one."""
    global _var_dir
    from django.conf import settings

    _var_dir = Path(tempfile.mkdtemp(prefix=f"zr-var-{worker_name(config)}-"))
    settings.VAR_DIR = _var_dir
    settings.MEDIA_ROOT = _var_dir / "media"
    settings.STATIC_ROOT = _var_dir / "static"


def pytest_configure(config: pytest.Config) -> None:
    global _postgres, _postgres_problem, _suite_postgres_url
    # pytest-xdist registers it too; --strict-markers must know it without.
    config.addinivalue_line("markers", "xdist_group(name): run on one xdist worker")
    give_this_process_its_own_var_dir(config)
    if not config.getoption("--postgres"):
        return
    if is_xdist_worker(config):
        database_url = os.environ.get(SUITE_POSTGRES)
        if database_url is None:
            _postgres_problem = POSTGRES_MISSING
            return
    else:
        pg_ctl = find_pg_ctl()
        if pg_ctl is None:
            if services_required():
                raise pytest.UsageError(f"{POSTGRES_MISSING} (REQUIRE_SERVICES=1)")
            _postgres_problem = POSTGRES_MISSING
            return
        _postgres = ThrowawayPostgres(pg_ctl)
        try:
            database_url = _postgres.start()
        except ServiceNotReady as problem:
            _postgres.stop()
            _postgres = None
            raise pytest.UsageError(f"--postgres: {problem}") from problem
        os.environ[SUITE_POSTGRES] = database_url
    # pytest-django creates the test database beside it, one per xdist worker.
    _suite_postgres_url = database_url.rsplit("/", 1)[0] + "/postgres"
    point_django_at(database_url)


def pytest_unconfigure(config: pytest.Config) -> None:
    global _postgres
    if _postgres is not None:
        _postgres.stop()
        _postgres = None
        os.environ.pop(SUITE_POSTGRES, None)
    if _var_dir is not None:
        shutil.rmtree(_var_dir, ignore_errors=True)


def pytest_report_header(config: pytest.Config) -> str:
    from django.conf import settings

    database = settings.DATABASES["default"]
    return f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}"


# Fixtures that start a server for every process that uses them: the tests
# using one run on one xdist worker, so that only one such server starts.
SERVER_FIXTURES = {"postgres_server"}


def xdist_group_of(item: pytest.Item) -> str | None:
    """The group of tests that must share `item`'s worker, if any.

    Module- and package-scoped fixtures of the tests (Daphne processes, the
    browser, a Redis of their own) are set up once per process that runs
    their tests: a group keeps those tests on one worker, in a row.
    """
    fixtures = getattr(item, "_fixtureinfo", None)
    if fixtures is None:
        return None
    group = None
    for name in item.fixturenames:
        definitions = fixtures.name2fixturedefs.get(name)
        if not definitions:
            continue
        definition = definitions[-1]
        if not definition.baseid:
            # A plugin's fixture (pytest-django, pytest-asyncio, ours above).
            if name in SERVER_FIXTURES and group is None:
                group = f"server:{name}"
            continue
        if definition.scope == "package":
            return f"package:{definition.baseid}"
        if definition.scope in ("module", "class"):
            group = f"module:{item.nodeid.split('::')[0]}"
    return group


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    # First, so that xdist (--dist loadgroup) sees the groups.
    for item in items:
        group = xdist_group_of(item)
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))
    if _postgres_problem is not None:
        skip_all = pytest.mark.skip(reason=_postgres_problem)
        for item in items:
            item.add_marker(skip_all)
        return
    if not config.getoption("--postgres"):
        postgres_only = pytest.mark.skip(reason=POSTGRES_ONLY)
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(postgres_only)


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """Say so if xdist stopped grouping (it renames the grouped tests)."""
    config = session.config
    if not (is_xdist_worker(config) and config.getvalue("loadgroup")):
        return
    for item in session.items:
        if item.get_closest_marker("xdist_group") and "@" not in item.nodeid:
            warnings.warn(
                "pytest-xdist's --dist loadgroup did not group the tests "
                "(pytest-dev/pytest-xdist#1386?): servers shared by a module "
                "start once per worker that runs its tests",
                pytest.PytestWarning,
                stacklevel=1,
            )
            return


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """URL of a real PostgreSQL server (the suite's one under --postgres)."""
    if _suite_postgres_url is not None:
        yield _suite_postgres_url
        return
    pg_ctl = find_pg_ctl()
    if pg_ctl is None:
        missing_service(POSTGRES_MISSING)
    server = ThrowawayPostgres(pg_ctl)
    try:
        server.start()
        yield server.url
    finally:
        server.stop()
