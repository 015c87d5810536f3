"""The forum's Wissen articles as a source of the Wissenssammlung
(community.knowledge), registered from ForumConfig.ready()."""

from __future__ import annotations

import html

from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from community.knowledge import KnowledgeItem, register_source
from community.queries.spaces import visible_spaces
from forum.models import Post, Thread, ThreadKind
from forum.queries.search import search_forum
from moderation.models import Visibility

KEY = "articles"
LABEL = gettext_lazy("Knowledge article")


def _topic(thread: Thread) -> str:
    # Articles carry no topic of their own: their space's stands for it.
    return thread.topic or thread.space.topic


def _item(thread: Thread, *, snippet: str, is_html: bool) -> KnowledgeItem:
    return KnowledgeItem(
        title=thread.title,
        kind=KEY,
        kind_label=str(LABEL),
        topic=_topic(thread),
        url=reverse("forum:thread", args=[thread.pk]),
        origin=_("Forum · %(space)s") % {"space": thread.space.title},
        date=thread.last_post_at,
        snippet=snippet,
        snippet_is_html=is_html,
    )


def _articles(viewer: User, topic: str):
    articles = Thread.objects.filter(
        kind=ThreadKind.KNOWLEDGE,
        visibility=Visibility.VISIBLE,
        space__in=visible_spaces(viewer),
    ).select_related("space")
    if topic:
        articles = articles.filter(Q(topic=topic) | Q(topic="", space__topic=topic))
    return articles


def _plain(rendered: str) -> str:
    """Stored post HTML as one line of text (the template escapes it again)."""
    return " ".join(html.unescape(strip_tags(rendered.replace("<", " <"))).split())


def browse_articles(viewer: User, *, topic: str, limit: int) -> list[KnowledgeItem]:
    # The rendered opening post, as plain text: no Markdown marks in the list.
    opening = Post.objects.filter(thread=OuterRef("pk"), position=1).values("html")
    articles = _articles(viewer, topic).annotate(opening=Subquery(opening[:1]))
    return [
        _item(
            thread,
            snippet=Truncator(_plain(thread.opening or "")).chars(240),
            is_html=False,
        )
        for thread in articles.order_by("-last_post_at", "-pk")[:limit]
    ]


def search_articles(
    viewer: User, query: str, *, topic: str, limit: int
) -> list[KnowledgeItem]:
    """The forum's own engine (PostgreSQL `german`, FTS5 on SQLite), one item
    per article (the search groups by thread) with its best post's snippet."""
    hits = search_forum(visible_spaces(viewer), query, kind=ThreadKind.KNOWLEDGE)
    items = [
        _item(hit.thread, snippet=hit.best.snippet, is_html=True)
        for hit in hits
        if not topic or _topic(hit.thread) == topic
    ]
    return items[:limit]


def register() -> None:
    register_source(KEY, LABEL, search=search_articles, browse=browse_articles)
