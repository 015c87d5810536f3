"""Posting, editing and restoring posts."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from forum import markup, search
from forum.actions.notifications import notify
from forum.models import (
    Attachment,
    Follow,
    NotificationKind,
    Post,
    PostRevision,
    Thread,
)
from forum.permissions import check_can_edit_post, check_can_post
from realtime import groups
from realtime.publish import publish_on_commit


def post_event(post: Post, *, op: str) -> dict:
    return {
        "type": "forum.post",
        "op": op,
        "thread": post.thread_id,
        "post": post.pk,
        "position": post.position,
        "url": post.get_absolute_url(),
    }


def _store_attachments(post: Post, files: Sequence[UploadedFile]) -> None:
    for upload in files:
        Attachment.objects.create(
            post=post,
            file=upload,
            original_name=upload.name[:200],
            content_type=upload.content_type or "application/octet-stream",
            size=upload.size,
        )


def _notify_mentions(author: User, post: Post, mentioned: list[User]) -> None:
    from forum.permissions import can_view_space

    # Mentioning someone who cannot see the space must not leak the post.
    audience = [user for user in mentioned if can_view_space(user, post.thread.space)]
    notify(
        audience,
        kind=NotificationKind.MENTION,
        actor=author,
        title=_("%(name)s mentioned you in “%(thread)s”")
        % {"name": author.name, "thread": post.thread.title},
        url=post.get_absolute_url(),
    )


def _notify_followers(author: User, post: Post, already: set[int]) -> None:
    thread = post.thread
    followers = User.objects.filter(
        follows__thread=thread, is_active=True
    ) | User.objects.filter(follows__space_id=thread.space_id, is_active=True)
    recipients = [u for u in followers.distinct() if u.pk not in already]
    notify(
        recipients,
        kind=NotificationKind.REPLY,
        actor=author,
        title=_("%(name)s replied in “%(thread)s”")
        % {"name": author.name, "thread": thread.title},
        url=post.get_absolute_url(),
    )


def create_post(
    author: User,
    thread: Thread,
    *,
    source: str,
    files: Sequence[UploadedFile] = (),
    is_opening: bool = False,
) -> Post:
    """Store a post at the end of `thread` (the caller holds the transaction)."""
    # The thread row lock makes concurrent replies take positions one by one.
    locked = Thread.objects.select_for_update().get(pk=thread.pk)
    position = locked.last_position + 1
    rendered = markup.render(source)
    now = timezone.now()
    post = Post.objects.create(
        thread=thread,
        position=position,
        author=author,
        source=source,
        html=rendered.html,
    )
    PostRevision.objects.create(
        post=post, number=1, editor=author, source=source, title=thread.title
    )
    _store_attachments(post, files)
    Thread.objects.filter(pk=thread.pk).update(last_position=position, last_post_at=now)
    thread.last_position, thread.last_post_at = position, now
    search.index_posts(Post.objects.filter(pk=post.pk))
    Follow.objects.get_or_create(user=author, thread=thread)
    mentioned = {user.pk for user in rendered.mentioned}
    _notify_mentions(author, post, rendered.mentioned)
    if not is_opening:
        _notify_followers(author, post, mentioned)
    publish_on_commit(post_event(post, op="add"), to=[groups.forum_thread(thread.pk)])
    return post


@transaction.atomic
def reply(
    author: User,
    thread: Thread,
    *,
    source: str,
    files: Sequence[UploadedFile] = (),
) -> Post:
    check_can_post(author, thread)
    return create_post(author, thread, source=source, files=files)


@transaction.atomic
def edit_post(
    editor: User, post: Post, *, source: str, title: str | None = None
) -> bool:
    """Change a post's text (and, for the opening post, the thread title).

    Every change is a new revision; returns False when nothing changed.
    """
    check_can_edit_post(editor, post)
    thread = post.thread
    new_title = title if title is not None and post.position == 1 else thread.title
    if source == post.source and new_title == thread.title:
        return False
    locked = Post.objects.select_for_update().get(pk=post.pk)
    before = {user.pk for user in markup.render(locked.source).mentioned}
    rendered = markup.render(source)
    post.source, post.html = source, rendered.html
    post.edited_at = timezone.now()
    post.revision_count = locked.revision_count + 1
    post.save(update_fields=["source", "html", "edited_at", "revision_count"])
    PostRevision.objects.create(
        post=post,
        number=post.revision_count,
        editor=editor,
        source=source,
        title=new_title,
    )
    if new_title != thread.title:
        thread.title = new_title
        thread.save(update_fields=["title", "updated_at"])
        search.index_thread(thread)
    else:
        search.index_posts(Post.objects.filter(pk=post.pk))
    newly = [user for user in rendered.mentioned if user.pk not in before]
    _notify_mentions(editor, post, newly)
    publish_on_commit(post_event(post, op="edit"), to=[groups.forum_thread(thread.pk)])
    return True


def restore_revision(editor: User, post: Post, revision: PostRevision) -> bool:
    """Make an earlier version current again, as a new revision."""
    return edit_post(editor, post, source=revision.source, title=revision.title)
