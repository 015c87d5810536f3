"""End to end: a real Daphne process serving the platform, a real WebSocket client."""

import os
import subprocess
import sys
import urllib.request

import pytest
import websockets
from websockets.exceptions import InvalidStatus

from tests.services import ROOT, start_daphne, stop_process


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    env = {**os.environ, "DEBUG": "1", "VAR_DIR": str(var)}
    for name in ("DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
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
