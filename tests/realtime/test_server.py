"""End to end: a real Daphne process serving the platform, a real WebSocket client."""

import os
import urllib.request

import pytest
import websockets
from websockets.exceptions import InvalidStatus

from tests.services import copy_database, start_daphne, stop_process


@pytest.fixture(scope="module")
def server(tmp_path_factory, migrated_database):
    var = tmp_path_factory.mktemp("var")
    env = {**os.environ, "DEBUG": "1", "VAR_DIR": str(var)}
    for name in ("DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    copy_database(migrated_database, var)
    process, port = start_daphne(env, var / "daphne.log")
    try:
        yield f"127.0.0.1:{port}"
    finally:
        stop_process(process)


def test_server_answers_health_check(server):
    with urllib.request.urlopen(f"http://{server}/healthz", timeout=5) as response:
        assert response.status == 200
        assert response.read() == b'{"status": "ok"}'


def test_server_serves_the_german_start_page(server):
    with urllib.request.urlopen(f"http://{server}/", timeout=5) as response:
        assert response.status == 200
        assert '<html lang="de">' in response.read().decode()


async def test_server_refuses_websocket_from_foreign_origin(server):
    with pytest.raises(InvalidStatus) as refused:
        async with websockets.connect(
            f"ws://{server}/ws/", origin="https://evil.example", open_timeout=5
        ):
            pass
    assert refused.value.response.status_code == 403


async def test_server_refuses_anonymous_websocket(server):
    with pytest.raises(InvalidStatus) as refused:
        async with websockets.connect(
            f"ws://{server}/ws/", origin=f"http://{server}", open_timeout=5
        ):
            pass
    assert refused.value.response.status_code == 403
