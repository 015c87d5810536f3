"""The service fixtures skip where a server is missing, and fail where CI needs it."""

import pytest

from tests.services import missing_service


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
