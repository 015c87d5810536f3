"""Who may see or do what in the forum. Views, consumers and chat share these."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from forum.models import Attachment, Post, PostRevision, Space, Thread, ThreadKind


def is_member(user: User) -> bool:
    return user.is_authenticated and user.is_active


def can_view_space(user: User, space: Space) -> bool:
    """Open spaces are for every member; restricted ones for their list."""
    if not is_member(user):
        return False
    if user.is_staff:
        return True
    if not space.is_restricted:
        return True
    return Space.objects.filter(
        Q(members=user) | Q(moderators=user), pk=space.pk
    ).exists()


def can_moderate_space(user: User, space: Space) -> bool:
    """The Geschäftsstelle moderates everything; space moderators their space."""
    if not is_member(user):
        return False
    if user.is_staff:
        return True
    return space.moderators.filter(pk=user.pk).exists()


def access_space(user: User, slug: str) -> Space:
    space = get_object_or_404(Space, slug=slug)
    if not can_view_space(user, space):
        # Restricted spaces are not even confirmed to exist.
        raise Http404
    return space


def access_thread(user: User, thread_id: int) -> Thread:
    thread = get_object_or_404(
        Thread.objects.select_related("space", "author", "state", "solution"),
        pk=thread_id,
    )
    if not can_view_space(user, thread.space):
        raise Http404
    return thread


def access_post(user: User, post_id: int) -> Post:
    post = get_object_or_404(
        Post.objects.select_related("thread__space", "author"), pk=post_id
    )
    if not can_view_space(user, post.thread.space):
        raise Http404
    return post


def access_revision(user: User, post: Post, number: int) -> PostRevision:
    check_can_edit_post(user, post)
    return get_object_or_404(post.revisions.select_related("editor"), number=number)


def access_attachment(user: User, attachment_id: int) -> Attachment:
    attachment = get_object_or_404(
        Attachment.objects.select_related("post__thread__space"), pk=attachment_id
    )
    if not can_view_space(user, attachment.post.thread.space):
        raise Http404
    return attachment


def check_can_start_thread(user: User, space: Space) -> None:
    if not can_view_space(user, space):
        raise Http404


def check_can_post(user: User, thread: Thread) -> None:
    if not can_view_space(user, thread.space):
        raise Http404
    if thread.is_locked and not can_moderate_space(user, thread.space):
        raise PermissionDenied


def can_edit_post(user: User, post: Post, *, moderator: bool | None = None) -> bool:
    """Authors edit their posts; any member of the space edits a Wissen article.

    Pass `moderator` when it is already known (a page of posts asks once).
    """
    if not is_member(user):
        return False
    if moderator is None:
        moderator = can_moderate_space(user, post.thread.space)
    if moderator:
        return True
    if post.thread.is_locked:
        return False
    if post.author_id == user.pk:
        return True
    return post.thread.kind == ThreadKind.KNOWLEDGE and post.position == 1


def check_can_edit_post(user: User, post: Post) -> None:
    if not can_view_space(user, post.thread.space):
        raise Http404
    if not can_edit_post(user, post):
        raise PermissionDenied


def can_change_status(user: User, thread: Thread) -> bool:
    """The author of an offer or seek (or a moderator) moves its status on."""
    if not thread.is_matchable:
        return False
    return thread.author_id == user.pk or can_moderate_space(user, thread.space)


def check_can_change_status(user: User, thread: Thread) -> None:
    if not can_change_status(user, thread):
        raise PermissionDenied


def can_mark_solution(user: User, thread: Thread) -> bool:
    if thread.kind != ThreadKind.SEEK:
        return False
    return thread.author_id == user.pk or can_moderate_space(user, thread.space)


def check_can_mark_solution(user: User, post: Post) -> None:
    if not can_mark_solution(user, post.thread):
        raise PermissionDenied
    if post.position == 1:
        # The question itself cannot be its own answer.
        raise PermissionDenied
