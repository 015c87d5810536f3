"""Starting, reading and replying to threads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.limits import RateLimited, too_many_requests
from accounts.typeahead import suggestion_strings
from community import markup
from community.actions.drafts import discard_draft
from community.permissions import access_space
from community.queries.drafts import draft_at
from forum import cards
from forum.actions import posts as post_actions
from forum.actions import reading
from forum.actions import threads as thread_actions
from forum.forms import ReplyForm, StatusForm, ThreadForm, blank_reply_fields
from forum.models import POSTS_PER_PAGE, FollowLevel, Post, ThreadKind
from forum.permissions import (
    access_post,
    access_thread,
    can_change_status,
    can_mark_solution,
    can_reply,
    can_see_text,
    check_can_post,
    moderates_thread,
)
from forum.queries import threads as thread_queries
from forum.queries.matching import matches_for
from forum.queries.threads import reply_draft_place
from forum.views.moderation import moderation_panel
from moderation import flood
from moderation.models import Visibility


def tell_if_held(request: HttpRequest, visibility: str) -> None:
    """The author learns at once that their text waits for the moderators."""
    if visibility == Visibility.PENDING:
        messages.info(
            request, _("Your post is awaiting approval by the moderation team.")
        )


@login_required
def thread_create(request: HttpRequest, slug: str) -> HttpResponse:
    space = access_space(request.user, slug)
    user = request.user
    initial = {
        "kind": request.GET.get("art", ThreadKind.DISCUSSION),
        "topic": space.topic,
        "state": user.state_key,
        "size_class": user.size_class or "",
    }
    place = thread_draft_place(space.slug)
    draft = draft_at(user, place) if request.method == "GET" else None
    if draft:
        initial.update(title=draft.title, source=draft.text)
    form = ThreadForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with flood.limited(user, flood.THREAD):
                thread = thread_actions.start_thread(
                    user,
                    space,
                    kind=data["kind"],
                    title=data["title"],
                    source=data["source"],
                    topic=data["topic"],
                    state=data["state"],
                    size_class=data["size_class"],
                    expires_on=data["expires_on"],
                    files=data["files"],
                )
        except RateLimited as limited:
            form.add_error(None, limited)
            return too_many_requests(
                render(
                    request, "forum/thread_form.html", {"space": space, "form": form}
                ),
                limited,
            )
        except ValidationError as refused:
            form.add_error("source", refused)
        else:
            discard_draft(user, place)
            tell_if_held(request, thread.visibility)
            return redirect("forum:thread", pk=thread.pk)
    return render(
        request,
        "forum/thread_form.html",
        {"space": space, "form": form, "draft": draft, **_composer(place)},
    )


def thread_draft_place(slug: str) -> str:
    """Where a new thread's draft is kept (community.Draft): one per space."""
    return f"thread:{slug}"


def _composer(place: str) -> dict:
    """What the composer's script needs: where drafts are saved, where members
    are found for @-mentions and what the type-ahead says
    (static/js/forum-composer.js)."""
    return {
        "composer": {
            "draftPlace": place,
            "draftUrl": reverse("community:draft_save"),
            "memberSearchUrl": reverse("accounts:member_search"),
            **suggestion_strings(),
        }
    }


def page_links(thread, number: int) -> list:
    """Page numbers to link: the ends and the neighbours, "…" between."""
    pages = Paginator(range(thread.last_position), POSTS_PER_PAGE)
    return list(pages.get_elided_page_range(number, on_each_side=2, on_ends=1))


def _page_number(request: HttpRequest, last_page: int) -> int:
    try:
        number = int(request.GET.get("seite", 1))
    except ValueError:
        number = 1
    return min(max(number, 1), last_page)


def report_url(kind: str, target_id: int) -> str:
    """Where a member reports content (the moderation app's form)."""
    return reverse("moderation:report", args=[kind, target_id])


@login_required
def thread_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    thread = access_thread(user, pk, threads=thread_queries.threads_to_read())
    quote = ""
    if "zitat" in request.GET and request.GET["zitat"].isdigit():
        # "Zitieren" without script: the quote goes after the member's draft.
        quoted = access_post(request.user, int(request.GET["zitat"]))
        if quoted.thread_id == thread.pk and quoted.visibility == Visibility.VISIBLE:
            quote = markup.quote(quoted.author.display_name, quoted.source)
    number = _page_number(request, thread.page_count)
    return _render_thread_page(request, thread, number, quote=quote)


