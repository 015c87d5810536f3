"""Posting, editing and restoring posts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import User
from community import markup
from community.actions.notifications import notify
from community.models import NotificationKind
from community.permissions import can_moderate_space
from forum import fulltext
from forum.models import Attachment, Follow, FollowLevel, Post, PostRevision, Thread
from forum.models.posts import MAX_SUMMARY_LENGTH
from forum.permissions import POST_TARGET, check_can_edit_post, check_can_post
from moderation import screening as screening_module
from moderation.actions.review import open_review
from moderation.models import ItemSource, Visibility
from moderation.screening import Screening
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


# Long posts are cut in the e-mail; the link leads to the rest.
EXCERPT_CHARS = 3000


def email_excerpt(post: Post) -> str:
    """A post's text as the notification e-mail quotes it (as Discourse does):
    plain text, never Markdown or HTML."""
    text = markup.plain_text(post.html)
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS].rstrip() + " …"


def _notify_mentions(author: User, post: Post, mentioned: list[User]) -> None:
    from community.permissions import can_view_space

    # Mentioning someone who cannot see the space must not leak the post;
    # who muted the thread hears nothing from it, mentions included.
    muted = set(
        Follow.objects.filter(
            thread=post.thread_id, level=FollowLevel.MUTED
        ).values_list("user_id", flat=True)
    )
    audience = [
        user
        for user in mentioned
        if user.pk not in muted and can_view_space(user, post.thread.space)
    ]
    notify(
        audience,
        kind=NotificationKind.MENTION,
        actor=author,
        title=_("%(name)s mentioned you in “%(thread)s”")
        % {"name": author.name, "thread": post.thread.title},
        url=post.get_absolute_url(),
        excerpt=email_excerpt(post),
        target=(POST_TARGET, post.pk),
    )


def _notify_followers(author: User, post: Post, already: set[int]) -> None:
    thread = post.thread
    # Watchers of the thread, and of its space unless they muted the thread
    # (a muted space is no watching one, a watched thread in it still counts).
    follows = Follow.objects.filter(level=FollowLevel.WATCHING)
    watching = User.objects.filter(is_active=True).filter(
        Q(pk__in=follows.filter(thread=thread).values("user_id"))
        | Q(pk__in=follows.filter(space_id=thread.space_id).values("user_id"))
    )
    muted = Follow.objects.filter(thread=thread, level=FollowLevel.MUTED)
    watching = watching.exclude(pk__in=muted.values("user_id"))
    recipients = [u for u in watching if u.pk not in already]
    notify(
        recipients,
        kind=NotificationKind.REPLY,
        actor=author,
        title=_("%(name)s replied in “%(thread)s”")
        % {"name": author.name, "thread": thread.title},
        url=post.get_absolute_url(),
        excerpt=email_excerpt(post),
        target=(POST_TARGET, post.pk),
    )


def screen_text(author: User, space, text: str) -> Screening:
    """The moderation screening of a forum text; raises ValidationError (with
    the German message for the form) when the text is refused.

    Moderators of the space are never held: what would hold them only flags.
    """
    result = screening_module.screen(author, text, hold_newcomers=True)
    if result.action == screening_module.BLOCK:
        raise ValidationError(result.message, code="blocked")
    if result.action == screening_module.HOLD and can_moderate_space(author, space):
        result = Screening(
            screening_module.FLAG, result.matches, result.reason, result.message
        )
    return result


def open_screening_review(kind: str, target, result: Screening) -> None:
    """Put held or flagged content into the moderators' queue."""
    if not result.needs_review:
        return
    source = (
        ItemSource.HELD
        if result.action == screening_module.HOLD
        else ItemSource.FLAGGED
    )
    open_review(kind, target, source=source, findings=result.findings)


def check_slow_mode(author: User, thread: Thread) -> None:
    """Refuse a member's reply that comes within the thread's slow-mode interval
    of their previous one; moderators of the space are exempt."""
    seconds = thread.slow_mode_seconds
    if not seconds or can_moderate_space(author, thread.space):
        return
    last = (
        Post.objects.filter(thread=thread, author=author)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if last is None:
        return
    allowed_at = last + timedelta(seconds=seconds)
    if allowed_at <= timezone.now():
        return
    local = timezone.localtime(allowed_at)
    raise ValidationError(
        _("This thread is in slow mode: you can reply again at %(time)s (%(date)s).")
        % {
            "time": local.strftime("%H:%M:%S"),
            "date": formats.date_format(local, "SHORT_DATE_FORMAT"),
        },
        code="slow_mode",
    )


def create_post(
    author: User,
    thread: Thread,
    *,
    source: str,
    files: Sequence[UploadedFile] = (),
    is_opening: bool = False,
    visibility: str = Visibility.VISIBLE,
) -> Post:
    """Store a post at the end of `thread` (the caller holds the transaction).

    A pending post takes its position at once (positions are handed out in
    writing order) but tells nobody until it is approved (`announce_post`).
    """
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
        visibility=visibility,
    )
    PostRevision.objects.create(
        post=post, number=1, editor=author, source=source, title=thread.title
    )
    _store_attachments(post, files)
    changes = {"last_position": position}
    if visibility == Visibility.VISIBLE:
        changes["last_post_at"] = now
        thread.last_post_at = now
    Thread.objects.filter(pk=thread.pk).update(**changes)
    thread.last_position = position
    fulltext.index_posts(Post.objects.filter(pk=post.pk))
    Follow.objects.get_or_create(user=author, thread=thread)
    if visibility == Visibility.VISIBLE:
        announce_post(post, mentioned=rendered.mentioned, is_opening=is_opening)
    return post


