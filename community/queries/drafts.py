"""A member's drafts, to put back into their composers."""

from __future__ import annotations

from accounts.models import User
from community.models import Draft


def draft_at(member: User, place: str) -> Draft | None:
    return Draft.objects.filter(user=member, place=place).first()


def export_drafts(member: User) -> list[dict]:
    return [
        {
            "place": draft.place,
            "title": draft.title,
            "text": draft.text,
            "updated_at": draft.updated_at,
        }
        for draft in Draft.objects.filter(user=member).order_by("updated_at")
    ]
