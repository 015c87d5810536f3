"""The moderators' thread tools: the panel on the thread page and its forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import User
from community.models import Space
from forum.actions import thread_tools
from forum.forms import (
    ModerationReasonForm,
    MoveThreadForm,
    SlowModeForm,
    SplitThreadForm,
)
from forum.models import Thread
from forum.permissions import access_thread, check_can_moderate_thread
from moderation.queries.spaces import spaces_moderated_by

DONE = {
    "lock": gettext_lazy("The thread was locked."),
    "unlock": gettext_lazy("The thread was unlocked."),
    "pin": gettext_lazy("The thread was pinned."),
    "unpin": gettext_lazy("The thread is no longer pinned."),
    "close": gettext_lazy("The thread was closed."),
    "reopen": gettext_lazy("The thread was reopened."),
}
ACTIONS: dict[str, Callable[..., bool]] = {
    "lock": thread_tools.lock_thread,
    "unlock": thread_tools.unlock_thread,
    "pin": thread_tools.pin_thread,
    "unpin": thread_tools.unpin_thread,
    "close": thread_tools.close_thread,
    "reopen": thread_tools.reopen_thread,
}


def moderation_panel(user: User, thread: Thread) -> dict[str, Any]:
    """The forms of the thread page's moderation panel (moderators only)."""
    targets = spaces_moderated_by(user).exclude(pk=thread.space_id)
    return {
        "reason_form": ModerationReasonForm(),
        "slow_mode_form": SlowModeForm(
            initial={"seconds": thread.slow_mode_seconds}, auto_id="id_slow_%s"
        ),
        "move_form": MoveThreadForm(spaces=targets, auto_id="id_move_%s"),
    }


def _tool(request: HttpRequest, pk: int, tool: str) -> HttpResponse:
    thread = access_thread(request.user, pk)
    check_can_moderate_thread(request.user, thread)
    form = ModerationReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if ACTIONS[tool](request.user, thread, reason=reason):
        messages.success(request, DONE[tool])
    return redirect("forum:thread", pk=thread.pk)


@login_required
@require_POST
def thread_lock(request: HttpRequest, pk: int) -> HttpResponse:
    return _tool(request, pk, "lock")


@login_required
@require_POST
def thread_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    return _tool(request, pk, "unlock")


@login_required
@require_POST
def thread_pin(request: HttpRequest, pk: int) -> HttpResponse:
    return _tool(request, pk, "pin")


@login_required
@require_POST
def thread_unpin(request: HttpRequest, pk: int) -> HttpResponse:
    return _tool(request, pk, "unpin")


@login_required
@require_POST
def thread_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _tool(request, pk, "close")


@login_required
@require_POST
def thread_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _tool(request, pk, "reopen")


@login_required
@require_POST
def thread_slow_mode(request: HttpRequest, pk: int) -> HttpResponse:
    thread = access_thread(request.user, pk)
    check_can_moderate_thread(request.user, thread)
    form = SlowModeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose one of the intervals offered."))
    elif thread_tools.set_slow_mode(
        request.user,
        thread,
        seconds=form.cleaned_data["seconds"],
        reason=form.cleaned_data["reason"],
    ):
        messages.success(request, _("Slow mode was changed."))
    return redirect("forum:thread", pk=thread.pk)


@login_required
@require_POST
def thread_move(request: HttpRequest, pk: int) -> HttpResponse:
    thread = access_thread(request.user, pk)
    check_can_moderate_thread(request.user, thread)
    # Any space may be named; the action refuses those the moderator does not
    # moderate (403), so the form offers them all.
    form = MoveThreadForm(request.POST, spaces=Space.objects.all())
    if not form.is_valid():
        messages.error(request, _("Please choose a space."))
    elif thread_tools.move_thread(
        request.user,
        thread,
        to=form.cleaned_data["space"],
        reason=form.cleaned_data["reason"],
    ):
        messages.success(
            request,
            _("The thread was moved to “%(space)s”.")
            % {"space": form.cleaned_data["space"].title},
        )
    return redirect("forum:thread", pk=thread.pk)


def _post_choices(thread: Thread) -> list[tuple[int, str]]:
    replies = thread.posts.filter(position__gt=1).select_related("author")
    return [
        (
            post.pk,
            f"#{post.position} {post.author.display_name}: "
            + Truncator(strip_tags(post.html)).chars(120),
        )
        for post in replies.order_by("position")
    ]


@login_required
def thread_split(request: HttpRequest, pk: int) -> HttpResponse:
    thread = access_thread(request.user, pk)
    check_can_moderate_thread(request.user, thread)
    form = SplitThreadForm(
        request.POST or None,
        posts=_post_choices(thread),
        spaces=Space.objects.all()
        if request.method == "POST"
        else spaces_moderated_by(request.user),
        initial={"space": thread.space_id},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = thread_tools.split_thread(
                request.user,
                thread,
                post_ids=data["posts"],
                title=data["title"],
                to=data["space"],
                reason=data["reason"],
            )
        except ValidationError as refused:
            form.add_error("posts", refused)
        else:
            messages.success(request, _("The replies were moved into a new thread."))
            return redirect("forum:thread", pk=new.pk)
    return render(
        request,
        "forum/thread_split.html",
        {"thread": thread, "space": thread.space, "form": form},
        status=400 if form.errors else 200,
    )
