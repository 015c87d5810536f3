"""Reads for the forum."""

from django.db.models import QuerySet

from accounts.models import User
from forum.models import Space


def visible_spaces(user: User) -> QuerySet[Space]:
    """Spaces the member may open, in display order."""
    spaces = Space.objects.all()
    if not user.is_staff:
        spaces = spaces.filter(is_restricted=False)
    return spaces.order_by("position", "title")
