"""End to end: a real Daphne process serving the platform, a real WebSocket client."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import websockets
from websockets.exceptions import InvalidStatus

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "zukunftsraum.asgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(process.stderr.read().decode())
                time.sleep(0.1)
        else:
            pytest.fail("daphne did not start within 30 s")
        yield f"127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


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
