"""The Wissenssammlung's registry: the apps that hold knowledge plug in here.

The knowledge collection brings together what several apps hold (the forum's
Wissen articles, event materials, published grant results) without the page
that shows it importing any of them. Each app registers a source from its
`AppConfig.ready()`:

    register_source("articles", _("Knowledge article"), search=..., browse=...)

- `browse(viewer, *, topic, limit)` returns up to `limit` items the viewer may
  see, newest first;
- `search(viewer, query, *, topic, limit)` returns up to `limit` items matching
  a websearch-style query (words, "phrases", -exclusions, OR), best first.

Both return `KnowledgeItem`s, so the page shows every item the same way, each
with where it comes from. A source checks visibility itself: it knows its own
rules (restricted spaces, materials for participants only).
Keys are unique; registering a key twice replaces the source (tests, reloads).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class KnowledgeItem:
    """One entry of the collection, whatever app it comes from."""

    title: str
    # The source's key ("articles", "materials"...) and its label for people.
    kind: str
    kind_label: str
    # A value of accounts.models.Topic, or "" when the item has none.
    topic: str
    url: str
    # Where it comes from, for people: "Forum · Mobilität im ländlichen Raum".
    origin: str
    date: datetime
    # Plain text (escaped by the template), or safe HTML with <mark> around
    # the words a search found (`snippet_is_html`).
    snippet: str = ""
    snippet_is_html: bool = False


class Browse(Protocol):
    def __call__(
        self, viewer: User, *, topic: str, limit: int
    ) -> list[KnowledgeItem]: ...


class Search(Protocol):
    def __call__(
        self, viewer: User, query: str, *, topic: str, limit: int
    ) -> list[KnowledgeItem]: ...


@dataclass(frozen=True)
class KnowledgeSource:
    key: str
    label: str
    search: Search
    browse: Browse


_sources: dict[str, KnowledgeSource] = {}


def register_source(
    key: str,
    label: str,
    *,
    search: Search | Callable[..., list[KnowledgeItem]],
    browse: Browse | Callable[..., list[KnowledgeItem]],
) -> None:
    """Add (or replace) the source `key` of the collection."""
    _sources[key] = KnowledgeSource(key=key, label=label, search=search, browse=browse)


def sources() -> list[KnowledgeSource]:
    """The registered sources, in the order of registration."""
    return list(_sources.values())


def _chosen(kind: str) -> list[KnowledgeSource]:
    if kind:
        return [_sources[kind]] if kind in _sources else []
    return sources()


def browse(
    viewer: User, *, topic: str = "", kind: str = "", limit: int = 30
) -> list[KnowledgeItem]:
    """The newest `limit` items of every (or one) source, newest first."""
    items = [
        item
        for source in _chosen(kind)
        for item in source.browse(viewer, topic=topic, limit=limit)
    ]
    items.sort(key=lambda item: item.date, reverse=True)
    return items[:limit]


def search(
    viewer: User, query: str, *, topic: str = "", kind: str = "", limit: int = 30
) -> list[KnowledgeItem]:
    """Items of every (or one) source matching `query`.

    Each source ranks its own hits; the lists are interleaved (the best of each
    first), so no source's ranking scale has to be compared with another's.
    """
    query = query.strip()[:200]
    if not query:
        return []
    ranked = [
        source.search(viewer, query, topic=topic, limit=limit)
        for source in _chosen(kind)
    ]
    merged: list[KnowledgeItem] = []
    for rank in range(max((len(hits) for hits in ranked), default=0)):
        merged += [hits[rank] for hits in ranked if rank < len(hits)]
    return merged[:limit]
