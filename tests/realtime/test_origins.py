"""The socket opens only for pages of the site's configured origins: scheme,
host and port compared in full, through the real ASGI stack."""

import pytest
from channels.testing import WebsocketCommunicator

from zukunftsraum.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def session_cookie(client, member) -> tuple[bytes, bytes]:
    client.force_login(member)
    return (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())


@pytest.fixture
def site(settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
    settings.CSRF_TRUSTED_ORIGINS = []


async def opens(origin: str | None, cookie) -> bool:
    headers = [cookie]
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    ws = WebsocketCommunicator(application, "/ws/", headers=headers)
    connected, _ = await ws.connect()
    if connected:
        await ws.disconnect()
    return connected


async def test_the_sites_own_origin_opens_the_socket(site, session_cookie):
    assert await opens("http://127.0.0.1:8000", session_cookie)


@pytest.mark.parametrize(
    "origin",
    [
        "http://127.0.0.1:9",  # another port of the same host
        "https://127.0.0.1",  # another scheme (and port)
        "https://127.0.0.1:8000",  # another scheme, same port
        "http://127.0.0.1",  # the default port is another port
        "http://127.0.0.1:8000.evil.example",
        "http://evil.example",
        "null",  # sandboxed frames, file:// pages
        "",
        None,  # no Origin header at all
    ],
)
async def test_any_other_origin_is_refused(site, session_cookie, origin):
    assert not await opens(origin, session_cookie)


async def test_csrf_trusted_origins_may_open_it_too(site, settings, session_cookie):
    settings.CSRF_TRUSTED_ORIGINS = ["https://zukunftsraum.example"]
    assert await opens("https://zukunftsraum.example", session_cookie)
    assert await opens("https://ZUKUNFTSRAUM.example:443", session_cookie)
    assert not await opens("http://zukunftsraum.example", session_cookie)
    assert not await opens("https://zukunftsraum.example:8443", session_cookie)
