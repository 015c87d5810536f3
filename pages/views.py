"""Public pages: the start page and the pages every public body must have."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/start.html")


@require_GET
def imprint(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/imprint.html")


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/privacy.html")


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility.html")


@require_GET
def easy_language(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/easy_language.html")


@require_GET
def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/terms.html")


@never_cache
@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """For the load balancer: the process answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
