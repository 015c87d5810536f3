"""What the forum's and the chat's search share: the query syntax, German
spelling folded the same way on both sides, highlighted snippets and
"Meinten Sie …" suggestions.

Folding: "Bürgerbus", "Buergerbus" and "Burgerbus" are one word to a member
who cannot type umlauts or does not bother. So text and queries are folded
alike before they meet: lower case, ä/ae → a, ö/oe → o, ü/ue → u, ß → ss.
Folding both sides the same way makes the rare false friend ("Steuer" and
"Stuer") a price worth paying. PostgreSQL folds in SQL (`fold_expression`)
when it builds the index, SQLite and the chat in Python or SQL alike.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Func, Q, TextField, Value
from django.db.models.functions import Lower, Replace
from django.utils import timezone

# Order matters: the two-letter spellings after the umlauts they stand for.
FOLDS = (
    ("ä", "a"),
    ("Ä", "a"),
    ("ae", "a"),
    ("ö", "o"),
    ("Ö", "o"),
    ("oe", "o"),
    ("ü", "u"),
    ("Ü", "u"),
    ("ue", "u"),
    ("ß", "ss"),
)
WORD = re.compile(r"[\wäöüß]+", re.IGNORECASE)
GERMAN_ENDINGS = ("ern", "en", "er", "es", "e", "n", "s")
SNIPPET_WORDS = 32


def fold(text: str) -> str:
    """The folded spelling of `text` (see the module docstring)."""
    text = text.lower()
    for spelled, folded in FOLDS:
        text = text.replace(spelled, folded)
    return text


def fold_expression(expression) -> Func:
    """`fold` as an SQL expression (PostgreSQL and SQLite alike; the upper-case
    umlauts are folded explicitly, since lower() may leave them on SQLite or a
    C-locale PostgreSQL)."""
    folded = Lower(expression, output_field=TextField())
    for spelled, replacement in FOLDS:
        folded = Replace(
            folded, Value(spelled), Value(replacement), output_field=TextField()
        )
    return folded


def stem(word: str) -> str:
    """A light German stemmer: what remains is searched as a prefix.

    "Bürgerbusse" -> "bürgerbus", "Ergebnisse" -> "ergebnis", "Pflegekräfte"
    -> "pflegekräft"; the prefix then finds every form of the word.
    """
    word = word.lower()
    for ending in GERMAN_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            word = word[: -len(ending)]
            break
    if word.endswith("ss") and len(word) > 5:
        word = word[:-1]  # plural -sse of -s words: Bus/Busse, Ergebnis/-se
    return word


def prefix(word: str) -> str:
    """The folded prefix a query word is searched as."""
    stemmed = fold(stem(word))
    return stemmed if len(stemmed) >= 4 else fold(word)


@dataclass
class Term:
    words: list[str]  # one word, or the words of a "phrase" (as typed, lower case)
    negate: bool = False
    either: bool = False  # joined to the previous term with OR


def parse(query: str) -> list[Term]:
    """websearch syntax: words, "phrases", -exclusions, OR; the rest is ignored."""
    terms: list[Term] = []
    either = False
    for match in re.finditer(r'(-?)"([^"]*)"?|(\S+)', query[:200]):
        if match[3] and match[3].upper() == "OR":
            either = bool(terms)
            continue
        negate = bool(match[1]) or bool(match[3] and match[3].startswith("-"))
        words = [w.lower() for w in WORD.findall(match[2] or match[3] or "")]
        if not words:
            continue
        if match[2] is not None:
            terms.append(Term(words, negate, either and not negate))
        else:
            for word in words:
                terms.append(Term([word], negate, either and not negate))
        either = False
    # A search needs something to find: leading exclusions alone find nothing.
    while terms and terms[0].negate:
        terms.pop(0)
    if terms:
        terms[0].either = False
    return terms


def _matches(word: str, prefixes: set[str]) -> bool:
    folded = fold(word)
    return any(folded.startswith(p) for p in prefixes)


def snippet(text: str, query: str, *, words: int = SNIPPET_WORDS) -> str:
    """Safe HTML: the part of plain `text` around the first word the query
    finds, the found words in <mark>; everything else escaped, so the text's
    own markup never passes."""
    prefixes = {
        prefix(word) for term in parse(query) if not term.negate for word in term.words
    }
    found = list(WORD.finditer(text))
    if not found:
        return html.escape(text[:300])
    first = next((i for i, m in enumerate(found) if _matches(m[0], prefixes)), 0)
    start = max(0, first - words // 3)
    end = min(len(found), start + words)
    out = ["… "] if start > 0 else []
    position = found[start].start()
    for match in found[start:end]:
        out.append(html.escape(text[position : match.start()]))
        escaped = html.escape(match[0])
        out.append(
            f"<mark>{escaped}</mark>" if _matches(match[0], prefixes) else escaped
        )
        position = match.end()
    if end < len(found):
        out.append(html.escape(text[position : found[end].start()].rstrip()) + " …")
    else:
        out.append(html.escape(text[position:]))
    return "".join(out).strip()


def suggest(query: str, vocabulary: Iterable[str]) -> str | None:
    """ "Meinten Sie …": `query` with each unknown word replaced by the closest
    word of `vocabulary` (titles' words, as written), or None if nothing
    changes. Compared folded, so "Burgerbus" and "Bürgerbus" are one."""
    known: dict[str, str] = {}
    for word in vocabulary:
        if len(word) >= 4:
            known.setdefault(fold(word), word)
    if not known:
        return None
    changed = False
    out = []
    for word in query.split():
        plain = WORD.fullmatch(word)
        folded = fold(word)
        if not plain or len(word) < 4 or any(k.startswith(prefix(word)) for k in known):
            out.append(word)
            continue
        close = difflib.get_close_matches(folded, known, n=1, cutoff=0.75)
        if close:
            out.append(known[close[0]])
            changed = True
        else:
            out.append(word)
    return " ".join(out) if changed else None


def day_range(
    since: date | None, until: date | None
) -> tuple[datetime | None, datetime | None]:
    """A search's "from … until …" dates as instants in the platform's zone:
    from the first day's midnight to the midnight after the last day."""

    def midnight(day: date) -> datetime:
        return timezone.make_aware(datetime.combine(day, time.min))

    return (
        midnight(since) if since else None,
        midnight(until) + timedelta(days=1) if until else None,
    )


def folded_condition(query: str, field: str = "folded") -> Q | None:
    """`query` (the forum's syntax: words, "phrases", -exclusions, OR) as a
    filter on `field`, a text annotated with `fold_expression`: each word as
    its folded prefix, so "buergerbusse" finds "Bürgerbus". None for a query
    without words. For the small collections without a full-text index
    (event materials, Praxisbeispiele)."""
    condition: Q | None = None
    for term in parse(query):
        if len(term.words) > 1:
            needle = " ".join(fold(word) for word in term.words)
        else:
            needle = prefix(term.words[0])
        found = Q(**{f"{field}__contains": needle})
        if condition is None:
            condition = found
        elif term.negate:
            condition &= ~found
        elif term.either:
            condition |= found
        else:
            condition &= found
    return condition
