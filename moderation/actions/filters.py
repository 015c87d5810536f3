"""The word filter: global moderators add and remove entries, each audited."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from audit.actions import log_action
from moderation.actions.decisions import DecisionRefused
from moderation.models import FilterAction, WordFilter
from moderation.permissions import check_is_global_moderator

MAX_PATTERN_LENGTH = 100


def clean_pattern(pattern: str) -> str:
    """The pattern as stored, or DecisionRefused with the reason."""
    pattern = " ".join(pattern.split())
    if not pattern.replace("*", "").strip():
        raise DecisionRefused(_("Please enter a word or phrase."))
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise DecisionRefused(
            _("At most %(count)d characters.") % {"count": MAX_PATTERN_LENGTH}
        )
    return pattern


@transaction.atomic
def add_word(
    moderator: User, *, pattern: str, action: str, whole_word: bool
) -> WordFilter:
    check_is_global_moderator(moderator)
    pattern = clean_pattern(pattern)
    if action not in FilterAction.values:
        raise DecisionRefused(_("Please choose what happens."))
    if WordFilter.objects.filter(pattern__iexact=pattern).exists():
        raise DecisionRefused(_("This word is already in the filter."))
    entry = WordFilter.objects.create(
        pattern=pattern, action=action, whole_word=whole_word, created_by=moderator
    )
    log_action(
        moderator,
        "moderation.word_filter.added",
        target=entry,
        data={"pattern": pattern, "action": action, "whole_word": whole_word},
    )
    return entry


@transaction.atomic
def remove_word(moderator: User, entry: WordFilter) -> None:
    check_is_global_moderator(moderator)
    log_action(
        moderator,
        "moderation.word_filter.removed",
        target=entry,
        data={
            "pattern": entry.pattern,
            "action": entry.action,
            "whole_word": entry.whole_word,
        },
    )
    entry.delete()
