"""The moderators' thread tools: lock, pin, close, move, split, slow mode.

Each is a decision of a moderator of the thread's space: checked here, written
to the audit log under `forum.thread.<past tense>` with the moderator's reason
in the same transaction, and announced to the thread's open pages.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, Max, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.actions import log_action
from community.models import Space
from forum import fulltext
from forum.actions.moderation import thread_event
from forum.models import Post, ReadPosition, Thread, ThreadKind
from forum.permissions import check_can_moderate_thread, check_can_move_thread
from moderation.models import Visibility
from realtime import groups
from realtime.access import access_changed_for
from realtime.publish import publish_on_commit

# Slow-mode intervals a moderator can choose, in seconds (0 = off).
SLOW_MODE_CHOICES = (0, 30, 60, 300, 900, 3600)
# Positions move out of the way above this while a thread is renumbered (the
# unique constraint on thread and position holds row by row).
RENUMBER_OFFSET = 1_000_000


def _publish(thread: Thread, op: str, **data) -> None:
    publish_on_commit(
        thread_event(thread, op=op, **data), to=[groups.forum_thread(thread.pk)]
    )


def _set_flag(
    moderator: User,
    thread: Thread,
    *,
    field: str,
    on: bool,
    names: tuple[str, str],
    reason: str,
) -> bool:
    if getattr(thread, field) == on:
        return False
    setattr(thread, field, on)
    thread.save(update_fields=[field, "updated_at"])
    name = names[0] if on else names[1]
    log_action(moderator, f"forum.thread.{name}", target=thread, reason=reason)
    _publish(thread, name)
    return True


@transaction.atomic
def lock_thread(moderator: User, thread: Thread, *, reason: str = "") -> bool:
    """Members may no longer reply; moderators still may."""
    check_can_moderate_thread(moderator, thread)
    return _set_flag(
        moderator, thread, field="is_locked", on=True,
        names=("locked", "unlocked"), reason=reason,
    )  # fmt: skip


@transaction.atomic
def unlock_thread(moderator: User, thread: Thread, *, reason: str = "") -> bool:
    check_can_moderate_thread(moderator, thread)
    return _set_flag(
        moderator, thread, field="is_locked", on=False,
        names=("locked", "unlocked"), reason=reason,
    )  # fmt: skip


@transaction.atomic
def pin_thread(moderator: User, thread: Thread, *, reason: str = "") -> bool:
    check_can_moderate_thread(moderator, thread)
    return _set_flag(
        moderator, thread, field="is_pinned", on=True,
        names=("pinned", "unpinned"), reason=reason,
    )  # fmt: skip


@transaction.atomic
def unpin_thread(moderator: User, thread: Thread, *, reason: str = "") -> bool:
    check_can_moderate_thread(moderator, thread)
    return _set_flag(
        moderator, thread, field="is_pinned", on=False,
        names=("pinned", "unpinned"), reason=reason,
    )  # fmt: skip


@transaction.atomic
def close_thread(moderator: User, thread: Thread, *, reason: str = "") -> bool:
    """Nobody replies, edits or reacts any more, moderators included."""
    check_can_moderate_thread(moderator, thread)
    return _set_flag(
        moderator, thread, field="is_closed", on=True,
        names=("closed", "reopened"), reason=reason,
    )  # fmt: skip


@transaction.atomic
def reopen_thread(moderator: User, thread: Thread, *, reason: str = "") -> bool:
    check_can_moderate_thread(moderator, thread)
    return _set_flag(
        moderator, thread, field="is_closed", on=False,
        names=("closed", "reopened"), reason=reason,
    )  # fmt: skip


@transaction.atomic
def set_slow_mode(
    moderator: User, thread: Thread, *, seconds: int, reason: str = ""
) -> bool:
    """Members may reply once per `seconds` in this thread (0 switches it off)."""
    check_can_moderate_thread(moderator, thread)
    if seconds not in SLOW_MODE_CHOICES:
        raise ValidationError(_("Please choose one of the intervals offered."))
    before = thread.slow_mode_seconds
    if seconds == before:
        return False
    thread.slow_mode_seconds = seconds
    thread.slow_mode_set_by = moderator
    thread.save(update_fields=["slow_mode_seconds", "slow_mode_set_by", "updated_at"])
    log_action(
        moderator,
        "forum.thread.slow_mode_set",
        target=thread,
        reason=reason,
        data={"seconds": seconds, "before": before},
    )
    _publish(thread, "slow_mode", seconds=seconds)
    return True


@transaction.atomic
def move_thread(
    moderator: User, thread: Thread, *, to: Space, reason: str = ""
) -> bool:
    """Into another space; follows, search entries and the URL stay as they are
    (the thread's space is read through the thread)."""
    check_can_move_thread(moderator, thread, to)
    before = thread.space
    if before.pk == to.pk:
        return False
    thread.space = to
    thread.save(update_fields=["space", "updated_at"])
    log_action(
        moderator,
        "forum.thread.moved",
        target=thread,
        reason=reason,
        data={"from": before.pk, "to": to.pk},
    )
    _publish(thread, "moved", space=to.pk)
    # Into a restricted space: watchers who may not follow stop watching.
    access_changed_for([groups.forum_thread(thread.pk)])
    return True


def _renumber(thread: Thread) -> int:
    """Positions 1..n in the posts' order; returns n. A post's position is in
    its links (page, quote), so the renumbered posts' cards change."""
    posts = thread.posts.order_by("position")
    posts.update(
        position=F("position") + RENUMBER_OFFSET,
        display_version=F("display_version") + 1,
    )
    ids = list(posts.values_list("pk", flat=True))
    if ids:
        Post.objects.filter(pk__in=ids).update(
            position=Case(
                *(When(pk=pk, then=Value(n)) for n, pk in enumerate(ids, start=1))
            )
        )
    return len(ids)


@transaction.atomic
def split_thread(
    moderator: User,
    thread: Thread,
    *,
    post_ids: Sequence[int],
    title: str,
    to: Space | None = None,
    reason: str = "",
) -> Thread:
    """Move the chosen replies, in their order, into a new discussion.

    The opening post stays (a thread cannot lose its question). Positions are
    renumbered in both threads; permalinks (/forum/beitrag/<id>/) keep
    working because they are by id. Read positions: a reader of the old thread
    keeps having read what they had read in both.
    """
    to = to or thread.space
    check_can_move_thread(moderator, thread, to)
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    moving = list(
        thread.posts.filter(pk__in=list(post_ids), position__gt=1)
        .order_by("position")
        .select_related("author")
    )
    if not moving or len(moving) != len(set(post_ids)):
        raise ValidationError(
            _("Please choose replies of this thread (not its first post).")
        )
    old_positions = [post.position for post in moving]
    visible = [p for p in moving if p.visibility == Visibility.VISIBLE]
    last_at = max((p.created_at for p in visible or moving), default=timezone.now())
    new = Thread.objects.create(
        space=to,
        kind=ThreadKind.DISCUSSION,
        title=title,
        author=moving[0].author,
        last_post_at=last_at,
        visibility=moving[0].visibility
        if moving[0].visibility == Visibility.PENDING
        else Visibility.VISIBLE,
    )
    moved_ids = [p.pk for p in moving]
    Post.objects.filter(pk__in=moved_ids).update(
        thread=new, position=F("position") + RENUMBER_OFFSET
    )
    remaining = _renumber(thread)
    count = _renumber(new)
    Thread.objects.filter(solution_id__in=moved_ids).update(solution=None)
    _carry_read_positions(thread, new, old_positions)
    stays_last = thread.posts.filter(visibility=Visibility.VISIBLE).aggregate(
        last=Max("created_at")
    )["last"]
    thread.last_position = remaining
    thread.last_post_at = stays_last or thread.created_at
    thread.save(update_fields=["last_position", "last_post_at", "updated_at"])
    new.last_position = count
    new.save(update_fields=["last_position"])
    fulltext.index_thread(new)
    log_action(
        moderator,
        "forum.thread.split",
        target=thread,
        reason=reason,
        data={"posts": moved_ids, "new_thread": new.pk},
    )
    _publish(thread, "split", new_thread=new.pk)
    return new


def _carry_read_positions(old: Thread, new: Thread, moved: list[int]) -> None:
    """Readers' positions follow the renumbering: what they had read, they
    have read in both threads (counted by the moved posts up to their mark)."""
    readers = list(ReadPosition.objects.filter(thread=old))
    carried = []
    for reader in readers:
        read_moved = sum(1 for position in moved if position <= reader.position)
        reader.position -= read_moved
        if read_moved:
            carried.append(
                ReadPosition(user_id=reader.user_id, thread=new, position=read_moved)
            )
    ReadPosition.objects.bulk_update(readers, ["position"])
    ReadPosition.objects.bulk_create(carried)
