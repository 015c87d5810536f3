"""Thread lists and thread pages, N+1-safe and with the reader's position."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import (
    Case,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from accounts.models import User
from community.models import Space
from community.queries.spaces import visible_spaces
from forum.models import (
    POSTS_PER_PAGE,
    Attachment,
    Follow,
    FollowLevel,
    Post,
    PostRevision,
    Reaction,
    ReactionKind,
    ReadPosition,
    Thread,
    ThreadKind,
)
from forum.permissions import can_see_text
from forum.queries.matching import like_mine
from moderation.models import Visibility

THREADS_PER_PAGE = 30
NEW_THREAD_DAYS = 14


def with_read_position(threads: QuerySet[Thread], user: User) -> QuerySet[Thread]:
    """Annotate `read_position` (-1 if never opened) and `unread_count`."""
    position = ReadPosition.objects.filter(user=user, thread=OuterRef("pk")).values(
        "position"
    )[:1]
    return threads.annotate(
        read_position=Coalesce(
            Subquery(position, output_field=IntegerField()), Value(-1)
        ),
        unread_count=Case(
            When(read_position__gte=0, then=F("last_position") - F("read_position")),
            default=Value(0),
        ),
    )


def listed_for(user: User) -> Q:
    """Which threads a member's lists show: visible ones, their own that wait
    or are hidden, and everything in the spaces they moderate."""
    if user.is_staff:
        return Q()
    condition = Q(visibility=Visibility.VISIBLE) | Q(
        author=user, visibility__in=[Visibility.PENDING, Visibility.HIDDEN]
    )
    # A subquery, not a join: an OR over the moderators relation would repeat
    # every thread once per moderator.
    return condition | Q(space__in=Space.objects.filter(moderators=user))


def without_muted(threads: QuerySet[Thread], user: User) -> QuerySet[Thread]:
    """Leave out the threads `user` muted and those of spaces they muted."""
    muted = Follow.objects.filter(user=user, level=FollowLevel.MUTED)
    return threads.exclude(
        pk__in=muted.filter(thread__isnull=False).values("thread_id")
    ).exclude(space_id__in=muted.filter(space__isnull=False).values("space_id"))


def _list(threads: QuerySet[Thread], user: User) -> QuerySet[Thread]:
    threads = threads.filter(listed_for(user))
    return with_read_position(threads.select_related("space", "author", "state"), user)


def space_threads(
    user: User,
    space: Space,
    *,
    kind: str = "",
    status: str = "",
    like_my_municipality: bool = False,
) -> QuerySet[Thread]:
    threads = Thread.objects.filter(space=space)
    if kind:
        threads = threads.filter(kind=kind)
    if status:
        threads = threads.filter(status=status)
    if like_my_municipality:
        threads = threads.filter(like_mine(user))
    return _list(threads, user).order_by("-is_pinned", "-last_post_at")


def new_threads(user: User) -> QuerySet[Thread]:
    """Threads started recently that the member has not opened yet ("Neu")."""
    since = timezone.now() - timedelta(days=NEW_THREAD_DAYS)
    threads = Thread.objects.filter(
        space__in=visible_spaces(user), created_at__gte=since
    ).exclude(read_positions__user=user)
    return _list(without_muted(threads, user), user).order_by("-created_at")


def unread_threads(user: User) -> QuerySet[Thread]:
    """Threads the member has read before and that have new posts ("Ungelesen")."""
    threads = Thread.objects.filter(space__in=visible_spaces(user))
    return (
        _list(without_muted(threads, user), user)
        .filter(read_position__gte=0)
        .filter(read_position__lt=F("last_position"))
        .order_by("-last_post_at")
    )


NAMES_SHOWN = 10


def who_reacted(names: list[str]) -> str:
    """ "Anna Beispiel, Bernd Kollege", the first few and how many more."""
    if len(names) <= NAMES_SHOWN:
        return ", ".join(names)
    more = len(names) - NAMES_SHOWN
    return ngettext(
        "%(names)s and %(count)d more", "%(names)s and %(count)d more", more
    ) % {"names": ", ".join(names[:NAMES_SHOWN]), "count": more}


def thread_page(
    thread: Thread, user: User, number: int, *, moderator: bool = False
) -> list[Post]:
    """One page of posts with authors, attachments and reactions, in 3 queries.

    The number of queries does not grow with the page size or thread length.
    Posts waiting for approval are left out for everyone but their author and
    the moderators (`moderator`: does `user` moderate the thread's space);
    `post.shows_text` says whether the reader gets the text or a placeholder.
    """
    first = (number - 1) * POSTS_PER_PAGE + 1
    shown = Post.objects.filter(
        thread=thread, position__gte=first, position__lt=first + POSTS_PER_PAGE
    )
    if not moderator:
        shown = shown.filter(~Q(visibility=Visibility.PENDING) | Q(author=user))
    posts = list(
        shown.select_related(
            "author__municipality__district__state", "author__district__state"
        )
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("pk")),
        )
        .order_by("position")
    )
    # Who reacted how, oldest first: the buttons name them (one query; a
    # page has a few reactions per post, never thousands).
    reactors: dict[int, dict[str, list[str]]] = {}
    given: dict[int, set[str]] = {}
    reactions = (
        Reaction.objects.filter(post__in=[p.pk for p in posts])
        .order_by("pk")
        .values_list("post_id", "kind", "user_id", "user__name", "user__deleted_at")
    )
    for post_id, kind, user_id, name, deleted_at in reactions:
        reactors.setdefault(post_id, {}).setdefault(kind, []).append(
            gettext("Former member") if deleted_at else name
        )
        if user_id == user.pk:
            given.setdefault(post_id, set()).add(kind)
    kinds = [(kind.value, str(kind.label)) for kind in ReactionKind]
    for post in posts:
        post.thread = thread  # every post of the page shares the loaded thread
        post.shows_text = can_see_text(user, post, moderator=moderator)
        post.is_visible = post.visibility == Visibility.VISIBLE
        mine, named = given.get(post.pk, set()), reactors.get(post.pk, {})
        # (kind, label, count, css, given by the reader, who), for the template.
        post.reaction_rows = [
            (
                kind,
                label,
                len(named.get(kind, ())),
                "reaction reaction-given" if kind in mine else "reaction",
                "true" if kind in mine else "false",
                who_reacted(named.get(kind, [])),
            )
            for kind, label in kinds
        ]
        post.is_solution = post.pk == thread.solution_id
        post.is_article = post.position == 1 and thread.kind == ThreadKind.KNOWLEDGE
    return posts


def last_article_edit(thread: Thread) -> PostRevision | None:
    """The latest version of a Wissen article after the first (who edited it
    last, when, and their summary), or None if nobody edited it. One query."""
    return (
        PostRevision.objects.filter(post__thread=thread, post__position=1, number__gt=1)
        .select_related("editor")
        .order_by("-number")
        .first()
    )


def read_position(user: User, thread: Thread) -> int | None:
    """How far `user` has read `thread`; None if they never opened it."""
    found = ReadPosition.objects.filter(user=user, thread=thread).values_list(
        "position", flat=True
    )
    return next(iter(found), None)


def page_of_first_unread(thread: Thread, position: int) -> int:
    first_unread = min(position + 1, max(thread.last_position, 1))
    return (first_unread - 1) // POSTS_PER_PAGE + 1


def is_following(
    user: User, *, thread: Thread | None = None, space: Space | None = None
) -> bool:
    return follow_level(user, thread=thread, space=space) == FollowLevel.WATCHING


def follow_level(
    user: User, *, thread: Thread | None = None, space: Space | None = None
) -> str:
    """Watching, muted, or normal (no row)."""
    found = Follow.objects.filter(user=user, thread=thread, space=space)
    return next(iter(found.values_list("level", flat=True)), FollowLevel.NORMAL)
