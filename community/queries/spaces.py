"""Which spaces a member sees."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import User
from community.models import Space


def visible_spaces(user: User) -> QuerySet[Space]:
    """Spaces the member may open, in display order."""
    spaces = Space.objects.all()
    if not user.is_staff:
        spaces = spaces.filter(
            Q(is_restricted=False) | Q(members=user) | Q(moderators=user)
        ).distinct()
    return spaces.order_by("position", "title")
