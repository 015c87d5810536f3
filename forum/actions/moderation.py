"""Moderation effects on posts and threads, called by moderation decisions.

The functions registered as the "post" and "thread" target types (see
forum/targets.py): they change the content's visibility (and its text for
delete and edit), tell open thread pages, and return whether anything
changed. They neither check permissions nor write audit rows: the moderation
decision that calls them does both, in its transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from community import markup
from community.actions.notifications import withdraw_notifications
from community.models import NotificationKind
from forum import fulltext
from forum.actions.posts import announce_post, post_event
from forum.cards import posts_changed
from forum.models import Post, PostRevision, Thread
from moderation.models import Visibility
from realtime import groups
from realtime.publish import publish_on_commit

# Notifications that point at the content itself: withdrawn when it is hidden.
CONTENT_NOTIFICATIONS = (
    NotificationKind.REPLY,
    NotificationKind.MENTION,
    NotificationKind.MATCH,
)


def thread_event(thread: Thread, *, op: str, **data) -> dict:
    return {"type": "forum.thread", "op": op, "thread": thread.pk, **data}


def _publish_post(post: Post, op: str) -> None:
    publish_on_commit(post_event(post, op=op), to=[groups.forum_thread(post.thread_id)])


def _publish_thread(thread: Thread, op: str) -> None:
    publish_on_commit(thread_event(thread, op=op), to=[groups.forum_thread(thread.pk)])


def _withdraw_notifications(url: str) -> None:
    """Notifications not yet e-mailed stop pointing at hidden content (and
    so never reach a digest)."""
    withdraw_notifications(url=url, kinds=CONTENT_NOTIFICATIONS)


def _set(obj: Post | Thread, visibility: str) -> None:
    obj.visibility = visibility
    obj.save(update_fields=["visibility"])
    if isinstance(obj, Post):
        posts_changed(Post.objects.filter(pk=obj.pk))


def _opening(thread: Thread) -> Post | None:
    return thread.posts.filter(position=1).select_related("author").first()


# --- posts --------------------------------------------------------------------


@transaction.atomic
def hide_post(moderator: User | None, post: Post) -> bool:
    """Visible or pending → hidden: a placeholder for others. `moderator` is
    None for the automatic hide after enough reports."""
    if post.visibility not in (Visibility.VISIBLE, Visibility.PENDING):
        return False
    _set(post, Visibility.HIDDEN)
    _withdraw_notifications(post.get_absolute_url())
    _publish_post(post, "hidden")
    return True


@transaction.atomic
def restore_post(moderator: User | None, post: Post) -> bool:
    """Hidden → visible again. Removed text is gone and cannot come back."""
    if post.visibility != Visibility.HIDDEN:
        return False
    _set(post, Visibility.VISIBLE)
    _publish_post(post, "restored")
    return True


def _erase(post: Post) -> None:
    """Remove the post's text, its versions and its files for good."""
    for attachment in post.attachments.all():
        attachment.file.delete(save=False)
    post.attachments.all().delete()
    PostRevision.objects.filter(post=post).update(source="", title="")
    post.source, post.html, post.moderator_note = "", "", ""
    post.visibility = Visibility.REMOVED
    post.save(update_fields=["source", "html", "moderator_note", "visibility"])
    posts_changed(Post.objects.filter(pk=post.pk))
    fulltext.remove_posts(Post.objects.filter(pk=post.pk))
    Thread.objects.filter(solution=post).update(solution=None)


@transaction.atomic
def delete_post(moderator: User | None, post: Post) -> bool:
    """Any → removed: the text, versions, attachments and search entry go."""
    if post.visibility == Visibility.REMOVED:
        return False
    _erase(post)
    _withdraw_notifications(post.get_absolute_url())
    _publish_post(post, "removed")
    return True


@transaction.atomic
def approve_post(moderator: User | None, post: Post) -> bool:
    """Pending → visible, then everything a new post does: notifications to
    followers and mentioned members, the search entry, the thread's last
    activity (the approval time, so that it rises in the lists) and the live
    event of a new post."""
    if post.visibility != Visibility.PENDING:
        return False
    _set(post, Visibility.VISIBLE)
    now = timezone.now()
    Thread.objects.filter(pk=post.thread_id).update(last_post_at=now)
    post.thread.last_post_at = now
    fulltext.index_posts(Post.objects.filter(pk=post.pk))
    thread = post.thread
    if post.position == 1 and thread.visibility == Visibility.PENDING:
        return _approve_thread_row(thread) or True
    announce_post(post, is_opening=post.position == 1)
    return True


