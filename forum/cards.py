"""The posts of a thread page, rendered once and then served from the cache.

A post's **card** (author, time, badges, the text or its placeholder, the
attachments) looks the same to every reader. Its **actions** (reaction
buttons with their counts, quote, edit, versions, solution, report) depend on
the reader only through a few flags. Both are rendered from their templates
when missing and cached under a key made of everything they show:

- the post's `display_version`, which every action that changes what the post
  shows raises in its transaction (`posts_changed`), and the author's
  `User.display_version` (name, affiliation, deleted), raised by accounts;
- the language and time zone, and a digest of the two templates;
- for the actions: the reader's flags, the reaction counts and which
  reactions the reader gave.

So a change never serves a stale card: it makes a new key, and the old entry
ages out. A page whose cards are cached costs one `get_many` and no template
work per post (Zulip's message cache is the pattern: versions bumped by the one
write path, the actions).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import F, QuerySet
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from accounts.models import User
from forum.models import Post, ReactionKind, Thread, ThreadKind
from forum.permissions import can_edit_post, can_see_text
from forum.queries import threads as thread_queries
from forum.queries.threads import who_reacted
from moderation.models import Visibility

CARD_TEMPLATE = "forum/partials/post_card.html"
ACTIONS_TEMPLATE = "forum/partials/post_actions.html"
# Every template a card is made of: their text is part of every key.
TEMPLATES = (
    CARD_TEMPLATE,
    ACTIONS_TEMPLATE,
    "forum/partials/visibility_badge.html",
    "forum/partials/attachment_list.html",
)
# Raise when what the templates receive changes in a way their text does not
# show (their text is part of every key already).
CARD_FORMAT = 1
# Cards of old threads are rarely read again: let them age out of the cache.
CARD_SECONDS = 7 * 24 * 3600


def posts_changed(posts: QuerySet[Post]) -> int:
    """Every action that changes what a post shows calls this in its
    transaction: the post's cached card and actions are keyed by the version."""
    return posts.update(display_version=F("display_version") + 1)


@dataclass(frozen=True, slots=True)
class PagePost:
    """One post of a thread page, as the template shows it to this reader."""

    pk: int
    position: int
    visibility: str
    is_visible: bool
    is_solution: bool
    is_first_new: bool
    # The reader's own post waits for approval: they are told so.
    is_own_pending: bool
    card: SafeString
    actions: SafeString


@dataclass(frozen=True, slots=True)
class _Reader:
    """What the page knows about its reader, asked once per page."""

    user: User
    thread: Thread
    moderator: bool
    can_reply: bool
    can_mark_solution: bool


@dataclass(frozen=True, slots=True)
class _Shape:
    """A post as the reader sees it: the keys of its card and actions and the
    flags the templates need."""

    card_key: str
    actions_key: str
    shows_text: bool
    is_solution: bool
    flags: dict[str, bool]
    reactions: tuple[tuple[str, int, bool], ...]


def _format_key() -> str:
    """Language, time zone and the templates' digest: what every key shares.
    A changed template (a deployment, an edit while developing) is a new key."""
    digest = hashlib.blake2b(digest_size=6)
    for name in TEMPLATES:
        digest.update(get_template(name).template.source.encode())
    language = translation.get_language() or ""
    zone = timezone.get_current_timezone_name()
    return f"{CARD_FORMAT}.{digest.hexdigest()}:{language}:{zone}"


def _shape(post: Post, author_version: int, reader: _Reader, prefix: str) -> _Shape:
    """`post` carries `reaction_counts` and `reactions_given` (page_entries)."""
    thread = reader.thread
    shows_text = can_see_text(reader.user, post, moderator=reader.moderator)
    visible = post.visibility == Visibility.VISIBLE
    is_solution = post.pk == thread.solution_id
    flags = {
        "reactions": visible and not thread.is_closed,
        "quote": reader.can_reply and visible,
        "edit": can_edit_post(reader.user, post, moderator=reader.moderator),
        "article": post.position == 1 and thread.kind == ThreadKind.KNOWLEDGE,
        "shows_text": shows_text,
        "solution": reader.can_mark_solution and post.position > 1 and visible,
        "is_solution": is_solution,
        "report": visible and post.author_id != reader.user.pk,
    }
    counted, given = post.reaction_counts, post.reactions_given
    reactions = tuple(
        (kind, counted.get(kind, 0), kind in given) for kind in ReactionKind.values
    )
    versions = f"{post.pk}:{post.display_version}:{author_version}"
    bits = "".join("1" if on else "0" for on in flags.values())
    counts = ".".join(f"{count}{'+' if mine else ''}" for _, count, mine in reactions)
    return _Shape(
        card_key=f"forum.card:{prefix}:{versions}:{int(shows_text)}{int(is_solution)}",
        actions_key=f"forum.actions:{prefix}:{versions}:{bits}:{counts}",
        shows_text=shows_text,
        is_solution=is_solution,
        flags=flags,
        reactions=reactions,
    )


def _links() -> dict[str, str]:
    """URL prefixes and labels the templates share: one reverse() per render."""
    return {
        "post_base": reverse("forum:post", args=[1]).removesuffix("1/"),
        "member_base": reverse("accounts:profile", args=[1]).removesuffix("1/"),
        "report_base": reverse("moderation:report", args=["post", 1]).removesuffix(
            "1/"
        ),
        "link_title": _("Link to this post"),
    }


