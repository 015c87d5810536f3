"""Permalinks, editing with history, reactions, solutions and attachments."""

from __future__ import annotations

import difflib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from community import markup
from forum.actions import posts as post_actions
from forum.actions import reading
from forum.actions import threads as thread_actions
from forum.forms import EditPostForm
from forum.models import ThreadKind
from forum.permissions import (
    access_attachment,
    access_post,
    access_revision,
    check_can_edit_post,
)
from forum.views.threads import post_url, tell_if_held
from moderation.models import Visibility


@login_required
def post_permalink(request: HttpRequest, pk: int) -> HttpResponse:
    post = access_post(request.user, pk)
    return redirect(post_url(post))


@login_required
@require_GET
def post_quote(request: HttpRequest, pk: int) -> HttpResponse:
    """A post as a Markdown quote, for "Zitieren" without reloading the page."""
    post = access_post(request.user, pk)
    if post.visibility != Visibility.VISIBLE:
        raise Http404
    return JsonResponse(
        {"markdown": markup.quote(post.author.display_name, post.source)}
    )


@login_required
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = access_post(request.user, pk)
    check_can_edit_post(request.user, post)
    opening = post.position == 1
    form = EditPostForm(
        request.POST or None,
        with_title=opening,
        with_summary=opening and post.thread.kind == ThreadKind.KNOWLEDGE,
        initial={"title": post.thread.title, "source": post.source},
    )
    if request.method == "POST" and form.is_valid():
        try:
            post_actions.edit_post(
                request.user,
                post,
                source=form.cleaned_data["source"],
                title=form.cleaned_data.get("title"),
                summary=form.cleaned_data.get("summary", ""),
            )
        except ValidationError as refused:
            form.add_error("source", refused)
        else:
            tell_if_held(request, post.visibility)
            return redirect(post_url(post))
    return render(
        request,
        "forum/post_edit.html",
        {"post": post, "thread": post.thread, "form": form},
    )


def _diff(before: str, after: str) -> list[tuple[str, str]]:
    """Line diff as (kind, text) pairs: kind is "add", "remove" or "same"."""
    rows = []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        code, text = line[:2], line[2:]
        if code == "+ ":
            rows.append(("add", text))
        elif code == "- ":
            rows.append(("remove", text))
        elif code == "  ":
            rows.append(("same", text))
    return rows


@login_required
def post_history(request: HttpRequest, pk: int) -> HttpResponse:
    post = access_post(request.user, pk)
    check_can_edit_post(request.user, post)
    revisions = list(post.revisions.select_related("editor"))
    entries = []
    previous = None
    for revision in revisions:
        entries.append(
            {
                "revision": revision,
                "diff": _diff(previous.source if previous else "", revision.source),
                "title_changed": previous is not None
                and previous.title != revision.title,
            }
        )
        previous = revision
    entries.reverse()
    return render(
        request,
        "forum/post_history.html",
        {"post": post, "thread": post.thread, "entries": entries},
    )


@login_required
@require_POST
def post_restore(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    post = access_post(request.user, pk)
    revision = access_revision(request.user, post, number)
    if post_actions.restore_revision(request.user, post, revision):
        messages.success(
            request, _("Version %(number)d was restored.") % {"number": number}
        )
    return redirect("forum:post_history", pk=post.pk)


@login_required
@require_POST
def post_react(request: HttpRequest, pk: int) -> HttpResponse:
    post = access_post(request.user, pk)
    try:
        reading.toggle_reaction(request.user, post, kind=request.POST.get("kind", ""))
    except ValueError:
        messages.error(request, _("This reaction is not available."))
    return redirect(post_url(post))


@login_required
@require_POST
def post_solution(request: HttpRequest, pk: int) -> HttpResponse:
    post = access_post(request.user, pk)
    thread_actions.mark_solution(request.user, post)
    return redirect(post_url(post))


@login_required
def attachment_download(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Attachments are served only after the space's permission check."""
    attachment = access_attachment(request.user, pk)
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=not attachment.is_image,
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
