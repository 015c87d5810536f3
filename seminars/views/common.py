"""What the seminars' views share."""

from __future__ import annotations

from django.core.cache import cache
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect

# Registering and cancelling: plenty for people, tight for scripts.
CHANGES_PER_HOUR = 60


def over_limit(request: HttpRequest, what: str, limit: int = CHANGES_PER_HOUR) -> bool:
    """Count one more `what` by this member; True once more than `limit` an hour."""
    key = f"seminars:{what}:{request.user.pk}"
    cache.add(key, 0, timeout=3600)
    return cache.incr(key) > limit


def back_to_event(event_id: int, anchor: str = "") -> HttpResponse:
    response = redirect("seminars:event", pk=event_id)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def serve_file(file, *, content_type: str, name: str) -> FileResponse:
    """An uploaded file, served only after the caller's permission check."""
    response = FileResponse(
        file.open("rb"),
        content_type=content_type,
        as_attachment=not content_type.startswith("image/"),
        filename=name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
