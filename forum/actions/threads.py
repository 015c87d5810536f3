"""Threads: starting, status, solutions, expiry reminders."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import State, User
from audit.actions import log_action
from community.actions.notifications import notify
from community.models import NotificationKind, Space
from forum.actions.posts import (
    create_post,
    email_excerpt,
    open_screening_review,
    screen_text,
)
from forum.models import Follow, FollowLevel, Post, Thread, ThreadKind, ThreadStatus
from forum.permissions import (
    THREAD_TARGET,
    check_can_change_status,
    check_can_mark_solution,
    check_can_start_thread,
)
from moderation.models import Visibility
from moderation.screening import Screening
from realtime import groups
from realtime.publish import publish_on_commit

EXPIRY_REMINDER_DAYS = 7


@transaction.atomic
def start_thread(
    author: User,
    space: Space,
    *,
    kind: str,
    title: str,
    source: str,
    topic: str = "",
    state: State | None = None,
    size_class: str = "",
    expires_on: date | None = None,
    files: Sequence[UploadedFile] = (),
    screened: bool = True,
) -> Thread:
    """Open a thread with its first post; offers and seeks start "open".

    Screened like a reply (title and text): a blocked text raises
    ValidationError, a held one makes the thread and its post wait for
    approval. `screened=False` skips the screening (demo data, imports).
    """
    check_can_start_thread(author, space)
    result = screen_text(author, space, f"{title}\n{source}") if screened else None
    result = result or Screening()
    matchable = kind in (ThreadKind.OFFER, ThreadKind.SEEK)
    if matchable and expires_on is None:
        expires_on = timezone.localdate() + timedelta(
            days=settings.FORUM_OFFER_SEEK_DAYS
        )
    thread = Thread.objects.create(
        space=space,
        kind=kind,
        title=title,
        author=author,
        last_post_at=timezone.now(),
        topic=topic if matchable else "",
        state=state if matchable else None,
        size_class=size_class if matchable else "",
        status=ThreadStatus.OPEN if matchable else "",
        expires_on=expires_on if matchable else None,
        visibility=result.visibility,
    )
    create_post(
        author,
        thread,
        source=source,
        files=files,
        is_opening=True,
        visibility=result.visibility,
    )
    open_screening_review("thread", thread, result)
    if matchable and thread.visibility == Visibility.VISIBLE:
        transaction.on_commit(lambda: notify_matches(thread.pk))
    return thread


def notify_matches(thread_id: int) -> int:
    """Tell the authors of fitting open seeks that a new offer (or seek) fits."""
    from forum.queries.matching import matches_for

    thread = Thread.objects.select_related("space", "author", "state").get(pk=thread_id)
    if thread.kind != ThreadKind.OFFER or thread.visibility != Visibility.VISIBLE:
        return 0
    from community.permissions import can_view_space

    seeks = [
        m.thread
        for m in matches_for(thread.author, thread, strong_only=True)
        if can_view_space(m.thread.author, thread.space)
    ]
    opening = thread.posts.filter(position=1).first() if seeks else None
    excerpt = email_excerpt(opening) if opening else ""
    for seek in seeks:
        notify(
            [seek.author],
            kind=NotificationKind.MATCH,
            actor=thread.author,
            title=_("A new offer may fit your seek “%(seek)s”: “%(offer)s”")
            % {"seek": seek.title, "offer": thread.title},
            url=thread_url(thread),
            excerpt=excerpt,
            target=(THREAD_TARGET, thread.pk),
        )
    return len(seeks)


def thread_url(thread: Thread) -> str:
    from django.urls import reverse

    return reverse("forum:thread", args=[thread.pk])


@transaction.atomic
def change_status(actor: User, thread: Thread, *, status: str) -> bool:
    check_can_change_status(actor, thread)
    if status == thread.status or status not in ThreadStatus.values:
        return False
    before = thread.status
    thread.status = status
    thread.save(update_fields=["status", "updated_at"])
    if actor.pk != thread.author_id:
        log_action(
            actor,
            "forum.thread.status_changed",
            target=thread,
            data={"before": before, "after": status},
        )
    followers = User.objects.filter(
        follows__thread=thread, follows__level=FollowLevel.WATCHING
    ).distinct()
    notify(
        followers,
        kind=NotificationKind.STATUS,
        actor=actor,
        title=_("“%(thread)s” is now: %(status)s")
        % {"thread": thread.title, "status": ThreadStatus(status).label},
        url=thread_url(thread),
        target=(THREAD_TARGET, thread.pk),
    )
    publish_on_commit(
        {"type": "forum.thread", "op": "status", "thread": thread.pk, "status": status},
        to=[groups.forum_thread(thread.pk)],
    )
    return True


@transaction.atomic
def mark_solution(actor: User, post: Post) -> bool:
    """The seeker marks the post that solved it (again: unmark)."""
    check_can_mark_solution(actor, post)
    thread = post.thread
    thread.solution = None if thread.solution_id == post.pk else post
    thread.save(update_fields=["solution", "updated_at"])
    publish_on_commit(
        {"type": "forum.thread", "op": "solution", "thread": thread.pk},
        to=[groups.forum_thread(thread.pk)],
    )
    return thread.solution_id is not None


@transaction.atomic
def set_following(
    user: User, *, thread: Thread | None = None, space: Space | None = None, on: bool
) -> bool:
    """Watch a thread or a space, or go back to normal; returns whether
    anything changed."""
    level = FollowLevel.WATCHING if on else FollowLevel.NORMAL
    return set_follow_level(user, thread=thread, space=space, level=level)


def set_follow_level(
    user: User,
    *,
    thread: Thread | None = None,
    space: Space | None = None,
    level: str,
) -> bool:
    """Watching, normal (no row) or muted, for a thread or a space; returns
    whether anything changed."""
    if level not in FollowLevel.values:
        raise ValueError(level)
    lookup = {"user": user, "thread": thread, "space": space}
    if level == FollowLevel.NORMAL:
        deleted, _ = Follow.objects.filter(**lookup).delete()
        return bool(deleted)
    follow, created = Follow.objects.get_or_create(**lookup, defaults={"level": level})
    if created or follow.level == level:
        return created
    follow.level = level
    follow.save(update_fields=["level"])
    return True


def remind_expiring(today: date | None = None) -> int:
    """Remind authors a week before their offer or seek expires (cron)."""
    today = today or timezone.localdate()
    due = Thread.objects.filter(
        kind__in=[ThreadKind.OFFER, ThreadKind.SEEK],
        status__in=[ThreadStatus.OPEN, ThreadStatus.IN_CONVERSATION],
        expires_on__lte=today + timedelta(days=EXPIRY_REMINDER_DAYS),
        expiry_reminded_at__isnull=True,
    ).select_related("author")
    count = 0
    for thread in due:
        with transaction.atomic():
            notify(
                [thread.author],
                kind=NotificationKind.EXPIRY,
                actor=None,
                title=_("“%(thread)s” expires on %(date)s. Extend it or close it.")
                % {
                    "thread": thread.title,
                    "date": thread.expires_on.strftime("%d.%m.%Y"),
                },
                url=thread_url(thread),
                target=(THREAD_TARGET, thread.pk),
            )
            Thread.objects.filter(pk=thread.pk).update(
                expiry_reminded_at=timezone.now()
            )
        count += 1
    return count


@transaction.atomic
def extend_expiry(actor: User, thread: Thread) -> date:
    check_can_change_status(actor, thread)
    thread.expires_on = timezone.localdate() + timedelta(
        days=settings.FORUM_OFFER_SEEK_DAYS
    )
    thread.expiry_reminded_at = None
    thread.save(update_fields=["expires_on", "expiry_reminded_at", "updated_at"])
    return thread.expires_on
