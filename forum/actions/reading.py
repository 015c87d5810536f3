"""Reactions and read positions: the small, frequent writes."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from accounts.models import User
from forum.cards import posts_changed
from forum.models import Post, Reaction, ReactionKind, ReadPosition, Thread
from forum.permissions import check_can_react
from realtime import groups
from realtime.publish import publish_on_commit


@transaction.atomic
def toggle_reaction(user: User, post: Post, *, kind: str) -> bool:
    """Add the reaction, or take it back if already given; returns whether on.

    Raises PermissionDenied in a closed thread or on a post that is not visible.
    """
    if kind not in ReactionKind.values:
        raise ValueError(kind)
    check_can_react(user, post)
    deleted, _ = Reaction.objects.filter(post=post, user=user, kind=kind).delete()
    if not deleted:
        try:
            with transaction.atomic():
                Reaction.objects.create(post=post, user=user, kind=kind)
        except IntegrityError:  # a double click raced us; it is on either way
            pass
    # The buttons name who reacted: the post's cached actions are renewed.
    posts_changed(Post.objects.filter(pk=post.pk))
    publish_on_commit(
        {"type": "forum.post", "op": "reactions", "thread": post.thread_id,
         "post": post.pk},
        to=[groups.forum_thread(post.thread_id)],
    )  # fmt: skip
    return not deleted


def mark_read(
    user: User, thread: Thread, position: int, *, known: int | None = None
) -> bool:
    """Move the member's read position forward (never back).

    `known` is the position the caller already read from the database (None:
    no row yet); it spares the page view a query when nothing changes.
    """
    position = min(position, thread.last_position)
    if known is not None and position <= known:
        return False
    updated = ReadPosition.objects.filter(
        user=user, thread=thread, position__lt=position
    ).update(position=position)
    if updated:
        return True
    _, created = ReadPosition.objects.get_or_create(
        user=user, thread=thread, defaults={"position": position}
    )
    return created
