"""German full-text search over posts: the index and the query engine (the
member-facing search with its filters is forum.queries.search).

PostgreSQL: a stored, GIN-indexed `tsvector` per post (thread title weight A,
text weight B, `german` configuration). Queries use websearch syntax (words,
"phrases", -exclusions, OR, parsed by community.textsearch); each word becomes
a stemmed prefix so plural and compound-final forms find each other.
SQLite (the embedded default): an FTS5 table with the same columns; German
word endings are trimmed so "Bürgerbusse" still finds "Bürgerbus".
On both, text and queries are folded alike (ä/ae → a, ...: "buergerbus" and
"Burgerbus" find "Bürgerbus"), and snippets are cut from the post's plain
text in Python, so they show words, never Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, OuterRef, QuerySet, Subquery

from community.markup import plain_text
from community.textsearch import fold, fold_expression, parse, prefix, snippet
from forum.models import Post, Thread

CONFIG = "german"
FTS_TABLE = "forum_post_fts"


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
            search_vector=SearchVector(
                fold_expression(Subquery(title)), weight="A", config=CONFIG
            )
            + SearchVector(fold_expression(F("source")), weight="B", config=CONFIG)
        )
        return
    rows = [
        (pk, fold(title), fold(source))
        for pk, title, source in posts.values_list("pk", "thread__title", "source")
    ]
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


def _fts5_query(query: str) -> str:
    parts: list[str] = []
    for term in parse(query):
        if len(term.words) > 1:
            text = '"' + " ".join(fold(word) for word in term.words) + '"'
        else:
            text = f'"{prefix(term.words[0])}"*'
        if parts:
            parts.append("NOT" if term.negate else "OR" if term.either else "AND")
        parts.append(text)
    return " ".join(parts)


def _tsquery(query: str) -> str:
    """The same syntax as a raw PostgreSQL tsquery, words as stemmed prefixes."""
    parts: list[str] = []
    for term in parse(query):
        if len(term.words) > 1:
            text = "(" + " <-> ".join(fold(word) for word in term.words) + ")"
        else:
            text = f"{prefix(term.words[0])}:*"
        if term.negate:
            text = "!" + text
        if parts:
            parts.append("|" if term.either else "&")
        parts.append(text)
    return " ".join(parts)


def search_posts(posts: QuerySet[Post], query: str, *, limit: int = 50) -> list[Hit]:
    """Best-ranked posts among `posts` for a websearch-style `query`, each with
    a snippet of its plain text."""
    query = query.strip()[:200]
    if not query:
        return []
    if is_postgres():
        found = _search_postgres(posts, query, limit)
    else:
        found = _search_sqlite(posts, query, limit)
    return [
        Hit(post=post, snippet=snippet(plain_text(post.html), query)) for post in found
    ]


def _search_postgres(posts: QuerySet[Post], query: str, limit: int) -> list[Post]:
    raw = _tsquery(query)
    if not raw:
        return []
    search_query = SearchQuery(raw, search_type="raw", config=CONFIG)
    return list(
        posts.filter(search_vector=search_query)
        .annotate(rank=SearchRank(F("search_vector"), search_query))
        .order_by("-rank", "-created_at")[:limit]
    )


def _search_sqlite(posts: QuerySet[Post], query: str, limit: int) -> list[Post]:
    match = _fts5_query(query)
    if not match:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "  # noqa: S608
            f"ORDER BY bm25({FTS_TABLE}, 4.0, 1.0) LIMIT %s",
            [match, limit * 4],
        )
        ranked = [pk for (pk,) in cursor.fetchall()]
    by_id = posts.in_bulk(ranked)
    return [by_id[pk] for pk in ranked if pk in by_id][:limit]


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
