"""Moderator notes on members: kept by global moderators, never shown to the member."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from audit.actions import log_action
from moderation.actions.decisions import DecisionRefused
from moderation.models import ModeratorNote
from moderation.permissions import check_is_global_moderator

MAX_NOTE_LENGTH = 4000


@transaction.atomic
def add_note(moderator: User, member: User, *, text: str) -> ModeratorNote:
    check_is_global_moderator(moderator)
    text = text.strip()
    if not text:
        raise DecisionRefused(_("Please enter a note."))
    note = ModeratorNote.objects.create(
        member=member, author=moderator, text=text[:MAX_NOTE_LENGTH]
    )
    # The text stays out of the log: the note itself is the record.
    log_action(
        moderator, "moderation.member.note_added", target=member, data={"note": note.pk}
    )
    return note
