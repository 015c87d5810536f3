"""Middleware of the composition: the language, security headers, body sizes.

German first: the language is German unless the member chose another.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext


class LanguageChoiceMiddleware:
    """Activate the language from the `django_language` cookie, else German.

    Unlike Django's LocaleMiddleware this does not follow the browser's
    Accept-Language: a public-sector platform speaks German by default, and
    English is offered by the switcher on every page (which sets the cookie).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.languages = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response


# Browser features no page of the platform uses, switched off for every page
# and anything embedded in it; fullscreen stays for the platform's own videos
# (Leichte Sprache, DGS).
PERMISSIONS_POLICY = ", ".join(
    [
        *(
            f"{feature}=()"
            for feature in (
                "accelerometer",
                "autoplay",
                "bluetooth",
                "browsing-topics",
                "camera",
                "display-capture",
                "geolocation",
                "gyroscope",
                "hid",
                "magnetometer",
                "microphone",
                "midi",
                "payment",
                "publickey-credentials-get",
                "screen-wake-lock",
                "serial",
                "usb",
                "xr-spatial-tracking",
            )
        ),
        "fullscreen=(self)",
    ]
)


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; `Cache-Control: no-store` (and
    the rest of Django's never_cache) on every response to a signed-in
    member that does not set its own caching: member pages, exports and the
    audit log hold personal data that no shared or back-button cache keeps.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and "Cache-Control" not in response.headers
        ):
            add_never_cache_headers(response)
        return response


# --- Request bodies: refused by their declared size, before anyone reads them --


def _too_large_text() -> str:
    return gettext("The request is too large: at most %(limit)s are accepted.") % {
        "limit": filesizeformat(settings.REQUEST_MAX_BYTES)
    }


class RequestSizeMiddleware:
    """WSGI workers read a body only when asked: refuse one whose
    Content-Length exceeds REQUEST_MAX_BYTES before CSRF or a form asks."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_MAX_BYTES:
            return HttpResponse(
                _too_large_text(), status=413, content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)


class RequestBodyLimit:
    """ASGI middleware in front of Django, whose ASGI handler reads a whole
    body (into a file past FILE_UPLOAD_MAX_MEMORY_SIZE) before any Django
    middleware runs: answer 413 by the Content-Length alone, and 411 to a
    body without one (chunked), which the proxy never sends."""

    def __init__(self, application) -> None:
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            status = _refusal(dict(scope.get("headers", [])))
            if status:
                body = (
                    _too_large_text() if status == 413 else "Length Required"
                ).encode()
                await send(
                    {
                        "type": "http.response.start",
                        "status": status,
                        "headers": [
                            (b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close"),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.application(scope, receive, send)


def _refusal(headers: dict[bytes, bytes]) -> int:
    """413 for a declared length over the limit, 411 for a chunked body."""
    length = headers.get(b"content-length")
    if length is not None:
        try:
            return 413 if int(length) > settings.REQUEST_MAX_BYTES else 0
        except ValueError:
            return 0
    if b"chunked" in headers.get(b"transfer-encoding", b"").lower():
        return 411
    return 0
