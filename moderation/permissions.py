"""Who may report and moderate what. Views and the consumer share these.

Roles: a member; a space moderator (`Space.moderators`: the space, its threads
and its chat room); a global moderator (the Geschäftsstelle, `is_staff`:
everything, plus the audit log, word filter, suspensions and bans); an admin
(`is_superuser`, also staff). Content that the actor cannot see is answered
as if it did not exist (Http404).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import User
from forum.models import Space
from moderation.registry import TargetType


def is_member(user: User) -> bool:
    return user.is_authenticated and user.is_active and not user.is_suspended


def is_global_moderator(user: User) -> bool:
    return is_member(user) and user.is_staff


def is_moderator(user: User) -> bool:
    """Moderates something: the queue link in the header, the queue page."""
    if not is_member(user):
        return False
    if user.is_staff:
        return True
    return Space.objects.filter(moderators=user).exists()


def moderated_space_ids(user: User) -> set[int] | None:
    """The spaces `user` moderates; None means all (global moderators)."""
    if is_global_moderator(user):
        return None
    if not is_member(user):
        return set()
    return set(Space.objects.filter(moderators=user).values_list("pk", flat=True))


def can_moderate_target(user: User, target_type: TargetType, target: Any) -> bool:
    if not is_member(user):
        return False
    if user.is_staff:
        return True
    space = target_type.space_of(target)
    if space is None:
        return False
    return space.moderators.filter(pk=user.pk).exists()


def check_can_moderate_target(user: User, target_type: TargetType, target: Any) -> None:
    if not target_type.can_view(user, target):
        raise Http404
    if not can_moderate_target(user, target_type, target):
        raise PermissionDenied


def check_can_report(user: User, target_type: TargetType, target: Any) -> None:
    if not is_member(user):
        raise PermissionDenied
    if not target_type.can_view(user, target):
        raise Http404
    author = target_type.author_of(target)
    if author is not None and author.pk == user.pk:
        raise PermissionDenied


def check_is_moderator(user: User) -> None:
    if not is_moderator(user):
        raise PermissionDenied


def check_is_global_moderator(user: User) -> None:
    """Suspensions, bans, the word filter, the audit log and member notes."""
    if not is_global_moderator(user):
        raise PermissionDenied
