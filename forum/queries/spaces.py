"""Which spaces a member sees."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import User
from forum.models import Space


def visible_spaces(user: User) -> QuerySet[Space]:
    """Spaces the member may open, in display order."""
    spaces = Space.objects.all()
    if not user.is_staff:
        spaces = spaces.filter(
            Q(is_restricted=False) | Q(members=user) | Q(moderators=user)
        ).distinct()
    return spaces.order_by("position", "title")


def spaces_moderated_by(user: User) -> QuerySet[Space]:
    """The spaces `user` moderates (all for global moderators): where a thread
    may be moved to."""
    from moderation.permissions import is_global_moderator

    spaces = Space.objects.order_by("position", "title")
    if is_global_moderator(user):
        return spaces
    return spaces.filter(moderators=user)