def _render_card(post: Post, shape: _Shape, links: dict[str, str]) -> str:
    return render_to_string(
        CARD_TEMPLATE,
        {
            "post": post,
            "shows_text": shape.shows_text,
            "is_solution": shape.is_solution,
            **links,
        },
    )


def _render_actions(
    post: Post, shape: _Shape, links: dict[str, str], reactors: dict[str, list[str]]
) -> str:
    labels = dict(ReactionKind.choices)
    buttons = [
        (kind, labels[kind], count, mine, who_reacted(reactors.get(kind, [])))
        for kind, count, mine in shape.reactions
    ]
    return render_to_string(
        ACTIONS_TEMPLATE,
        {
            "post": post,
            **shape.flags,
            "reaction_buttons": buttons if shape.flags["reactions"] else [],
            **links,
        },
    )


@dataclass(frozen=True, slots=True)
class ThreadPage:
    """A page of a thread for one reader: its posts, how far the reader had
    read before this visit (None: never opened), how they follow it and
    their reply draft (None: none)."""

    posts: list[PagePost]
    read_position: int | None
    follow_level: str
    draft: str | None


def thread_page(
    reader: User,
    thread: Thread,
    number: int,
    *,
    moderator: bool,
    can_reply: bool,
    can_mark_solution: bool,
) -> ThreadPage:
    """Page `number` of `thread` as `reader` sees it (see the module's doc).

    Warm: one query (where the reader stands, the posts' ids, versions and
    reactions) and one cache round trip. Cards or actions missing from the
    cache add two queries (their posts in full, the attachments), whatever
    their number. The "new since your last visit" divider goes before the
    first post after the reader's read position.
    """
    who = _Reader(reader, thread, moderator, can_reply, can_mark_solution)
    rows = thread_queries.thread_page_rows(thread, reader, number, moderator=moderator)
    prefix = _format_key()
    shapes = {
        post.pk: _shape(post, post.author_version, who, prefix) for post in rows.posts
    }
    keys = [k for s in shapes.values() for k in (s.card_key, s.actions_key)]
    found = cache.get_many(keys)
    missing = [
        pk
        for pk, shape in shapes.items()
        if shape.card_key not in found or shape.actions_key not in found
    ]
    if missing:
        by_pk = {post.pk: post for post in rows.posts}
        found.update(_render_missing(missing, shapes, found, who, by_pk, prefix))
    read_before = rows.read_position
    posts = []
    for post in rows.posts:
        shape = shapes[post.pk]
        if shape.card_key not in found or shape.actions_key not in found:
            continue  # moved away meanwhile (a split): the next visit settles
        posts.append(
            PagePost(
                pk=post.pk,
                position=post.position,
                visibility=post.visibility,
                is_visible=post.visibility == Visibility.VISIBLE,
                is_solution=shape.is_solution,
                is_first_new=bool(read_before) and post.position == read_before + 1,
                is_own_pending=post.visibility == Visibility.PENDING
                and post.author_id == reader.pk,
                card=mark_safe(found[shape.card_key]),  # noqa: S308 (our templates)
                actions=mark_safe(found[shape.actions_key]),  # noqa: S308
            )
        )
    return ThreadPage(posts, read_before, rows.follow_level, rows.draft)


def _render_missing(
    missing: Sequence[int],
    shapes: dict[int, _Shape],
    found: dict[str, str],
    reader: _Reader,
    entries: dict[int, Post],
    prefix: str,
) -> dict[str, str]:
    """Render what the cache lacks from the posts' current rows and store it.

    The rows may be newer than the ids and versions read before them: the
    keys are made again from the rows, so that what is stored always matches
    its key; this page shows the newer state under the keys it looked up.
    """
    cards_missing = {pk for pk in missing if shapes[pk].card_key not in found}
    # Actions need the row (revision count, the author's name), not its files.
    rows = thread_queries.posts_to_render(missing, attachments=bool(cards_missing))
    # Who reacted, for the actions to render of posts that have reactions.
    reactors = thread_queries.reactor_names(
        [
            pk
            for pk in missing
            if shapes[pk].actions_key not in found and entries[pk].reaction_counts
        ]
    )
    links = _links()
    rendered: dict[str, str] = {}
    stored: dict[str, str] = {}
    for pk in missing:
        post = rows.get(pk)
        if post is None:
            continue
        post.thread = reader.thread
        # The reactions as counted with the page's ids and versions.
        post.reaction_counts = entries[pk].reaction_counts
        post.reactions_given = entries[pk].reactions_given
        shape = _shape(post, post.author.display_version, reader, prefix)
        looked_up = shapes[pk]
        if pk in cards_missing:
            card = _render_card(post, shape, links)
            stored[shape.card_key] = rendered[looked_up.card_key] = card
        if looked_up.actions_key not in found:
            actions = _render_actions(post, shape, links, reactors.get(pk, {}))
            stored[shape.actions_key] = rendered[looked_up.actions_key] = actions
    if stored:
        cache.set_many(stored, CARD_SECONDS)
    return rendered
