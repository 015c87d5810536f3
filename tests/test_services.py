"""The service fixtures skip where a server is missing, and fail where CI needs it."""

import pytest

from tests.services import ServiceNotReady, missing_service, wait_until


def test_missing_service_skips_outside_ci(monkeypatch):
    monkeypatch.delenv("REQUIRE_SERVICES", raising=False)
    with pytest.raises(pytest.skip.Exception, match="redis-server not found"):
        missing_service("redis-server not found")


def test_missing_service_fails_when_services_are_required(monkeypatch):
    monkeypatch.setenv("REQUIRE_SERVICES", "1")
    with pytest.raises(pytest.fail.Exception, match="REQUIRE_SERVICES=1"):
        missing_service("redis-server not found")


@pytest.mark.redis
def test_redis_fixture_hands_out_an_empty_real_database(redis_url):
    import redis

    client = redis.Redis.from_url(redis_url)
    client.set("zr:probe", "1")
    assert client.get("zr:probe") == b"1"
    assert client.dbsize() == 1
    client.close()


def test_postgres_fixture_starts_a_real_server(postgres_server):
    import psycopg

    with psycopg.connect(postgres_server, connect_timeout=5) as connection:
        version = connection.execute("SHOW server_version").fetchone()[0]
    assert int(version.split(".")[0]) >= 15


def test_a_server_that_exits_while_starting_fails_with_its_log(tmp_path):
    log = tmp_path / "server.log"
    log.write_text("FATAL: could not bind\n")
    with pytest.raises(ServiceNotReady, match="exited; its log ends:\nFATAL"):
        wait_until(lambda: False, what="server", log=log, exited=lambda: True)


def test_a_server_that_is_not_ready_in_time_fails_with_its_log(tmp_path):
    log = tmp_path / "server.log"
    log.write_text("FATAL: the database system is starting up\n")
    with pytest.raises(ServiceNotReady, match=r"(?s)not ready within 0 s.*starting up"):
        wait_until(lambda: False, what="server", log=log, deadline=0.2)


def test_waiting_returns_as_soon_as_the_server_is_ready(tmp_path):
    answers = iter([False, False, True])
    wait_until(lambda: next(answers), what="server", log=tmp_path / "none.log")
    assert next(answers, "asked no more") == "asked no more"
