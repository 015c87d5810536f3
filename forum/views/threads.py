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

from accounts.typeahead import suggestion_strings
from community import markup
from community.actions.drafts import discard_draft
from community.permissions import access_space, can_moderate_space
from community.queries.drafts import draft_at
from forum.actions import posts as post_actions
from forum.actions import reading
from forum.actions import threads as thread_actions
from forum.forms import ReplyForm, StatusForm, ThreadForm
from forum.models import POSTS_PER_PAGE, FollowLevel, Post, ThreadKind
from forum.permissions import (
    access_post,
    access_thread,
    can_change_status,
    can_edit_post,
    can_mark_solution,
    can_reply,
    can_see_text,
    check_can_post,
)
from forum.queries import threads as thread_queries
from forum.queries.matching import matches_for
from forum.views.moderation import moderation_panel
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


def reply_draft_place(thread_id: int) -> str:
    """Where a reply's draft is kept: one per thread."""
    return f"reply:{thread_id}"


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


def _link_bases() -> dict[str, str]:
    """URL prefixes for the per-post links: one reverse() per page, not per link."""
    return {
        "post_base": reverse("forum:post", args=[1]).removesuffix("1/"),
        "member_base": reverse("accounts:profile", args=[1]).removesuffix("1/"),
        "report_base": report_url("post", 1).removesuffix("1/"),
        "link_title": _("Link to this post"),
    }


@login_required
def thread_detail(request: HttpRequest, pk: int) -> HttpResponse:
    thread = access_thread(request.user, pk)
    # The reply box holds the member's draft; "Zitieren" without script
    # (?zitat=<post>) adds the quote after it.
    draft = draft_at(request.user, reply_draft_place(thread.pk))
    source = draft.text if draft else ""
    if "zitat" in request.GET and request.GET["zitat"].isdigit():
        quoted = access_post(request.user, int(request.GET["zitat"]))
        if quoted.thread_id == thread.pk and quoted.visibility == Visibility.VISIBLE:
            separator = "\n\n" if source and not source.endswith("\n") else ""
            source += separator + markup.quote(
                quoted.author.display_name, quoted.source
            )
    number = _page_number(request, thread.page_count)
    reply_form = ReplyForm(initial={"source": source})
    return _render_thread_page(
        request, thread, number, reply_form, draft_restored=bool(draft)
    )


def _render_thread_page(
    request: HttpRequest,
    thread,
    number: int,
    reply_form: ReplyForm,
    status=200,
    *,
    draft_restored: bool = False,
) -> HttpResponse:
    """Page `number` of `thread`, read by the member (their position moves on)."""
    user = request.user
    moderator = can_moderate_space(user, thread.space)
    if not can_see_text(user, thread, moderator=moderator):
        # Hidden or removed: others learn that, and nothing of its content.
        return render(
            request,
            "forum/thread_placeholder.html",
            {"thread": thread, "space": thread.space},
            status=status,
        )
    posts = thread_queries.thread_page(thread, user, number, moderator=moderator)
    previously_read = thread_queries.read_position(user, thread)
    if posts:
        # The last page reads to the thread's end: posts waiting for approval
        # there take positions that the reader cannot see.
        last = thread.last_position if number == thread.page_count else None
        reading.mark_read(
            user, thread, last or posts[-1].position, known=previously_read
        )
    solution_marker = can_mark_solution(user, thread)
    for post in posts:
        post.can_edit = can_edit_post(user, post, moderator=moderator)
        post.can_mark_solution = (
            solution_marker and post.position > 1 and post.is_visible
        )
        post.can_report = post.is_visible and post.author_id != user.pk
        post.is_first_new = bool(previously_read) and post.position == (
            previously_read + 1
        )
    replying = can_reply(user, thread, moderator=moderator)
    context = {
        "thread": thread,
        "space": thread.space,
        "posts": posts,
        "page_number": number,
        "page_range": page_links(thread, number),
        "previously_read": previously_read,
        "reply_form": reply_form,
        "can_reply": replying,
        "moderator": moderator,
        "moderation": moderation_panel(user, thread) if moderator else None,
        "thread_report_url": (
            report_url("thread", thread.pk)
            if thread.author_id != user.pk and thread.visibility == Visibility.VISIBLE
            else ""
        ),
        "can_change_status": can_change_status(user, thread),
        "can_mark_solution": solution_marker,
        "status_form": StatusForm(initial={"status": thread.status}),
        "follow_level": thread_queries.follow_level(user, thread=thread),
        "follow_levels": FollowLevel.choices,
        "matches": matches_for(user, thread) if thread.is_matchable else [],
        "draft_restored": draft_restored,
        "last_edit": (
            thread_queries.last_article_edit(thread)
            if thread.kind == ThreadKind.KNOWLEDGE and number == 1
            else None
        ),
        **_link_bases(),
        **_composer(reply_draft_place(thread.pk)),
    }
    return render(request, "forum/thread_detail.html", context, status=status)


@login_required
@require_POST
def thread_reply(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    thread = access_thread(user, pk)
    check_can_post(user, thread)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            post = post_actions.reply(
                user,
                thread,
                source=form.cleaned_data["source"],
                files=form.cleaned_data["files"],
            )
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
