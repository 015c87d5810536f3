"""Drafts over HTTP: the composers save what is typed as it is typed
(static/js/drafts.js); pages put a draft back when they render the composer."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_POST

from community.actions.drafts import is_place, keep_draft

# A save every second or two while typing; a script could do far more.
SAVES_PER_MINUTE = 120


@login_required
@require_POST
def draft_save(request: HttpRequest) -> HttpResponse:
    place = request.POST.get("place", "")
    if not is_place(place):
        return JsonResponse({"error": "bad_place"}, status=400)
    key = f"draft-saves:{request.user.pk}"
    cache.add(key, 0, timeout=60)
    if cache.incr(key) > SAVES_PER_MINUTE:
        return JsonResponse({"error": "rate_limited"}, status=429)
    kept = keep_draft(
        request.user,
        place,
        text=request.POST.get("text", ""),
        title=request.POST.get("title", ""),
    )
    return JsonResponse({"kept": kept})
