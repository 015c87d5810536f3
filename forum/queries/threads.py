"""Thread lists and thread pages, N+1-safe and with the reader's position."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection
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
from community.models import Draft, Space
from community.queries.spaces import visible_spaces
from forum.models import (
    POSTS_PER_PAGE,
    Attachment,
    Follow,
    FollowLevel,
    Post,
    PostRevision,
    Reaction,
    ReadPosition,
    Thread,
)
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


def reactor_names(post_ids: list[int]) -> dict[int, dict[str, list[str]]]:
    """Who reacted how to each of `post_ids`, oldest first, for the buttons
    (forum/cards.py asks only for the posts whose actions it renders). One
    query; a post has a few reactions, never thousands."""
    if not post_ids:
        return {}
    found: dict[int, dict[str, list[str]]] = {}
    reactions = (
        Reaction.objects.filter(post__in=post_ids)
        .order_by("pk")
        .values_list("post_id", "kind", "user__name", "user__deleted_at")
    )
    for post_id, kind, name, deleted_at in reactions:
        found.setdefault(post_id, {}).setdefault(kind, []).append(
            gettext("Former member") if deleted_at else name
        )
    return found


def threads_to_read() -> QuerySet[Thread]:
    """Threads with what their page shows besides the posts: the space and
    the Land (not the author, which the page does not name)."""
    return Thread.objects.select_related("space", "state")


@functools.cache
def _thread_page_sql() -> str:
    """SQL of `thread_page_rows`: the reader's position, follow level and
    reply draft (community.Draft at `draft_place`), then one
    row per post of the page and kind of reaction given to it (kind NULL:
    none) with the counts; a page without posts still returns the reader.

    Written out rather than built by the ORM: it runs on every thread page,
    and building and compiling the equivalent querysets took 1.5 ms of CPU
    where running this takes 0.1 ms (`python -m bench.thread_page`). Plain
    SQL that SQLite and PostgreSQL both run; the names come from the models.
    """
    post, member, reaction, read, follow, draft = (
        model._meta.db_table
        for model in (Post, User, Reaction, ReadPosition, Follow, Draft)
    )
    # Only table names go into the text; every value is a parameter.
    return f"""
        SELECT me.position, me.follow_level,
               p.id, p.position, p.author_id, p.visibility, p.display_version,
               a.display_version, r.kind, COUNT(r.id),
               SUM(CASE WHEN r.user_id = %(user)s THEN 1 ELSE 0 END),
               me.draft
        FROM (
            SELECT (SELECT position FROM {read}
                    WHERE user_id = %(user)s AND thread_id = %(thread)s) AS position,
                   (SELECT level FROM {follow}
                    WHERE user_id = %(user)s AND thread_id = %(thread)s)
                   AS follow_level,
                   (SELECT text FROM {draft}
                    WHERE user_id = %(user)s AND place = %(draft_place)s) AS draft
        ) me
        LEFT JOIN {post} p ON p.thread_id = %(thread)s
            AND p.position >= %(first)s AND p.position < %(after)s
            AND (%(moderator)s OR p.visibility <> %(pending)s
                 OR p.author_id = %(user)s)
        LEFT JOIN {member} a ON a.id = p.author_id
        LEFT JOIN {reaction} r ON r.post_id = p.id
        GROUP BY me.position, me.follow_level, me.draft, p.id, p.position, p.author_id,
                 p.visibility, p.display_version, a.display_version, r.kind
        ORDER BY p.position
    """  # noqa: S608


_ENTRY_FIELDS = ["id", "position", "author_id", "visibility", "display_version"]


@dataclass(frozen=True)
class PageRows:
    """A thread page as stored, for one reader: the posts, slim (see
    `thread_page_rows`), how far the reader had read (None: never opened)
    how they follow the thread (FollowLevel) and their reply draft's text
    (None: no draft)."""

    posts: list[Post]
    read_position: int | None
    follow_level: str
    draft: str | None = None


def reply_draft_place(thread_id: int) -> str:
    """Where a reply's draft is kept (community.Draft): one per thread."""
    return f"reply:{thread_id}"


def thread_page_rows(
    thread: Thread, user: User, number: int, *, moderator: bool = False
) -> PageRows:
    """Page `number` of `thread` for `user`, in one query: where the reader
    stands, and each post's id, place, author and visibility, the versions
    that key its cached card (`display_version`, and `author_version`, the
    author's), its reactions counted by kind (`reaction_counts`) and the
    kinds `user` gave (`reactions_given`), and their reply draft.
    forum/cards.py renders the cards missing from the cache from
    `posts_to_render`.

    Posts waiting for approval are left out for everyone but their author and
    the moderators (`moderator`: does `user` moderate the thread's space).
    """
    first = (number - 1) * POSTS_PER_PAGE + 1
    params = {
        "user": user.pk,
        "thread": thread.pk,
        "first": first,
        "after": first + POSTS_PER_PAGE,
        "moderator": moderator,
        "pending": Visibility.PENDING.value,
        "draft_place": reply_draft_place(thread.pk),
    }
    with connection.cursor() as cursor:
        cursor.execute(_thread_page_sql(), params)
        rows = cursor.fetchall()
    posts: dict[int, Post] = {}
    for row in rows:
        pk, author_version, kind, count, mine = row[2], *row[7:11]
        if pk is None:
            continue  # no post on this page for this reader
        post = posts.get(pk)
        if post is None:
            post = posts[pk] = Post.from_db(connection.alias, _ENTRY_FIELDS, row[2:7])
            post.thread = thread  # every post of the page shares the loaded thread
            post.author_version = author_version
            post.reaction_counts, post.reactions_given = {}, set()
        if kind is not None:
            post.reaction_counts[kind] = count
            if mine:
                post.reactions_given.add(kind)
    read_position, follow_level = rows[0][:2]
    return PageRows(
        list(posts.values()),
        read_position,
        follow_level or FollowLevel.NORMAL,
        rows[0][11],
    )


def posts_to_render(post_ids: list[int], *, attachments: bool) -> dict[int, Post]:
    """Posts in full with their authors' display data (and, with
    `attachments`, their files), by id: one query, two with attachments."""
    posts = Post.objects.filter(pk__in=post_ids).select_related(
        "author__municipality", "author__district"
    )
    if attachments:
        posts = posts.prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("pk"))
        )
    return {post.pk: post for post in posts}


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
