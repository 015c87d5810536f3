"""Who may see or do what in the forum. Views and consumers share these; who
may see a space is community's (`community.permissions`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from community.models import Space
from community.permissions import can_moderate_space, can_view_space, is_member
from forum.models import Attachment, Post, PostRevision, Thread, ThreadKind
from moderation.models import Visibility
from moderation.permissions import is_moderator


def can_see_thread(
    user: User, thread: Thread, *, moderator: bool | None = None
) -> bool:
    """A thread waiting for approval is its author's and the moderators' only.

    Hidden and removed threads stay reachable: others get the placeholder.
    Pass `moderator` when it is already known.
    """
    if thread.visibility != Visibility.PENDING:
        return True
    if thread.author_id == user.pk:
        return True
    if moderator is None:
        moderator = can_moderate_space(user, thread.space)
    return moderator


def can_see_text(user: User, content: Post | Thread, *, moderator: bool) -> bool:
    """May `user` read the text of a post (or the title of a thread)?

    Visible text is everyone's; pending and hidden text only its author's and
    the moderators'; removed text is gone for everyone.
    """
    if content.visibility == Visibility.VISIBLE:
        return True
    if content.visibility == Visibility.REMOVED:
        return False
    return moderator or content.author_id == user.pk


def can_view_post(user: User, post: Post) -> bool:
    """Can `user` see `post` as content (to read or report it), not a placeholder?

    The registry's `can_view`: pending posts are their author's and the
    moderators'; hidden and removed ones are only a placeholder for others.
    """
    thread = post.thread
    if not can_view_space(user, thread.space):
        return False
    if post.visibility == Visibility.VISIBLE and thread.visibility in (
        Visibility.VISIBLE,
        Visibility.PENDING,
    ):
        return can_see_thread(user, thread)
    if post.author_id == user.pk and post.visibility != Visibility.REMOVED:
        return True
    return can_moderate_space(user, thread.space)


def can_view_thread(user: User, thread: Thread) -> bool:
    """The registry's `can_view` for threads (see `can_view_post`)."""
    if not can_view_space(user, thread.space):
        return False
    if thread.visibility == Visibility.VISIBLE:
        return True
    if thread.author_id == user.pk and thread.visibility != Visibility.REMOVED:
        return True
    return can_moderate_space(user, thread.space)


def access_thread(
    user: User, thread_id: int, *, threads: QuerySet[Thread] | None = None
) -> Thread:
    """The thread, if `user` may see it, from `threads` (by default with its
    space, author and Land; the thread page fetches the reader's position
    with it instead)."""
    if threads is None:
        threads = Thread.objects.select_related("space", "author", "state")
    thread = get_object_or_404(threads, pk=thread_id)
    if not can_view_space(user, thread.space):
        raise Http404
    if not can_see_thread(user, thread):
        raise Http404
    return thread


# What forum notifications are about (community.notification_targets).
THREAD_TARGET = "forum.thread"
POST_TARGET = "forum.post"


def load_thread_target(thread_id: int) -> Thread | None:
    return Thread.objects.select_related("space").filter(pk=thread_id).first()


def can_view_thread_target(user: User, thread: Thread) -> bool:
    """A thread's notifications: as `access_thread` decides."""
    return can_view_space(user, thread.space) and can_see_thread(user, thread)


def load_post_target(post_id: int) -> Post | None:
    return Post.objects.select_related("thread__space").filter(pk=post_id).first()


