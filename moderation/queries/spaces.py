"""The spaces a moderator acts in."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User
from community.models import Space
from moderation.permissions import is_global_moderator


def spaces_moderated_by(user: User) -> QuerySet[Space]:
    """The spaces `user` moderates (all for global moderators): where a thread
    may be moved to."""
    spaces = Space.objects.order_by("position", "title")
    if is_global_moderator(user):
        return spaces
    return spaces.filter(moderators=user)
