"""`python -m bench.thread_page [renders] [--profile]`: the thread page measured
inside one process, through Django's test client on the benchmarks' stack
(PostgreSQL, Redis, bench.server_settings), so that the figures do not depend
on how busy the machine is: SQL queries, template nodes rendered, and the CPU
time of this process per page (median of `renders`), warm (every cache filled)
and cold (the cache emptied before each request), beside the two reference
pages of the forum suite. `--profile` adds the functions with the most own
time over the warm renders of the last page (cProfile).

It is a development tool: the requests/s that count come from
`python -m bench forum`, against real server processes.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import statistics
import sys
import time
from contextlib import contextmanager

from bench import seed
from bench.forum import make_thread
from bench.servers import Stack


@contextmanager
def counting():
    """Count SQL queries and rendered template nodes inside the block."""
    from django.db import connection
    from django.template import base

    counts = {"queries": 0, "nodes": 0}
    original = base.Node.render_annotated

    def note_query(execute, sql, params, many, context):
        counts["queries"] += 1
        return execute(sql, params, many, context)

    def note_node(node, context):
        counts["nodes"] += 1
        return original(node, context)

    base.Node.render_annotated = note_node
    try:
        with connection.execute_wrapper(note_query):
            yield counts
    finally:
        base.Node.render_annotated = original


def measure(client, path: str, renders: int, *, cold: bool) -> dict:
    from django.core.cache import cache

    client.get(path)  # the read position and every cache settle first
    cpu, wall, counted = [], [], {}
    for _ in range(renders):
        if cold:
            cache.clear()
        with counting() as counts:
            began_cpu, began = time.process_time(), time.perf_counter()
            response = client.get(path)
            cpu.append(time.process_time() - began_cpu)
            wall.append(time.perf_counter() - began)
        assert response.status_code == 200, (path, response.status_code)
        counted = counts
    return {
        "cpu_ms": round(statistics.median(cpu) * 1000, 2),
        "wall_ms": round(statistics.median(wall) * 1000, 2),
        "bytes": len(response.content),
        **counted,
    }


def main(argv: list[str]) -> None:
    renders = int(argv[0]) if argv and argv[0].isdigit() else 30
    stack = Stack().start()
    try:
        seed.setup_django(stack.env)
        from django.core.cache import cache
        from django.test import Client

        thread, cookie, pages = make_thread(1000)
        anonymous = Client(HTTP_HOST="127.0.0.1")
        member = Client(HTTP_HOST="127.0.0.1")
        member.cookies["sessionid"] = cookie
        cache.clear()
        rows = [
            ("reference (anonymous)", anonymous, "/bench/reference/", False),
            ("signed-in shell", member, "/bench/shell/", False),
        ]
        for name, number in (("first", 1), ("middle", pages // 2), ("last", pages)):
            path = f"/forum/thema/{thread}/?seite={number}"
            rows.append((f"{name} page, warm", member, path, False))
            rows.append((f"{name} page, cold", member, path, True))
        header = ("page", "CPU ms", "wall ms", "queries", "nodes", "bytes")
        print("{:<24} {:>8} {:>8} {:>8} {:>7} {:>8}".format(*header))
        for label, client, path, cold in rows:
            found = measure(client, path, renders, cold=cold)
            print(
                f"{label:<24} {found['cpu_ms']:>8} {found['wall_ms']:>8} "
                f"{found['queries']:>8} {found['nodes']:>7} {found['bytes']:>8}"
            )
        if "--profile" in argv:
            last = f"/forum/thema/{thread}/?seite={pages}"
            member.get(last)
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(renders):
                member.get(last)
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(30)
            print(out.getvalue())
    finally:
        stack.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
