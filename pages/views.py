"""Public pages: the start page and the pages every public body must have.

Long legal texts are written per language (`pages/<name>.<language>.html`) rather
than cut into catalog entries: they are read and changed as whole documents.
"""

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import select_template
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.models import PRIVACY_VERSION, TERMS_VERSION


def render_document(
    request: HttpRequest, name: str, context: dict | None = None
) -> HttpResponse:
    language = (get_language() or "de").split("-")[0]
    template = select_template(
        [f"pages/{name}.{language}.html", f"pages/{name}.de.html"]
    )
    return HttpResponse(template.render(context or {}, request))


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/start.html")


@require_GET
def imprint(request: HttpRequest) -> HttpResponse:
    return render_document(request, "imprint")


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render_document(request, "privacy", {"version": PRIVACY_VERSION})


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render_document(request, "accessibility")


@require_GET
def terms(request: HttpRequest) -> HttpResponse:
    return render_document(request, "terms", {"version": TERMS_VERSION})


@require_GET
def easy_language(request: HttpRequest) -> HttpResponse:
    # Leichte Sprache is German by definition; the page says so with lang="de".
    return render(request, "pages/easy_language.html")


@never_cache
@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """For the load balancer: the process answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
