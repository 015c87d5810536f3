"""Who may see a space and who moderates it. Every feature scoped by a space
(forum threads, chat rooms, moderation) asks here."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from community.models import Space


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


# Standing, lowest to highest: what a moderator tool may be used on. A tool
# acts only on members of lower standing than its user (Discourse's rule:
# moderators do not sanction moderators, nobody sanctions staff but an admin).
MEMBER, SPACE_MODERATOR, STAFF, SUPERUSER = range(4)


def standing(user: User, space: Space | None) -> int:
    """`user`'s standing where a tool is used: in `space`, or platform-wide
    (None)."""
    if user.is_superuser:
        return SUPERUSER
    if user.is_staff:
        return STAFF
    if space is not None and space.moderators.filter(pk=user.pk).exists():
        return SPACE_MODERATOR
    return MEMBER


def outranks(actor: User, member: User, space: Space | None, *, floor: int = 0) -> bool:
    """May `actor` use a moderator tool on `member` in `space`? Only on a
    member of strictly lower standing. `floor` raises the actor's standing
    where a room gives them more (the owner of an ad-hoc room)."""
    return max(standing(actor, space), floor) > standing(member, space)


def access_space(user: User, slug: str) -> Space:
    space = get_object_or_404(Space, slug=slug)
    if not can_view_space(user, space):
        # Restricted spaces are not even confirmed to exist.
        raise Http404
    return space
