"""Forum search as members use it: their visible spaces, the page's filters,
one result per thread (its best post shown)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.core.cache import cache
from django.db.models import QuerySet

from accounts.models import State
from community.models import Space
from community.textsearch import WORD, day_range, suggest
from forum import fulltext
from forum.models import Post, Thread
from moderation.models import Visibility

# Posts ranked before grouping: enough for a page of threads with their best.
RANKED_POSTS = 300
THREAD_RESULTS = 50
SORTS = ("relevance", "newest", "oldest")


@dataclass
class ThreadHit:
    """A thread the query finds: its best post, and how many posts match."""

    thread: Thread
    best: fulltext.Hit
    matches: int = 1
    latest: datetime | None = None


def search_forum(
    spaces: QuerySet[Space],
    query: str,
    *,
    space: Space | None = None,
    kind: str = "",
    status: str = "",
    state: State | None = None,
    author: str = "",
    since: date | None = None,
    until: date | None = None,
    sort: str = "relevance",
) -> list[ThreadHit]:
    """Visible posts of visible threads in `spaces` (those the member sees)
    matching `query` and filters, grouped by thread, best threads first (or
    newest / oldest by their latest matching post). Pending, hidden and
    removed content is never found, not even by its author or the moderators
    (the queue is theirs)."""
    posts = Post.objects.filter(
        thread__space__in=spaces,
        visibility=Visibility.VISIBLE,
        thread__visibility=Visibility.VISIBLE,
    ).select_related("thread__space", "author")
    if space:
        posts = posts.filter(thread__space=space)
    if kind:
        posts = posts.filter(thread__kind=kind)
    if status:
        posts = posts.filter(thread__status=status)
    if state:
        posts = posts.filter(thread__state=state)
    if author:
        posts = posts.filter(author__name__icontains=author, author__is_active=True)
    start, end = day_range(since, until)
    if start:
        posts = posts.filter(created_at__gte=start)
    if end:
        posts = posts.filter(created_at__lt=end)
    threads: dict[int, ThreadHit] = {}
    for hit in fulltext.search_posts(posts, query, limit=RANKED_POSTS):
        post = hit.post
        found = threads.get(post.thread_id)
        if found is None:
            threads[post.thread_id] = ThreadHit(
                post.thread, hit, latest=post.created_at
            )
            continue
        found.matches += 1
        found.latest = max(found.latest, post.created_at)
    results = list(threads.values())
    if sort == "newest":
        results.sort(key=lambda r: r.latest, reverse=True)
    elif sort == "oldest":
        results.sort(key=lambda r: r.latest)
    return results[:THREAD_RESULTS]


VOCABULARY_SECONDS = 600


def title_words(spaces: QuerySet[Space]) -> list[str]:
    """The words of the visible threads' titles: what "Meinten Sie …" offers
    (cached for ten minutes; titles change rarely)."""
    ids = sorted(spaces.values_list("pk", flat=True))
    key = "forum:title-words:" + ",".join(map(str, ids))
    words = cache.get(key)
    if words is None:
        titles = Thread.objects.filter(
            space__in=ids, visibility=Visibility.VISIBLE
        ).values_list("title", flat=True)[:20_000]
        words = sorted({word for title in titles for word in WORD.findall(title)})
        cache.set(key, words, VOCABULARY_SECONDS)
    return words


def did_you_mean(spaces: QuerySet[Space], query: str) -> str | None:
    """A corrected query ("Bürgerbus" for "Bürgerbsu"), or None."""
    return suggest(query, title_words(spaces))
