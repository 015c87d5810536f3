"""The start page, the member's overview, and the pages every public body must
have.

Long legal texts are written per language (`pages/<name>.<language>.html`) rather
than cut into catalog entries: they are read and changed as whole documents.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import select_template
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts import limits
from accounts.models import PRIVACY_VERSION, TERMS_VERSION, State
from chat.queries import search_messages
from community.queries.spaces import visible_spaces
from forum.models import ThreadKind, ThreadStatus
from forum.queries.search import did_you_mean, search_forum
from pages import actions
from pages.forms import AccessibilityFeedbackForm, SearchForm

# Feedback reaches people: a few messages an hour from one address is plenty.
FEEDBACK_PER_HOUR = 5


def render_document(
    request: HttpRequest, name: str, context: dict | None = None, *, status: int = 200
) -> HttpResponse:
    language = (get_language() or "de").split("-")[0]
    template = select_template(
        [f"pages/{name}.{language}.html", f"pages/{name}.de.html"]
    )
    return HttpResponse(template.render(context or {}, request), status=status)


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/start.html")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The member area: where a member lands after logging in."""
    return render(request, "pages/home.html", {"spaces": visible_spaces(request.user)})


@require_GET
def imprint(request: HttpRequest) -> HttpResponse:
    return render_document(request, "imprint")


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render_document(
        request,
        "privacy",
        {
            "version": PRIVACY_VERSION,
            "chat_retention_days": settings.CHAT_RETENTION_DAYS,
            "event_retention_days": settings.SEMINARS_REGISTRATION_RETENTION_DAYS,
        },
    )


@require_http_methods(["GET", "POST"])
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement with its feedback form (BITV 2.0 § 7)."""
    form = AccessibilityFeedbackForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            limits.take(
                "pages.accessibility_feedback",
                limits.ip_key(request),
                f"{FEEDBACK_PER_HOUR}/h",
            )
        except limits.RateLimited:
            form.add_error(
                None,
                _(
                    "You have sent several messages within a short time. Please "
                    "try again in an hour, or write to us by post."
                ),
            )
            status = 429
        else:
            actions.submit_accessibility_feedback(request.user, **form.cleaned_data)
            return redirect("pages:feedback_sent")
    return render_document(request, "accessibility", {"form": form}, status=status)


@require_GET
def feedback_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/feedback_sent.html")


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


# --- Search -----------------------------------------------------------------------


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """The header's search: forum threads (one result per thread, its best
    post shown) and chat messages of the rooms the member may open, with
    "Meinten Sie …" when a word finds nothing."""
    spaces = visible_spaces(request.user)
    form = SearchForm(
        request.GET or None,
        spaces=spaces,
        kinds=ThreadKind.choices,
        statuses=ThreadStatus.choices,
        states=State.objects.order_by("name"),
    )
    context = {"form": form, "searched": False}
    if form.is_valid() and form.cleaned_data["q"].strip():
        data = form.cleaned_data
        area = data["bereich"]
        sort = data["sort"] or "relevance"
        context["searched"] = True
        if area in ("", "forum"):
            context["threads"] = search_forum(
                spaces,
                data["q"],
                space=data["space"],
                kind=data["kind"],
                status=data["status"],
                state=data["state"],
                author=data["author"].strip(),
                since=data["von"],
                until=data["bis"],
                sort=sort,
            )
        # The forum's own filters say nothing about chat messages.
        forum_only = any(data[name] for name in ("space", "kind", "status", "state"))
        if area in ("", "chat") and not (area == "" and forum_only):
            context["chat_hits"] = search_messages(
                request.user,
                data["q"],
                author=data["author"].strip(),
                since=data["von"],
                until=data["bis"],
                newest_first=sort != "oldest",
            )
        if not context.get("threads") and not context.get("chat_hits"):
            corrected = did_you_mean(spaces, data["q"])
            if corrected:
                query = request.GET.copy()
                query["q"] = corrected
                context["suggestion"] = (corrected, query.urlencode())
    return render(request, "pages/search.html", context)


# --- Error pages ------------------------------------------------------------------
# 403, 404 and 500 are Django's own handlers with the templates in templates/
# (403.html, 404.html, 500.html); these two need a view of their own.


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the form's security code was missing or stale.

    Django's default renders its template without the request, so the page
    would lose the member's header and the language of the site.
    """
    from django.middleware.csrf import REASON_NO_CSRF_COOKIE

    return render(
        request,
        "403_csrf.html",
        {"no_cookie": reason == REASON_NO_CSRF_COOKIE},
        status=403,
    )


@require_GET
def websocket_over_http(request: HttpRequest) -> HttpResponse:
    """/ws/ reached without a WebSocket upgrade (an old browser, a proxy that
    drops the upgrade): say so in the site's words instead of a bare 404."""
    response = render(request, "errors/websocket.html", status=426)
    response["Upgrade"] = "websocket"
    return response
