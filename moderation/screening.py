"""Automatic protection, checked before a post or chat message is stored.

`screen(author, text, hold_newcomers=...)` answers what happens to the text:
stored as usual ("allow"), stored and put into the review queue ("flag"),
stored but held until a moderator approves it ("hold"), or refused ("block",
with a German message for the author). The forum holds new members' posts;
the chat does not hold newcomers (a live conversation cannot wait), but both
apply the word filter and the link limit.
"""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from moderation import registry
from moderation.models import FilterAction, Visibility, WordFilter

ALLOW = "allow"
FLAG = "flag"
HOLD = "hold"
BLOCK = "block"
_SEVERITY = {ALLOW: 0, FLAG: 1, HOLD: 2, BLOCK: 3}

# German spellings without umlauts are common ("Buergermeister"): both forms
# of a word match one entry.
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_LINK = re.compile(r"(?:https?://|www\.)\S", re.IGNORECASE)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Screening:
    action: str = ALLOW
    # The word-filter entries that matched, for the moderator.
    matches: tuple[str, ...] = field(default_factory=tuple)
    # "words", "newcomer" or "links": why the action is not "allow".
    reason: str = ""
    message: str = ""

    @property
    def visibility(self) -> str:
        """The visibility to store the content with."""
        return Visibility.PENDING if self.action == HOLD else Visibility.VISIBLE

    @property
    def needs_review(self) -> bool:
        return self.action in (FLAG, HOLD)

    @property
    def findings(self) -> list[str]:
        """What the review queue shows the moderator about this screening."""
        if self.reason == "newcomer":
            return [_("First posts of a new member")]
        return [_("Word filter: %(word)s") % {"word": word} for word in self.matches]


def normalise(text: str) -> str:
    return text.casefold().translate(_FOLD)


def compile_pattern(pattern: str, *, whole_word: bool) -> re.Pattern[str]:
    """A literal entry as a safe expression: escaped text, `*` for letters."""
    parts = [re.escape(part) for part in normalise(pattern.strip()).split("*")]
    body = r"\w*".join(parts)
    if whole_word:
        body = rf"(?<!\w){body}(?!\w)"
    return re.compile(body)


@dataclass(frozen=True)
class FilterEntry:
    """A word-filter entry, compiled."""

    pattern: str
    action: str
    expression: re.Pattern[str]


# Every process keeps the word filter compiled (a chat message is screened
# with it on every send); this key in the shared cache (Redis in production)
# names the filter's current state, and every change gives it a new value.
WORD_FILTER_VERSION = "moderation:word-filter:version"
# (version, entries) of this process; None until read.
_compiled: tuple[str | None, list[FilterEntry]] | None = None


def _shared_version() -> str | None:
    """The filter's current version (None: the cache cannot say)."""
    try:
        version = cache.get(WORD_FILTER_VERSION)
        if version is None:  # evicted or never set: start a new one
            cache.add(WORD_FILTER_VERSION, uuid.uuid4().hex, timeout=None)
            version = cache.get(WORD_FILTER_VERSION)
    except Exception as error:  # unreachable: read the database each time
        logger.debug("word filter version unavailable: %s", error)
        return None
    return version


def word_filter() -> list[FilterEntry]:
    """The word filter, compiled; read from the database only when some
    process changed it (one cache read per call otherwise)."""
    global _compiled
    version = _shared_version()
    compiled = _compiled
    if compiled is not None and version is not None and compiled[0] == version:
        return compiled[1]
    entries = [
        FilterEntry(
            entry.pattern,
            entry.action,
            compile_pattern(entry.pattern, whole_word=entry.whole_word),
        )
        for entry in WordFilter.objects.all()
    ]
    _compiled = (version, entries)
    return entries


def word_filter_changed() -> None:
    """A word-filter entry was added, changed or removed (signals.py): this
    process reads the filter again at once (its own transaction sees the
    change), every process once the change is committed."""
    _new_version()
    transaction.on_commit(_new_version)


def _new_version() -> None:
    global _compiled
    _compiled = None
    try:
        cache.set(WORD_FILTER_VERSION, uuid.uuid4().hex, timeout=None)
    except Exception as error:
        logger.warning("word filter version not shared: %s", error)


def screen_words(text: str, entries: list[FilterEntry] | None = None) -> Screening:
    """The strictest word-filter action whose entries occur in `text`."""
    if entries is None:
        entries = word_filter()
    folded = normalise(text)
    action, matches = ALLOW, []
    for entry in entries:
        if not entry.expression.search(folded):
            continue
        matches.append(entry.pattern)
        if _SEVERITY[entry.action] > _SEVERITY[action]:
            action = entry.action
    if action == ALLOW:
        return Screening()
    message = ""
    if action == FilterAction.BLOCK:
        message = _(
            "Your text contains words that are not allowed here. Please rephrase it."
        )
    return Screening(action, tuple(matches), "words", message)


def is_newcomer(member: User) -> bool:
    """Does pre-moderation still apply to `member`'s posts? Until enough of
    what they wrote was approved (the apps register what counts)."""
    if member.is_staff:
        return False
    days = settings.MODERATION_HOLD_FIRST_DAYS
    if days and member.date_joined > timezone.now() - timedelta(days=days):
        return True
    first_posts = settings.MODERATION_HOLD_FIRST_POSTS
    if not first_posts:
        return False
    from moderation.permissions import is_moderator

    if is_moderator(member):
        return False
    approved = 0
    for contributions in registry.contributions():
        if contributions.approved is not None:
            approved += contributions.approved(member, first_posts - approved)
            if approved >= first_posts:
                return False
    return True


def count_links(text: str) -> int:
    return len(_LINK.findall(text))


def screen(
    author: User,
    text: str,
    *,
    hold_newcomers: bool,
    entries: list[FilterEntry] | None = None,
) -> Screening:
    """What happens to `text` written by `author` (see the module docstring).

    `entries`: the word filter, read once by a caller that screens many texts
    (the chat's batches); read here when omitted."""
    words = screen_words(text, entries)
    if words.action == BLOCK:
        return words
    limit = settings.MODERATION_NEWCOMER_MAX_LINKS
    # Asked only when it matters: it costs a query, and the chat screens
    # every message.
    if count_links(text) > limit and is_newcomer(author):
        message = ngettext(
            "As a new member you can include at most %(limit)d link per text.",
            "As a new member you can include at most %(limit)d links per text.",
            limit,
        ) % {"limit": limit}
        return Screening(BLOCK, (), "links", message)
    if words.action == HOLD:
        return words
    if hold_newcomers and is_newcomer(author):
        return Screening(HOLD, words.matches, "newcomer")
    return words
