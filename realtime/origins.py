"""Which pages may open the platform's WebSocket: the site's own origins only.

A browser sends the page's origin (scheme, host and port) with every
WebSocket handshake, and cookies go along whatever page opened it. So the
handshake is accepted only from an origin the site is configured with:
SITE_URL and CSRF_TRUSTED_ORIGINS, compared in full. Channels'
AllowedHostsOriginValidator compares the host alone, and would let
`http://zukunftsraum.example:9` or a plain-HTTP page of the same host in.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings

_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}

Origin = tuple[str, str, int]


def parse_origin(text: str) -> Origin | None:
    """("https", "zukunftsraum.example", 443), or None for anything else
    than scheme://host[:port] (a path, user info, "null")."""
    try:
        parts = urlsplit(text.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return None
    if parts.username is not None or parts.password is not None:
        return None
    return scheme, parts.hostname.lower(), port or _DEFAULT_PORTS[scheme]


def site_origins() -> list[Origin]:
    """The origins configured for this site, read when asked (tests change
    settings)."""
    configured = [settings.SITE_URL, *settings.CSRF_TRUSTED_ORIGINS]
    return [origin for text in configured if (origin := parse_origin(text))]


def is_site_origin(text: str) -> bool:
    origin = parse_origin(text)
    if origin is None:
        return False
    scheme, host, port = origin
    for allowed_scheme, allowed_host, allowed_port in site_origins():
        if (scheme, port) != (allowed_scheme, allowed_port):
            continue
        # CSRF_TRUSTED_ORIGINS may name all subdomains: https://*.example.org
        if allowed_host.startswith("*."):
            if host.endswith(allowed_host[1:]):
                return True
        elif host == allowed_host:
            return True
    return False


class SiteOriginValidator:
    """ASGI middleware: refuse a WebSocket handshake from any other origin
    (and one without an Origin header) before the application sees it."""

    def __init__(self, application) -> None:
        self.application = application

    async def __call__(self, scope, receive, send):
        origin = ""
        for name, value in scope.get("headers", []):
            if name == b"origin":
                origin = value.decode("latin1")
        if scope["type"] == "websocket" and not is_site_origin(origin):
            return await WebsocketDenier()(scope, receive, send)
        return await self.application(scope, receive, send)
