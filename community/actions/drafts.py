"""Keeping and discarding drafts (community.models.Draft)."""

from __future__ import annotations

import re

from django.db import transaction

from accounts.models import User
from community.models import MAX_DRAFT_LENGTH, Draft

# "chat:12", "reply:42", "thread:mobilitaet": a kind and a key.
PLACE = re.compile(r"^(chat|reply|thread):[\w-]{1,80}$")


def is_place(place: str) -> bool:
    return bool(PLACE.match(place))


@transaction.atomic
def keep_draft(member: User, place: str, *, text: str, title: str = "") -> bool:
    """Store what the member typed at `place`; an empty draft is discarded.
    Returns whether a draft is kept."""
    if not is_place(place):
        raise ValueError(place)
    if not text.strip() and not title.strip():
        discard_draft(member, place)
        return False
    Draft.objects.update_or_create(
        user=member,
        place=place,
        defaults={"text": text[:MAX_DRAFT_LENGTH], "title": title[:200]},
    )
    return True


def discard_draft(member: User, place: str) -> None:
    """The text was sent (or thrown away): the draft goes."""
    Draft.objects.filter(user=member, place=place).delete()


def erase_drafts(member: User) -> None:
    Draft.objects.filter(user=member).delete()
