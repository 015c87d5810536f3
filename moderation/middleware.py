"""Suspended members are kept out of every page while the suspension lasts.

They still reach: logging out, the legal pages (imprint, privacy,
accessibility, the terms of use with the house rules their decision cites),
their own data (export and account deletion: rights under the GDPR that a
suspension does not suspend), the language switch, static files, and the
statement of reasons of their suspension (with its objection form).
Everything else answers 403: the suspension page for pages, a JSON error for
API requests.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from moderation.actions.sanctions import is_ban_end


def _open_paths() -> tuple[str, ...]:
    return (
        reverse("account_logout"),
        reverse("pages:imprint"),
        reverse("pages:privacy"),
        reverse("pages:accessibility"),
        reverse("pages:terms"),
        # /meine-daten/: the overview, the export and account deletion.
        reverse("accounts:my_data"),
        reverse("accounts:account_deleted"),
        reverse("set_language"),
        settings.STATIC_URL,
    )


def wants_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return (
        request.path.startswith("/api/")
        or request.headers.get("X-Requested-With") == "XMLHttpRequest"
        or request.content_type == "application/json"
        or ("application/json" in accept and "text/html" not in accept)
    )


class SuspensionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.open_paths: tuple[str, ...] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_suspended:
            return self.get_response(request)
        if self.open_paths is None:
            self.open_paths = _open_paths()
        if request.path.startswith(self.open_paths):
            return self.get_response(request)
        from moderation.queries.history import suspension_of

        sanction = suspension_of(user)
        decision = sanction.decision if sanction is not None else None
        if decision is not None and request.path == reverse(
            "moderation:decision", args=[decision.pk]
        ):
            return self.get_response(request)
        until = user.suspended_until
        if wants_json(request):
            return JsonResponse(
                {
                    "error": "suspended",
                    "until": None if is_ban_end(until) else until.isoformat(),
                },
                status=403,
            )
        return render(
            request,
            "moderation/suspended.html",
            {
                "decision": decision,
                "until": None if is_ban_end(until) else until,
            },
            status=403,
        )
