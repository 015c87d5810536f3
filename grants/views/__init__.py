"""Views of the grants app: members' pages, the Geschäftsstelle's, files."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from grants.permissions import GrantRefused


def refusals_as_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A refusal becomes a page that says why (403), in the member's language."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except GrantRefused as refused:
            return render(
                request, "grants/refusal.html", {"message": refused.message}, status=403
            )

    return wrapped
