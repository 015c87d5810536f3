"""Member pages."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from forum.queries import visible_spaces


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The member area: where a member lands after logging in."""
    return render(
        request, "accounts/home.html", {"spaces": visible_spaces(request.user)}
    )
