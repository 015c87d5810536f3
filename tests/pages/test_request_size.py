"""Request bodies larger than REQUEST_MAX_BYTES are refused by their declared
length, before anything reads them: in the ASGI stack (Daphne, uvicorn) and
on WSGI workers (gunicorn)."""

from __future__ import annotations

import asyncio

import pytest

from zukunftsraum.asgi import application

LIMIT = 51 * 1024 * 1024


def http_scope(path: str, headers: list[tuple[bytes, bytes]]) -> dict:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }


async def call(scope: dict) -> tuple[int, bytes, int]:
    """(status, body, how often the application asked for the request body)."""
    asked = 0
    sent: list[dict] = []

    async def receive() -> dict:
        nonlocal asked
        asked += 1
        await asyncio.sleep(0)
        return {"type": "http.request", "body": b"x" * 65536, "more_body": True}

    async def send(message: dict) -> None:
        sent.append(message)

    await asyncio.wait_for(application(scope, receive, send), timeout=10)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(
        m.get("body", b"") for m in sent if m["type"] == "http.response.body"
    )
    return status, body, asked


@pytest.mark.django_db
async def test_the_asgi_stack_refuses_a_200_mb_upload_without_reading_it(settings):
    assert settings.REQUEST_MAX_BYTES == LIMIT
    scope = http_scope(
        "/forum/thema/1/antworten/",
        [
            (b"content-type", b"multipart/form-data; boundary=x"),
            (b"content-length", str(200 * 1024 * 1024).encode()),
        ],
    )
    status, body, asked = await call(scope)
    assert status == 413
    assert asked == 0
    assert "Die Anfrage ist zu groß: Angenommen werden höchstens 51,0" in body.decode()


@pytest.mark.django_db
async def test_the_asgi_stack_refuses_a_body_of_unknown_length(settings):
    scope = http_scope(
        "/forum/thema/1/antworten/", [(b"transfer-encoding", b"chunked")]
    )
    status, _, asked = await call(scope)
    assert status == 411
    assert asked == 0


def test_a_wsgi_worker_refuses_by_content_length_before_reading(member_client):
    response = member_client.post(
        "/forum/thema/1/antworten/",
        data=b"--x--",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "Die Anfrage ist zu groß" in response.content.decode()
