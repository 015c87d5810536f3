"""Forum search as members use it: their visible spaces, the page's filters."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import State
from community.models import Space
from forum import fulltext
from forum.models import Post
from moderation.models import Visibility


def search_forum(
    spaces: QuerySet[Space],
    query: str,
    *,
    space: Space | None = None,
    kind: str = "",
    status: str = "",
    state: State | None = None,
) -> list[fulltext.Hit]:
    """Visible posts of visible threads in `spaces` (those the member sees)
    matching `query` and filters. Pending, hidden and removed content is never
    found, not even by its author or the moderators (the queue is theirs)."""
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
    return fulltext.search_posts(posts, query)
