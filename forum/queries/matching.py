"""Biete/Suche matching: which offers fit a seek (and which seeks an offer).

Matching must be explainable, so the score is a sum of visible reasons: same
topic, similar municipality size, same region, and shared significant words
between the two threads' titles and opening posts.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import SizeClass, User
from community.queries.spaces import visible_spaces
from community.textsearch import stem
from forum.models import Post, Thread, ThreadKind, ThreadStatus
from moderation.models import Visibility

CANDIDATE_POOL = 300
SIZE_ORDER = [s.value for s in SizeClass]
WORD = re.compile(r"[a-zäöüß]{4,}", re.IGNORECASE)
# Frequent German words that say nothing about what a thread is about.
STOPWORDS = frozenset(
    """
    aber alle allem allen aller alles also auch auf aus bei beim bin bis bitte dann
    darum dass dein deine dem den denn der des dich die dies diese diesem diesen
    dieser dieses doch dort durch eine einem einen einer eines einige etwa euch
    euer eure für gegen gibt habe haben hat hatte hier hinter ihre ihrem ihren
    ihrer immer jede jedem jeden jeder jetzt kann kein keine können könnte machen
    mehr mein meine mich mit muss nach nicht noch nur oder ohne schon sehr seid
    sein seine sich sie sind soll sollte sondern über uns unser unsere unter viel
    vom von vor wann war waren warum was weil welche wenn wer werden wie wir wird
    wollen würde zum zur zwischen suchen suche biete bieten gemeinde kommune
    kommunen gerne freuen
    """.split()  # noqa: SIM905 - a word list reads best as text
)


@dataclass
class Match:
    thread: Thread
    score: float
    reasons: list[str] = field(default_factory=list)
    shared_words: list[str] = field(default_factory=list)


def significant_words(text: str) -> dict[str, str]:
    """Stem -> first word form seen, for the words that carry meaning."""
    words: dict[str, str] = {}
    for word in WORD.findall(text):
        lower = word.lower()
        if lower in STOPWORDS:
            continue
        words.setdefault(stem(lower), word)
    return words


def _opening_text(thread: Thread) -> str:
    opening = getattr(thread, "opening", None)
    body = opening[0].source if opening else ""
    return f"{thread.title}\n{body}"


def like_mine(user: User) -> Q:
    """Threads from municipalities like the member's: same size, same Land."""
    condition = Q(kind__in=[ThreadKind.OFFER, ThreadKind.SEEK])
    if user.size_class:
        condition &= Q(size_class=user.size_class)
    if user.state_key:
        condition &= Q(state_id=user.state_key) | Q(state__isnull=True)
    return condition


def _candidates(user: User, thread: Thread) -> list[Thread]:
    other = ThreadKind.OFFER if thread.kind == ThreadKind.SEEK else ThreadKind.SEEK
    today = timezone.localdate()
    return list(
        Thread.objects.filter(
            kind=other,
            status__in=[ThreadStatus.OPEN, ThreadStatus.IN_CONVERSATION],
            space__in=visible_spaces(user),
            visibility=Visibility.VISIBLE,
        )
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .exclude(author=thread.author_id)
        .select_related("state", "space", "author")
        .prefetch_related(
            Prefetch(
                "posts",
                queryset=Post.objects.filter(
                    position=1, visibility=Visibility.VISIBLE
                ).only("pk", "thread_id", "source"),
                to_attr="opening",
            )
        )
        .order_by("-last_post_at")[:CANDIDATE_POOL]
    )


def _score(
    thread: Thread, candidate: Thread, words: dict[str, str], idf: dict[str, float]
) -> Match:
    match = Match(thread=candidate, score=0.0)
    theirs = significant_words(_opening_text(candidate))
    shared = sorted(set(words) & set(theirs), key=lambda s: -idf.get(s, 1.0))
    if shared:
        weight = sum(idf.get(s, 1.0) for s in shared)
        norm = math.sqrt(len(words) * len(theirs)) or 1.0
        match.score += 10 * weight / norm
        match.shared_words = [theirs[s] for s in shared[:6]]
        match.reasons.append(
            _("Shared words: %(words)s") % {"words": ", ".join(match.shared_words)}
        )
    if thread.topic and candidate.topic == thread.topic:
        match.score += 3
        match.reasons.append(
            _("Same topic: %(topic)s") % {"topic": candidate.get_topic_display()}
        )
    if thread.size_class and candidate.size_class:
        distance = abs(
            SIZE_ORDER.index(thread.size_class) - SIZE_ORDER.index(candidate.size_class)
        )
        if distance == 0:
            match.score += 2
            match.reasons.append(
                _("Same municipality size: %(size)s")
                % {"size": candidate.get_size_class_display()}
            )
        elif distance == 1:
            match.score += 1
            match.reasons.append(
                _("Similar municipality size: %(size)s")
                % {"size": candidate.get_size_class_display()}
            )
    if thread.state_id and candidate.state_id == thread.state_id:
        match.score += 2
        match.reasons.append(_("Same Land: %(state)s") % {"state": candidate.state})
    elif candidate.state_id is None:
        match.score += 1
        match.reasons.append(_("Offered nationwide"))
    return match


def matches_for(
    user: User, thread: Thread, *, limit: int = 5, strong_only: bool = False
) -> list[Match]:
    """The best-fitting open threads of the opposite kind that `user` may see."""
    if not thread.is_matchable:
        return []
    opening = thread.posts.filter(position=1).only("source").first()
    words = significant_words(f"{thread.title}\n{opening.source if opening else ''}")
    candidates = _candidates(user, thread)
    # Rarer shared words weigh more (inverse document frequency in the pool).
    counts: dict[str, int] = {}
    texts = {c.pk: significant_words(_opening_text(c)) for c in candidates}
    for found in texts.values():
        for s in found:
            counts[s] = counts.get(s, 0) + 1
    pool = len(candidates) + 1
    idf = {s: math.log(1 + pool / n) for s, n in counts.items()}
    matches = [_score(thread, c, words, idf) for c in candidates]
    if strong_only:
        matches = [
            m
            for m in matches
            if len(m.shared_words) >= 2 and m.thread.topic == thread.topic
        ]
    # Same topic alone is worth showing; region or size alone is not.
    matches = [m for m in matches if m.shared_words or m.score >= 3]
    matches.sort(key=lambda m: (-m.score, -m.thread.last_post_at.timestamp()))
    return matches[:limit]
