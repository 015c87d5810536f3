"""`python -m bench forum`: thread pages of a 1,000-post thread, logged in.

For each deployment shape of docs/deploy.md (ASGI processes alone, or pages
on WSGI workers): requests/s and p50/p99 of the first, middle and last page at
fixed concurrency, the SQL queries per page (counted in this process through
Django's test client on the same database), and the last page open loop at a
fixed rate. References in the same run, same server (bench/references/page.py):
20 pre-rendered posts from memory, once anonymous (no database, no session)
and once as the signed-in shell (the same middleware, session, user and
header as the thread page, no thread), so that the ratio to the shell is the
thread page's own cost.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from bench import seed, steps
from bench.http import closed_loop, open_loop
from bench.servers import Stack

ASGI = "zukunftsraum.asgi:application"
WSGI = "zukunftsraum.wsgi:application"
POST_HTML = "<p>" + "Ein Beitrag über Bürgerbusse im ländlichen Raum. " * 8 + "</p>"


@dataclass(frozen=True)
class Size:
    posts: int
    deployments: list[tuple[str, str, int]]  # (label, server, processes/workers)
    concurrency: int
    seconds: float
    open_rate: float
    open_seconds: float


ALL = [
    ("Daphne ×1", "daphne", 1),
    ("Daphne ×2", "daphne", 2),
    ("uvicorn ×1", "uvicorn", 1),
    ("uvicorn ×2", "uvicorn", 2),
    ("gunicorn, 2 WSGI workers", "gunicorn", 2),
]
SMOKE = Size(60, [ALL[0]], 2, 1.0, 10, 1.0)
QUICK = Size(1000, [ALL[0], ALL[2], ALL[4]], 8, 4.0, 50, 6.0)
FULL = Size(1000, ALL, 8, 15.0, 50, 20.0)
SIZES = {"smoke": SMOKE, "quick": QUICK, "full": FULL}


def make_thread(posts: int) -> tuple[int, str, int]:
    """A thread of `posts` posts and a signed-in member who read it."""
    from accounts.models import User
    from community.models import Space
    from forum.actions.threads import start_thread
    from forum.models import Post, Thread

    user = User.objects.create_user(
        email="forum@bench.example", password=None, name="B"
    )
    space = Space.objects.create(title="Bench", slug="bench")
    # Seeded data, not a member's post: pre-moderation does not apply.
    thread = start_thread(
        user, space, kind="discussion", title="1000", source="Start", screened=False
    )
    Post.objects.bulk_create(
        Post(thread=thread, position=n, author=user, source="x", html=POST_HTML)
        for n in range(2, posts + 1)
    )
    Thread.objects.filter(pk=thread.pk).update(last_position=posts)
    pages = -(-posts // 20)
    return thread.pk, seed.sessions_for([user])[0], pages


def count_queries(path: str, cookie: str, *, cold: bool = False) -> int:
    """SQL queries of one request; `cold`: with the cache emptied first (post
    cards, session, header counts: everything is fetched and cached again)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    executed: list[str] = []

    def note(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = cookie
    client.get(path)
    if cold:
        cache.clear()
    with connection.execute_wrapper(note):
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(executed)


def page_figures(ports, path, cookie, size: Size) -> dict:
    asyncio.run(closed_loop(ports, path, cookie, 2, 0.5))  # warm-up, discarded
    found = asyncio.run(
        closed_loop(ports, path, cookie, size.concurrency, size.seconds)
    )
    samples = found["latencies"]
    return {
        "rps": round(len(samples) / size.seconds),
        "p50_ms": round(steps.percentile(samples, 0.5) * 1000, 1),
        "p99_ms": round(steps.percentile(samples, 0.99) * 1000, 1),
        "errors": found["errors"],
    }


def run(size: Size = QUICK, say=print, stack: Stack | None = None) -> dict:
    own = stack is None
    stack = stack or Stack().start()
    try:
        seed.setup_django(stack.env)
        thread, cookie, pages = make_thread(size.posts)
        paths = {
            "first": f"/forum/thema/{thread}/?seite=1",
            "middle": f"/forum/thema/{thread}/?seite={max(pages // 2, 1)}",
            "last": f"/forum/thema/{thread}/?seite={pages}",
        }
        cold = {name: count_queries(p, cookie, cold=True) for name, p in paths.items()}
        queries = {name: count_queries(p, cookie) for name, p in paths.items()}
        say(f"  SQL queries per page: {queries} (cold cache: {cold})")
        results = {
            "suite": "forum",
            "posts": size.posts,
            "concurrency": size.concurrency,
            "open_rate": size.open_rate,
            "queries": queries,
            "queries_cold": cold,
            "deployments": [],
        }
        for label, kind, count in size.deployments:
            say(f"  {label}")
            if kind == "gunicorn":
                servers = [stack.serve(kind, WSGI, workers=count)]
            else:
                servers = [stack.serve(kind, ASGI) for _ in range(count)]
            ports = [s.port for s in servers]
            try:
                results["deployments"].append(
                    deployment(label, ports, paths, cookie, queries, size, say)
                )
            finally:
                stack.stop_servers()
        results["constant_queries"] = (
            len(set(queries.values())) == 1 and len(set(cold.values())) == 1
        )
        return results
    finally:
        stack.stop_servers()
        if own:
            stack.stop()


def deployment(label, ports, paths, cookie, queries, size: Size, say) -> dict:
    reference = page_figures(ports, "/bench/reference/", None, size)
    shell = page_figures(ports, "/bench/shell/", cookie, size)
    rows = [
        {"page": "reference (20 posts from memory)", **reference},
        {"page": "signed-in shell (no thread)", **shell},
    ]
    for name, path in paths.items():
        figures = page_figures(ports, path, cookie, size)
        figures.update(
            page=f"{name} page",
            queries=queries[name],
            ratio=round(figures["rps"] / max(reference["rps"], 1), 2),
            shell_ratio=round(figures["rps"] / max(shell["rps"], 1), 2),
        )
        rows.append(figures)
    for row in rows:
        say(f"    {row}")
    opened = asyncio.run(
        open_loop(ports, paths["last"], cookie, size.open_rate, size.open_seconds)
    )
    result = {
        "label": label,
        "pages": rows,
        "open_rate": size.open_rate,
        "open_p50_ms": round(steps.percentile(opened["latencies"], 0.5) * 1000, 1),
        "open_p99_ms": round(steps.percentile(opened["latencies"], 0.99) * 1000, 1),
        "open_errors": opened["errors"],
    }
    say(
        f"    open loop {size.open_rate}/s: p50 {result['open_p50_ms']} ms, "
        f"p99 {result['open_p99_ms']} ms, errors {result['open_errors']}"
    )
    return result
