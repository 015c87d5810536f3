"""Space list, a space's threads, the Neu/Ungelesen lists."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.permissions import access_space
from community.queries.spaces import visible_spaces
from forum.actions.threads import set_follow_level
from forum.forms import ThreadFilterForm
from forum.models import FollowLevel
from forum.queries import threads as thread_queries
from forum.views.threads import requested_level
from moderation.models import Visibility


@login_required
def space_list(request: HttpRequest) -> HttpResponse:
    spaces = visible_spaces(request.user).annotate(
        thread_count=Count(
            "threads", filter=Q(threads__visibility=Visibility.VISIBLE), distinct=True
        )
    )
    return render(request, "forum/space_list.html", {"spaces": spaces})


@login_required
def space_detail(request: HttpRequest, slug: str) -> HttpResponse:
    space = access_space(request.user, slug)
    filters = ThreadFilterForm(request.GET or None)
    options = filters.cleaned_data if filters.is_valid() else {}
    threads = thread_queries.space_threads(
        request.user,
        space,
        kind=options.get("kind", ""),
        status=options.get("status", ""),
        like_my_municipality=options.get("like_mine", False),
    )
    page = Paginator(threads, thread_queries.THREADS_PER_PAGE).get_page(
        request.GET.get("seite")
    )
    follow_level = thread_queries.follow_level(request.user, space=space)
    query = request.GET.copy()
    query.pop("seite", None)
    context = {
        "space": space,
        "page": page,
        "filters": filters,
        "follow_level": follow_level,
        "follow_levels": FollowLevel.choices,
        "query": query.urlencode(),
    }
    return render(request, "forum/space_detail.html", context)


@login_required
@require_POST
def follow_space(request: HttpRequest, slug: str) -> HttpResponse:
    space = access_space(request.user, slug)
    set_follow_level(request.user, space=space, level=requested_level(request))
    return redirect("forum:space", slug=space.slug)


def _thread_list(request: HttpRequest, threads, title: str, view: str):
    page = Paginator(threads, thread_queries.THREADS_PER_PAGE).get_page(
        request.GET.get("seite")
    )
    return render(
        request,
        "forum/thread_list.html",
        {"page": page, "list_title": title, "list_view": view},
    )


@login_required
def new_list(request: HttpRequest) -> HttpResponse:
    threads = thread_queries.new_threads(request.user)
    return _thread_list(request, threads, _("New threads"), "forum:new")


@login_required
def unread_list(request: HttpRequest) -> HttpResponse:
    threads = thread_queries.unread_threads(request.user)
    return _thread_list(request, threads, _("Unread threads"), "forum:unread")
