"""`python -m bench search`: German full-text search on PostgreSQL.

Generated posts (a vocabulary with compounds and umlauts, filler words) in
2,000 threads; a rare term in 1 of 5,000 posts, a medium one in 1 of 100, the
vocabulary's words in about a quarter each. Reports the time to build the
search vectors with the GIN index in place, p50/p95 of the top 20 ranked hits
for rare, medium and common terms and phrases, and the rate of replies
through the forum's action with the index kept current.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from bench import seed, steps
from bench.servers import Stack

VOCABULARY = (  # noqa: SIM905 - a word list reads best as text
    "Bürgerbus Gemeindeschwester Pflegekräfte Fachkräftemangel Dorfladen Ehrenamt "
    "Nahversorgung Breitbandausbau Jugendtreff Seniorenwohnen Rufbus Förderantrag "
    "Kita Integrationskurs Leerstand Innenentwicklung Gemeinderat Bürgermeisterin "
    "Landkreis Übergang Ärztehaus Apotheke Telemedizin Quartier Nachbarschaftshilfe "
    "Schülerverkehr Fahrplan Satzung Versicherung Haushalt Zuschuss Personal "
    "Verwaltung Digitalisierung"
).split()
FILLER = "und der die das mit für auf im zum bei wir unsere haben wird sehr gut".split()  # noqa: SIM905
RARE, MEDIUM = "Quartiersmanagement", "Mehrgenerationenhaus"
# (kind, query, target p95 in ms)
QUERIES = [
    ("rare term", RARE, 50),
    ("medium term", MEDIUM, 50),
    ("medium, inflected", "Mehrgenerationenhäuser", 50),
    ("common term", "Landkreis", 150),
    ("common, two words", "Bürgerbusse Telemedizin", 150),
    ("phrase, medium", f'"{MEDIUM} Ärztehaus"', 50),
    ("phrase, common", '"Dorfladen Ehrenamt"', 150),
]


@dataclass(frozen=True)
class Size:
    posts: int
    repeats: int
    replies: int


SMOKE = Size(2_000, 5, 10)
QUICK = Size(100_000, 20, 100)
FULL = Size(100_000, 100, 500)
SIZES = {"smoke": SMOKE, "quick": QUICK, "full": FULL}


def generate(size: Size, say) -> tuple[object, list, float]:
    from django.utils import timezone

    from accounts.models import User
    from community.models import Space
    from forum.models import Post, Thread

    # 200 authors, so that no member's history is unrealistically long.
    authors = User.objects.bulk_create(
        User(email=f"search{n}@bench.example", name=f"Autor {n}", password="!")  # noqa: S106
        for n in range(200)
    )
    user = authors[0]
    space = Space.objects.create(title="Suche", slug="suche")
    rng = random.Random(7)
    threads = Thread.objects.bulk_create(
        Thread(
            space=space,
            title=" ".join(rng.sample(VOCABULARY, 3)),
            author=user,
            last_post_at=timezone.now(),
            last_position=size.posts // 2000 + 1,
        )
        for _ in range(2000)
    )
    started = time.perf_counter()
    batch = []
    for n in range(size.posts):
        words = [
            rng.choice(VOCABULARY) if rng.random() < 0.3 else rng.choice(FILLER)
            for _ in range(40)
        ]
        if n % 5000 == 0:
            words.insert(rng.randrange(40), RARE)
        if n % 100 == 1:
            words.insert(rng.randrange(40), MEDIUM)
        if n % 100 == 1 and n % 300 == 1:
            words.insert(rng.randrange(40), f"{MEDIUM} Ärztehaus")
        text = " ".join(words)
        batch.append(
            Post(
                thread=threads[n % 2000],
                position=n // 2000 + 1,
                author=authors[n % len(authors)],
                source=text,
                html=text,
            )
        )
        if len(batch) == 10_000:
            Post.objects.bulk_create(batch)
            batch = []
            say(f"    {n + 1:,} posts")
    Post.objects.bulk_create(batch)
    return user, threads, time.perf_counter() - started


def run(size: Size = QUICK, say=print, stack: Stack | None = None) -> dict:
    own = stack is None
    stack = stack or Stack().start()
    try:
        seed.setup_django(stack.env)
        from django.db import connection

        from forum import fulltext
        from forum.actions.posts import reply
        from forum.models import Post

        user, threads, generated = generate(size, say)
        started = time.perf_counter()
        fulltext.index_posts(Post.objects.all())
        indexed = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE forum_post")
        say(
            f"  {size.posts:,} posts generated in {generated:.0f} s; vectors built "
            f"in {indexed:.1f} s with the GIN index in place"
        )
        posts = Post.objects.select_related("thread__space", "author")
        queries = []
        for kind, query, target in QUERIES:
            fulltext.search_posts(posts, query, limit=20)  # warm-up, discarded
            samples, hits = [], []
            for _ in range(size.repeats):
                began = time.perf_counter()
                hits = fulltext.search_posts(posts, query, limit=20)
                samples.append(time.perf_counter() - began)
            row = {
                "kind": kind,
                "query": query,
                "hits": len(hits),
                "target_ms": target,
                "p50_ms": round(steps.percentile(samples, 0.5) * 1000, 1),
                "p95_ms": round(steps.percentile(samples, 0.95) * 1000, 1),
            }
            say(f"    {row}")
            queries.append(row)
        started = time.perf_counter()
        for n in range(size.replies):
            reply(
                user, threads[n % len(threads)], source=f"Neuer Beitrag {n} zum {RARE}"
            )
        rate = size.replies / (time.perf_counter() - started)
        return {
            "suite": "search",
            "posts": size.posts,
            "generate_seconds": round(generated),
            "index_seconds": round(indexed, 1),
            "insert_rate": round(rate),
            "queries": queries,
        }
    finally:
        stack.stop_servers()
        if own:
            stack.stop()