def announce_post(
    post: Post, *, mentioned: list[User] | None = None, is_opening: bool = False
) -> None:
    """What a newly visible post triggers: mention and follower notifications
    and the thread's live event. Called when it is stored visible, or when a
    moderator approves it."""
    author = post.author
    if mentioned is None:
        mentioned = markup.render(post.source).mentioned
    _notify_mentions(author, post, mentioned)
    if not is_opening:
        _notify_followers(author, post, {user.pk for user in mentioned})
    publish_on_commit(
        post_event(post, op="add"), to=[groups.forum_thread(post.thread_id)]
    )


@transaction.atomic
def reply(
    author: User,
    thread: Thread,
    *,
    source: str,
    files: Sequence[UploadedFile] = (),
    screened: bool = True,
) -> Post:
    """A reply at the end of `thread`.

    Raises ValidationError (a German message for the form) when the word
    filter blocks the text or slow mode refuses it. `screened=False` skips the
    screening (demo data, imports).
    """
    check_can_post(author, thread)
    check_slow_mode(author, thread)
    result = screen_text(author, thread.space, source) if screened else Screening()
    post = create_post(
        author, thread, source=source, files=files, visibility=result.visibility
    )
    open_screening_review("post", post, result)
    return post


@transaction.atomic
def edit_post(
    editor: User,
    post: Post,
    *,
    source: str,
    title: str | None = None,
    summary: str = "",
) -> bool:
    """Change a post's text (and, for the opening post, the thread title).

    Every change is a new revision, with the editor's `summary` of it;
    returns False when nothing changed.
    """
    check_can_edit_post(editor, post)
    thread = post.thread
    new_title = title if title is not None and post.position == 1 else thread.title
    if source == post.source and new_title == thread.title:
        return False
    text = f"{new_title}\n{source}" if post.position == 1 else source
    result = screen_text(editor, thread.space, text)
    locked = Post.objects.select_for_update().get(pk=post.pk)
    before = {user.pk for user in markup.render(locked.source).mentioned}
    rendered = markup.render(source)
    post.source, post.html = source, rendered.html
    post.edited_at = timezone.now()
    post.revision_count = locked.revision_count + 1
    post.display_version = locked.display_version + 1
    fields = ["source", "html", "edited_at", "revision_count", "display_version"]
    held = result.action == screening_module.HOLD
    if held and post.visibility == Visibility.VISIBLE:
        post.visibility = Visibility.PENDING
        fields.append("visibility")
    post.save(update_fields=fields)
    PostRevision.objects.create(
        post=post,
        number=post.revision_count,
        editor=editor,
        source=source,
        title=new_title,
        summary=summary.strip()[:MAX_SUMMARY_LENGTH],
    )
    thread_fields = []
    if new_title != thread.title:
        thread.title = new_title
        thread_fields.append("title")
    # A held opening post holds its thread (the title is part of the text).
    opening_held = held and post.position == 1
    if opening_held and thread.visibility == Visibility.VISIBLE:
        thread.visibility = Visibility.PENDING
        thread_fields.append("visibility")
    if thread_fields:
        thread.save(update_fields=[*thread_fields, "updated_at"])
    if "title" in thread_fields:
        fulltext.index_thread(thread)
    else:
        fulltext.index_posts(Post.objects.filter(pk=post.pk))
    if post.visibility == Visibility.VISIBLE:
        newly = [user for user in rendered.mentioned if user.pk not in before]
        _notify_mentions(editor, post, newly)
    if post.position == 1:
        open_screening_review("thread", thread, result)
    else:
        open_screening_review("post", post, result)
    publish_on_commit(post_event(post, op="edit"), to=[groups.forum_thread(thread.pk)])
    return True


def restore_revision(editor: User, post: Post, revision: PostRevision) -> bool:
    """Make an earlier version current again, as a new revision."""
    return edit_post(editor, post, source=revision.source, title=revision.title)
