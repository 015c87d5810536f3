"""Spaces: the Geschäftsstelle opens them (usually in the admin)."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from audit.actions import log_action
from community.models import Space


@transaction.atomic
def create_space(
    actor: User,
    *,
    title: str,
    slug: str,
    description: str = "",
    topic: str = "",
    position: int = 0,
    is_restricted: bool = False,
) -> Space:
    """A new Themenraum. Its chat room is made by the chat on first use."""
    space = Space.objects.create(
        title=title,
        slug=slug,
        description=description,
        topic=topic,
        position=position,
        is_restricted=is_restricted,
    )
    # The name predates the community app; the audit log keeps its names.
    log_action(actor, "forum.space.created", target=space)
    return space