def visible_thread_ids(user_id: int, thread_ids: list[int]) -> set[int]:
    """Which of these threads the member may see now (as `access_thread`
    decides), with the member's row read fresh."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return set()
    threads = Thread.objects.select_related("space").filter(pk__in=thread_ids)
    return {
        thread.pk
        for thread in threads
        if can_view_space(user, thread.space) and can_see_thread(user, thread)
    }


def access_post(user: User, post_id: int) -> Post:
    """A post whose place the member may see: pending posts of others are 404,
    hidden and removed ones are found (the page shows their placeholder)."""
    post = get_object_or_404(
        Post.objects.select_related("thread__space", "thread__author", "author"),
        pk=post_id,
    )
    thread = post.thread
    if not can_view_space(user, thread.space) or not can_see_thread(user, thread):
        raise Http404
    others_pending = post.visibility == Visibility.PENDING and post.author_id != user.pk
    if others_pending and not can_moderate_space(user, thread.space):
        raise Http404
    return post


def access_revision(user: User, post: Post, number: int) -> PostRevision:
    check_can_edit_post(user, post)
    return get_object_or_404(post.revisions.select_related("editor"), number=number)


def access_attachment(user: User, attachment_id: int) -> Attachment:
    attachment = get_object_or_404(
        Attachment.objects.select_related("post__thread__space"), pk=attachment_id
    )
    post = attachment.post
    if not can_view_space(user, post.thread.space):
        raise Http404
    moderator = None
    if post.visibility != Visibility.VISIBLE or (
        post.thread.visibility != Visibility.VISIBLE
    ):
        moderator = can_moderate_space(user, post.thread.space)
        # Attachments belong to the text: hidden with it.
        if not can_see_text(user, post, moderator=moderator):
            raise Http404
        if not can_see_text(user, post.thread, moderator=moderator):
            raise Http404
    return attachment


def moderates_thread(user: User, thread: Thread) -> bool:
    """Does `user` moderate the thread's space? Members who moderate nothing
    (most readers) are answered from the cached flag, without a query."""
    return is_moderator(user) and can_moderate_space(user, thread.space)


def check_can_start_thread(user: User, space: Space) -> None:
    if not can_view_space(user, space):
        raise Http404


def can_reply(user: User, thread: Thread, *, moderator: bool) -> bool:
    """Closed: nobody replies. Locked: moderators only. Hidden: nobody but
    moderators (a reply under a placeholder would make no sense)."""
    if thread.is_closed:
        return False
    if moderator:
        return True
    return not thread.is_locked and thread.visibility in (
        Visibility.VISIBLE,
        Visibility.PENDING,
    )


def check_can_post(user: User, thread: Thread) -> None:
    if not can_view_space(user, thread.space):
        raise Http404
    if not can_see_thread(user, thread):
        raise Http404
    moderator = can_moderate_space(user, thread.space)
    if not can_reply(user, thread, moderator=moderator):
        raise PermissionDenied


def check_can_react(user: User, post: Post) -> None:
    """Reactions belong to visible posts of open threads."""
    if not can_view_space(user, post.thread.space):
        raise Http404
    if post.thread.is_closed or post.visibility != Visibility.VISIBLE:
        raise PermissionDenied


def check_can_moderate_thread(user: User, thread: Thread) -> None:
    """The thread tools (lock, pin, close, move, split, slow mode)."""
    if not can_view_space(user, thread.space):
        raise Http404
    if not can_moderate_space(user, thread.space):
        raise PermissionDenied


def check_can_move_thread(user: User, thread: Thread, target: Space) -> None:
    """Moving needs the right to moderate both spaces."""
    check_can_moderate_thread(user, thread)
    if not can_moderate_space(user, target):
        raise PermissionDenied


def can_edit_post(user: User, post: Post, *, moderator: bool | None = None) -> bool:
    """Authors edit their posts; any member of the space edits a Wissen article.

    Pass `moderator` when it is already known (a page of posts asks once).
    """
    if not is_member(user):
        return False
    if post.thread.is_closed or post.visibility == Visibility.REMOVED:
        return False
    if moderator is None:
        moderator = can_moderate_space(user, post.thread.space)
    if moderator:
        return True
    if post.thread.is_locked or post.visibility == Visibility.HIDDEN:
        return False
    if post.author_id == user.pk:
        return True
    return post.thread.kind == ThreadKind.KNOWLEDGE and post.position == 1


def check_can_edit_post(user: User, post: Post) -> None:
    if not can_view_space(user, post.thread.space):
        raise Http404
    if not can_edit_post(user, post):
        raise PermissionDenied


def can_change_status(
    user: User, thread: Thread, *, moderator: bool | None = None
) -> bool:
    """The author of an offer or seek (or a moderator) moves its status on."""
    if not thread.is_matchable:
        return False
    if thread.author_id == user.pk:
        return True
    if moderator is None:
        moderator = can_moderate_space(user, thread.space)
    return moderator


def check_can_change_status(user: User, thread: Thread) -> None:
    if not can_change_status(user, thread):
        raise PermissionDenied


def can_mark_solution(
    user: User, thread: Thread, *, moderator: bool | None = None
) -> bool:
    if thread.kind != ThreadKind.SEEK:
        return False
    if thread.author_id == user.pk:
        return True
    if moderator is None:
        moderator = can_moderate_space(user, thread.space)
    return moderator


def check_can_mark_solution(user: User, post: Post) -> None:
    if not can_mark_solution(user, post.thread):
        raise PermissionDenied
    if post.position == 1:
        # The question itself cannot be its own answer.
        raise PermissionDenied