def _render_thread_page(
    request: HttpRequest,
    thread,
    number: int,
    reply_form: ReplyForm | None = None,
    status=200,
    *,
    quote: str = "",
) -> HttpResponse:
    """Page `number` of `thread`, read by the member (their position moves on).

    Without `reply_form` the reply box holds the member's draft (read with
    the page's posts) and then `quote`."""
    user = request.user
    moderator = moderates_thread(user, thread)
    if not can_see_text(user, thread, moderator=moderator):
        # Hidden or removed: others learn that, and nothing of its content.
        return render(
            request,
            "forum/thread_placeholder.html",
            {"thread": thread, "space": thread.space},
            status=status,
        )
    replying = can_reply(user, thread, moderator=moderator)
    changing_status = can_change_status(user, thread, moderator=moderator)
    solution_marker = can_mark_solution(user, thread, moderator=moderator)
    page = cards.thread_page(
        user,
        thread,
        number,
        moderator=moderator,
        can_reply=replying,
        can_mark_solution=solution_marker,
    )
    draft_restored = reply_form is None and page.draft is not None
    if reply_form is None:
        source = page.draft or ""
        if quote:
            separator = "\n\n" if source and not source.endswith("\n") else ""
            source += separator + quote
        reply_form = ReplyForm(initial={"source": source})
    if page.posts:
        # The last page reads to the thread's end: posts waiting for approval
        # there take positions that the reader cannot see.
        last = thread.last_position if number == thread.page_count else None
        reading.mark_read(
            user,
            thread,
            last or page.posts[-1].position,
            known=page.read_position,
        )
    context = {
        "thread": thread,
        "space": thread.space,
        "posts": page.posts,
        "page_number": number,
        "page_range": page_links(thread, number),
        "reply_form": reply_form,
        # Empty (no quote, no errors): the same for everyone, rendered once.
        "reply_fields": (
            blank_reply_fields()
            if replying
            and not reply_form.is_bound
            and not reply_form.initial.get("source")
            else None
        ),
        "can_reply": replying,
        "moderator": moderator,
        "moderation": moderation_panel(user, thread) if moderator else None,
        "thread_report_url": (
            report_url("thread", thread.pk)
            if thread.author_id != user.pk and thread.visibility == Visibility.VISIBLE
            else ""
        ),
        "can_change_status": changing_status,
        "status_form": (
            StatusForm(initial={"status": thread.status}) if changing_status else None
        ),
        "follow_level": page.follow_level,
        "follow_levels": FollowLevel.choices,
        "matches": matches_for(user, thread) if thread.is_matchable else [],
        "draft_restored": draft_restored,
        "last_edit": (
            thread_queries.last_article_edit(thread)
            if thread.kind == ThreadKind.KNOWLEDGE and number == 1
            else None
        ),
        **_composer(reply_draft_place(thread.pk)),
    }
    return render(request, "forum/thread_detail.html", context, status=status)


@login_required
@require_POST
def thread_reply(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    thread = access_thread(user, pk, threads=thread_queries.threads_to_read())
    check_can_post(user, thread)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            with flood.limited(user, flood.REPLY):
                post = post_actions.reply(
                    user,
                    thread,
                    source=form.cleaned_data["source"],
                    files=form.cleaned_data["files"],
                )
        except RateLimited as limited:
            form.add_error("source", limited)
            page = _render_thread_page(request, thread, thread.page_count, form)
            return too_many_requests(page, limited)
        except ValidationError as refused:
            form.add_error("source", refused)
        else:
            discard_draft(user, reply_draft_place(thread.pk))
            tell_if_held(request, post.visibility)
            return redirect(post_url(post))
    return _render_thread_page(request, thread, thread.page_count, form, 400)


def post_url(post: Post) -> str:
    """Where a post is read: its thread's page, scrolled to the post."""
    url = reverse("forum:thread", args=[post.thread_id])
    return f"{url}?seite={post.page}#beitrag-{post.pk}"


@login_required
@require_POST
def thread_status(request: HttpRequest, pk: int) -> HttpResponse:
    thread = access_thread(request.user, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        if thread_actions.change_status(
            request.user, thread, status=form.cleaned_data["status"]
        ):
            messages.success(request, _("The status was changed."))
    else:
        messages.error(request, _("Please choose a valid status."))
    return redirect("forum:thread", pk=thread.pk)


@login_required
@require_POST
def thread_extend(request: HttpRequest, pk: int) -> HttpResponse:
    thread = access_thread(request.user, pk)
    until = thread_actions.extend_expiry(request.user, thread)
    messages.success(
        request,
        _("Extended until %(date)s.") % {"date": until.strftime("%d.%m.%Y")},
    )
    return redirect("forum:thread", pk=thread.pk)


@login_required
@require_POST
def thread_follow(request: HttpRequest, pk: int) -> HttpResponse:
    thread = access_thread(request.user, pk)
    thread_actions.set_follow_level(
        request.user, thread=thread, level=requested_level(request)
    )
    return redirect("forum:thread", pk=thread.pk)


def requested_level(request: HttpRequest) -> str:
    """The follow level a form asks for: `level`, or the older `on` (1: watch)."""
    level = request.POST.get("level", "")
    if level in FollowLevel.values:
        return level
    return FollowLevel.WATCHING if request.POST.get("on") == "1" else FollowLevel.NORMAL
