"""Forum figures until the benchmark suite exists (`python -m bench forum|search`).

    .venv/bin/python bench/forum_figures.py

Starts a throwaway PostgreSQL (as the test fixtures do), then measures in-process
through Django's test client, so no network or server process is involved:

- a 1,000-post thread, logged in: requests/s and p50/p99 for the first, middle
  and last page, and the SQL queries per page; **reference in the same run**: a
  view that renders 20 pre-rendered posts from memory (no database, no session)
  into the same base template;
- search over 100,000 generated German posts (a vocabulary with compounds and
  umlauts): build time of the search vectors, p50/p95 of rare, two-word, common
  and phrase queries, and the rate of replies through the action with the index
  kept up to date.
"""

from __future__ import annotations

import os
import random
import sys
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zukunftsraum.settings")
os.environ["DEBUG"] = "1"

VOCABULARY = (  # noqa: SIM905 - a word list reads best as text
    "Bürgerbus Gemeindeschwester Pflegekräfte Fachkräftemangel Dorfladen Ehrenamt "
    "Nahversorgung Breitbandausbau Jugendtreff Seniorenwohnen Rufbus Förderantrag "
    "Kita Integrationskurs Leerstand Innenentwicklung Gemeinderat Bürgermeisterin "
    "Landkreis Übergang Ärztehaus Apotheke Telemedizin Quartier Nachbarschaftshilfe "
    "Schülerverkehr Fahrplan Satzung Versicherung Haushalt Zuschuss Personal "
    "Verwaltung Digitalisierung"
).split()
FILLER = "und der die das mit für auf im zum bei wir unsere haben wird sehr gut".split()  # noqa: SIM905
QUERIES = [
    ("rare", "Quartiersmanagement"),
    ("two words", "Bürgerbusse Telemedizin"),
    ("common", "Landkreis"),
    ("phrase", '"Dorfladen Ehrenamt"'),
]


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000


def count_query(executed: list[str], execute, sql, params, many, context):
    executed.append(sql)
    return execute(sql, params, many, context)


def measure(client, path: str, count: int = 200) -> tuple[float, float, float]:
    client.get(path)
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        response = client.get(path)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, path
    return count / sum(samples), percentile(samples, 0.5), percentile(samples, 0.99)


def main() -> None:
    from tests.services import ThrowawayPostgres, find_pg_ctl

    server = ThrowawayPostgres(find_pg_ctl())
    os.environ["DATABASE_URL"] = server.start().rsplit("/", 1)[0] + "/postgres"
    try:
        run()
    finally:
        server.stop()


def run() -> None:
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    thread_page(settings)
    search_figures()


def thread_page(settings) -> None:
    from django.db import connection
    from django.http import HttpResponse
    from django.template.loader import render_to_string
    from django.test import Client
    from django.urls import path

    import zukunftsraum.urls
    from accounts.models import User
    from forum.actions.threads import start_thread
    from forum.models import Post, Space, Thread

    user = User.objects.create_user(email="b@example.org", password=None, name="Bench")
    space = Space.objects.create(title="Bench", slug="bench")
    thread = start_thread(user, space, kind="discussion", title="1000", source="Start")
    html = "<p>" + "Ein Beitrag über Bürgerbusse im ländlichen Raum. " * 8 + "</p>"
    Post.objects.bulk_create(
        Post(thread=thread, position=n, author=user, source="x", html=html)
        for n in range(2, 1001)
    )
    Thread.objects.filter(pk=thread.pk).update(last_position=1000)
    posts = [html] * 20

    def reference(request):
        body = "".join(f'<li class="post"><div>{p}</div></li>' for p in posts)
        page = render_to_string("base.html", {"request": request})
        return HttpResponse(page.replace("</main>", f"<ol>{body}</ol></main>"))

    zukunftsraum.urls.urlpatterns.append(path("bench-reference/", reference))
    client = Client()
    client.force_login(user)
    rate, p50, p99 = measure(client, "/bench-reference/")
    print(f"reference, 20 posts from memory: {rate:.0f} req/s, p50 {p50:.1f} ms")
    client.get(f"/forum/thema/{thread.pk}/?seite=50")  # read to the end first
    for page in (1, 25, 50):
        url = f"/forum/thema/{thread.pk}/?seite={page}"
        executed: list[str] = []
        with connection.execute_wrapper(partial(count_query, executed)):
            client.get(url)
        rate_page, p50, p99 = measure(client, url)
        print(
            f"thread page {page:2d}/50: {rate_page:.0f} req/s, p50 {p50:.1f} ms, "
            f"p99 {p99:.1f} ms, {len(executed)} queries, "
            f"ratio to reference {rate_page / rate:.2f}"
        )


def search_figures() -> None:
    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from forum import search
    from forum.actions.posts import reply
    from forum.models import Post, Space, Thread

    user = User.objects.get(email="b@example.org")
    space = Space.objects.get(slug="bench")
    rng = random.Random(7)
    threads = Thread.objects.bulk_create(
        Thread(
            space=space,
            title=" ".join(rng.sample(VOCABULARY, 3)),
            author=user,
            last_post_at=timezone.now(),
            last_position=50,
        )
        for _ in range(2000)
    )
    started = time.perf_counter()
    batch = []
    for n in range(100_000):
        words = (
            rng.choice(VOCABULARY) if rng.random() < 0.3 else rng.choice(FILLER)
            for _ in range(40)
        )
        text = " ".join(words)
        if n % 5000 == 0:
            text += " Quartiersmanagement"  # 20 posts: the rare term
        batch.append(
            Post(
                thread=threads[n % 2000],
                position=n // 2000 + 1,
                author=user,
                source=text,
                html=text,
            )
        )
        if len(batch) == 10_000:
            Post.objects.bulk_create(batch)
            batch = []
    generated = time.perf_counter() - started
    started = time.perf_counter()
    search.index_posts(Post.objects.all())
    indexed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE forum_post")
    print(
        f"100,000 posts generated in {generated:.0f} s; search vectors built "
        f"in {indexed:.1f} s with the GIN index in place"
    )
    posts = Post.objects.select_related("thread__space", "author")
    for label, query in QUERIES:
        samples, hits = [], []
        for _ in range(30):
            begun = time.perf_counter()
            hits = search.search_posts(posts, query)
            samples.append(time.perf_counter() - begun)
        print(
            f"search {label:9s} {query!r}: p50 {percentile(samples, 0.5):.0f} ms, "
            f"p95 {percentile(samples, 0.95):.0f} ms ({len(hits)} hits shown)"
        )
    started = time.perf_counter()
    for n in range(200):
        reply(user, threads[n], source=f"Neuer Beitrag über Bürgerbusse {n}")
    elapsed = time.perf_counter() - started
    print(f"replies through the action, index kept current: {200 / elapsed:.0f}/s")


if __name__ == "__main__":
    main()
