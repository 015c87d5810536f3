"""German full-text search over posts: the index and the query engine (the
member-facing search with its filters is forum.queries.search).

PostgreSQL: a stored, GIN-indexed `tsvector` per post (thread title weight A,
text weight B, `german` configuration). Queries use websearch syntax (words,
"phrases", -exclusions, OR), parsed here; each word becomes a stemmed prefix
so plural and compound-final forms find each other.
SQLite (the embedded default): an FTS5 table with the same columns; German
word endings are trimmed so "Bürgerbusse" still finds "Bürgerbus".
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection
from django.db.models import F, OuterRef, QuerySet, Subquery

from forum.models import Post, Thread

CONFIG = "german"
FTS_TABLE = "forum_post_fts"
# Control characters cannot occur in posts' HTML-escaped snippets, so they
# mark the highlighted words safely until the snippet is escaped.
MARK_START, MARK_END = "\x02", "\x03"
WORD = re.compile(r"[\wäöüß]+", re.IGNORECASE)
GERMAN_ENDINGS = ("ern", "en", "er", "es", "e", "n", "s")


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


@dataclass
class Hit:
    post: Post
    snippet: str  # safe HTML with <mark> around matches


def index_posts(posts: QuerySet[Post]) -> None:
    """(Re)build the search entries of `posts` from their text and thread title."""
    if is_postgres():
        # UPDATE cannot join: the thread's title comes in as a subquery.
        title = Thread.objects.filter(pk=OuterRef("thread_id")).values("title")[:1]
        posts.update(
            search_vector=SearchVector(Subquery(title), weight="A", config=CONFIG)
            + SearchVector("source", weight="B", config=CONFIG)
        )
        return
    rows = list(posts.values_list("pk", "thread__title", "source"))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"DELETE FROM {FTS_TABLE} WHERE rowid = %s",  # noqa: S608 - constant name
            [(pk,) for pk, *_ in rows],
        )
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, title, body) VALUES (%s, %s, %s)",  # noqa: S608
            rows,
        )


def remove_posts(posts: QuerySet[Post]) -> None:
    """Drop the search entries of `posts` (removed by the moderation)."""
    if is_postgres():
        posts.update(search_vector=None)
        return
    ids = list(posts.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"DELETE FROM {FTS_TABLE} WHERE rowid = %s",  # noqa: S608 - constant name
            [(pk,) for pk in ids],
        )


def index_thread(thread: Thread) -> None:
    index_posts(Post.objects.filter(thread=thread))


def _highlight(text: str) -> str:
    escaped = html.escape(text)
    return escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


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


@dataclass
class Term:
    words: list[str]  # one word, or the words of a "phrase"
    negate: bool = False
    either: bool = False  # joined to the previous term with OR


def parse(query: str) -> list[Term]:
    """websearch syntax: words, "phrases", -exclusions, OR; the rest is ignored."""
    terms: list[Term] = []
    either = False
    for match in re.finditer(r'(-?)"([^"]*)"?|(\S+)', query):
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


def _prefix(word: str) -> str:
    stemmed = stem(word)
    return stemmed if len(stemmed) >= 4 else word


def _fts5_query(query: str) -> str:
    parts: list[str] = []
    for term in parse(query):
        if len(term.words) > 1:
            text = '"' + " ".join(term.words) + '"'
        else:
            text = f'"{_prefix(term.words[0])}"*'
        if parts:
            parts.append("NOT" if term.negate else "OR" if term.either else "AND")
        parts.append(text)
    return " ".join(parts)


def _tsquery(query: str) -> str:
    """The same syntax as a raw PostgreSQL tsquery, words as stemmed prefixes."""
    parts: list[str] = []
    for term in parse(query):
        if len(term.words) > 1:
            text = "(" + " <-> ".join(term.words) + ")"
        else:
            text = f"{_prefix(term.words[0])}:*"
        if term.negate:
            text = "!" + text
        if parts:
            parts.append("|" if term.either else "&")
        parts.append(text)
    return " ".join(parts)


def search_posts(posts: QuerySet[Post], query: str, *, limit: int = 50) -> list[Hit]:
    """Best-ranked posts among `posts` for a websearch-style `query`."""
    query = query.strip()[:200]
    if not query:
        return []
    if is_postgres():
        return _search_postgres(posts, query, limit)
    return _search_sqlite(posts, query, limit)


def _search_postgres(posts: QuerySet[Post], query: str, limit: int) -> list[Hit]:
    raw = _tsquery(query)
    if not raw:
        return []
    search_query = SearchQuery(raw, search_type="raw", config=CONFIG)
    found = (
        posts.filter(search_vector=search_query)
        .annotate(
            rank=SearchRank(F("search_vector"), search_query),
            snippet=SearchHeadline(
                "source",
                search_query,
                config=CONFIG,
                start_sel=MARK_START,
                stop_sel=MARK_END,
                max_words=30,
                min_words=12,
            ),
        )
        .order_by("-rank", "-created_at")[:limit]
    )
    return [Hit(post=post, snippet=_highlight(post.snippet)) for post in found]


def _search_sqlite(posts: QuerySet[Post], query: str, limit: int) -> list[Hit]:
    match = _fts5_query(query)
    if not match:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, snippet({FTS_TABLE}, 1, %s, %s, '…', 24) "  # noqa: S608
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
            f"ORDER BY bm25({FTS_TABLE}, 4.0, 1.0) LIMIT %s",
            [MARK_START, MARK_END, match, limit * 4],
        )
        ranked = cursor.fetchall()
    by_id = posts.in_bulk([pk for pk, _ in ranked])
    hits = [
        Hit(post=by_id[pk], snippet=_highlight(snippet))
        for pk, snippet in ranked
        if pk in by_id
    ]
    return hits[:limit]


def create_index(schema_editor) -> None:
    """Migration step: the vendor's index (GIN on PostgreSQL, FTS5 on SQLite)."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX forum_post_search_gin ON forum_post USING gin (search_vector)"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
            "title, body, tokenize = 'unicode61 remove_diacritics 0')"
        )


def drop_index(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS forum_post_search_gin")
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
