"""`python -m bench.thread_page [renders] [--profile]`: the thread page measured
inside one process, through Django's test client on the benchmarks' stack
(PostgreSQL, Redis, bench.server_settings), so that the figures do not depend
on how busy the machine is: SQL queries, template nodes rendered, and the CPU
time of this process per page (median of `renders` rounds that request every
page once, so that the ratio to the signed-in shell holds on a busy machine),
warm (every cache filled) and cold (the cache emptied before the request),
beside the two reference pages of the forum suite. `--profile` adds the
functions with the most CPU time over warm renders of the last page (cProfile).

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


def measure(rows: list[tuple], renders: int) -> list[dict]:
    """Request every page once per round, `renders` rounds: pages measured
    side by side see the same machine, so their ratios hold even when the
    absolute figures move with the load."""
    from django.core.cache import cache

    for _, client, path, _ in rows:
        client.get(path)  # the read position and every cache settle first
    cpu: list[list[float]] = [[] for _ in rows]
    wall: list[list[float]] = [[] for _ in rows]
    counted: list[dict] = [{} for _ in rows]
    sizes = [0 for _ in rows]
    for _ in range(renders):
        for index, (_, client, path, cold) in enumerate(rows):
            if cold:
                cache.clear()
            with counting() as counts:
                began_cpu, began = time.process_time(), time.perf_counter()
                response = client.get(path)
                cpu[index].append(time.process_time() - began_cpu)
                wall[index].append(time.perf_counter() - began)
            assert response.status_code == 200, (path, response.status_code)
            counted[index], sizes[index] = counts, len(response.content)
    return [
        {
            "cpu_ms": round(statistics.median(cpu[i]) * 1000, 2),
            "wall_ms": round(statistics.median(wall[i]) * 1000, 2),
            "bytes": sizes[i],
            **counted[i],
        }
        for i in range(len(rows))
    ]


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
        warm = [
            ("reference (anonymous)", anonymous, "/bench/reference/", False),
            ("signed-in shell", member, "/bench/shell/", False),
        ]
        cold = []
        for name, number in (("first", 1), ("middle", pages // 2), ("last", pages)):
            path = f"/forum/thema/{thread}/?seite={number}"
            warm.append((f"{name} page, warm", member, path, False))
            cold.append((f"{name} page, cold", member, path, True))
        # Warm pages side by side first; then the cold ones (each empties the
        # cache, which would make the next warm page cold too).
        rows = warm + cold
        found = measure(warm, renders) + measure(cold, renders)
        header = ("page", "CPU ms", "÷ shell", "wall ms", "queries", "nodes", "bytes")
        print("{:<24} {:>8} {:>8} {:>8} {:>8} {:>7} {:>8}".format(*header))
        shell = found[1]["cpu_ms"]
        for (label, *_), page in zip(rows, found, strict=True):
            print(
                f"{label:<24} {page['cpu_ms']:>8} {shell / page['cpu_ms']:>8.2f} "
                f"{page['wall_ms']:>8} {page['queries']:>8} {page['nodes']:>7} "
                f"{page['bytes']:>8}"
            )
        if "--profile" in argv:
            last = f"/forum/thema/{thread}/?seite={pages}"
            member.get(last)
            profiler = cProfile.Profile(time.process_time)  # CPU, not waiting
            profiler.enable()
            for _ in range(renders):
                member.get(last)
            profiler.disable()
            for order in ("tottime", "cumulative"):
                out = io.StringIO()
                stats = pstats.Stats(profiler, stream=out).sort_stats(order)
                stats.print_stats(40)
                print(out.getvalue())
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
            stats.print_callees("_render_thread_page|page_posts")
            print(out.getvalue())
    finally:
        stack.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