@transaction.atomic
def edit_post_as_moderator(
    moderator: User, post: Post, *, source: str, note: str
) -> bool:
    """A moderator's edit: a new version by the moderator and a note shown
    under the post ("Edited by the moderation team: …"). Nobody is notified."""
    if post.visibility == Visibility.REMOVED:
        return False
    if source == post.source and note == post.moderator_note:
        return False
    locked = Post.objects.select_for_update().get(pk=post.pk)
    post.source, post.html = source, markup.render(source).html
    post.moderator_note = note[:500]
    post.edited_at = timezone.now()
    post.revision_count = locked.revision_count + 1
    post.display_version = locked.display_version + 1
    post.save(
        update_fields=[
            "source",
            "html",
            "moderator_note",
            "edited_at",
            "revision_count",
            "display_version",
        ]
    )
    PostRevision.objects.create(
        post=post,
        number=post.revision_count,
        editor=moderator,
        source=source,
        title=post.thread.title,
    )
    fulltext.index_posts(Post.objects.filter(pk=post.pk))
    _publish_post(post, "edit")
    return True


# --- threads ------------------------------------------------------------------
# A thread's visibility is that of the thread row and its opening post; the
# replies keep theirs (they are out of sight while the thread is).


@transaction.atomic
def hide_thread(moderator: User | None, thread: Thread) -> bool:
    if thread.visibility not in (Visibility.VISIBLE, Visibility.PENDING):
        return False
    _set(thread, Visibility.HIDDEN)
    opening = _opening(thread)
    if opening and opening.visibility in (Visibility.VISIBLE, Visibility.PENDING):
        _set(opening, Visibility.HIDDEN)
    from forum.actions.threads import thread_url

    _withdraw_notifications(thread_url(thread))
    if opening:
        _withdraw_notifications(opening.get_absolute_url())
    _publish_thread(thread, "hidden")
    return True


@transaction.atomic
def restore_thread(moderator: User | None, thread: Thread) -> bool:
    if thread.visibility != Visibility.HIDDEN:
        return False
    _set(thread, Visibility.VISIBLE)
    opening = _opening(thread)
    if opening and opening.visibility == Visibility.HIDDEN:
        _set(opening, Visibility.VISIBLE)
    _publish_thread(thread, "restored")
    return True


@transaction.atomic
def delete_thread(moderator: User | None, thread: Thread) -> bool:
    """The thread is removed: its title and opening post are erased; its
    replies stay stored (their authors export them) but out of sight."""
    if thread.visibility == Visibility.REMOVED:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        thread.title = _("Removed by the moderation team")
    thread.visibility = Visibility.REMOVED
    thread.save(update_fields=["title", "visibility", "updated_at"])
    opening = _opening(thread)
    if opening and opening.visibility != Visibility.REMOVED:
        _erase(opening)
    from forum.actions.threads import thread_url

    _withdraw_notifications(thread_url(thread))
    if opening:
        _withdraw_notifications(opening.get_absolute_url())
    fulltext.remove_posts(Post.objects.filter(thread=thread))
    _publish_thread(thread, "removed")
    return True


def _approve_thread_row(thread: Thread) -> bool:
    """Pending thread → visible, with what a new thread triggers."""
    _set(thread, Visibility.VISIBLE)
    opening = _opening(thread)
    if opening and opening.visibility == Visibility.PENDING:
        _set(opening, Visibility.VISIBLE)
    now = timezone.now()
    Thread.objects.filter(pk=thread.pk).update(last_post_at=now)
    thread.last_post_at = now
    fulltext.index_thread(thread)
    if opening:
        announce_post(opening, is_opening=True)
    if thread.is_matchable:
        from forum.actions.threads import notify_matches

        transaction.on_commit(lambda: notify_matches(thread.pk))
    _publish_thread(thread, "approved")
    return True


@transaction.atomic
def approve_thread(moderator: User | None, thread: Thread) -> bool:
    if thread.visibility != Visibility.PENDING:
        return False
    return _approve_thread_row(thread)


@transaction.atomic
def edit_thread_as_moderator(
    moderator: User, thread: Thread, *, source: str, note: str
) -> bool:
    """A moderator's edit of a thread edits its opening post."""
    opening = _opening(thread)
    if opening is None:
        return False
    opening.thread = thread
    return edit_post_as_moderator(moderator, opening, source=source, note=note)
