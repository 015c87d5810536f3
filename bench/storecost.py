"""`python -m bench.storecost`: what storing a chat send costs, whatever the load.

Wall-clock latency on a busy machine says little; CPU time and statement
counts do not depend on the load. On a throwaway PostgreSQL (bench.servers)
this stores batches of chat sends through the chat's two paths, in this
process, and reports per batch size:

- statements per batch (Django's `connection.execute_wrapper`, plus the
  store's own prepared statement, which it counts),
- CPU time of the storing thread per message (`time.thread_time`: screening,
  rendering, building the statement, psycopg, decoding the answer),
- wall time per batch (includes PostgreSQL's own work and the round trips).

"statement" is chat.store.store_batch (the socket's path: one SQL statement
per batch for the common send), "ORM path" chat.actions.send_messages (what
SQLite, replies, mentions, slow mode and refusals take).
"""

from __future__ import annotations

import statistics
import sys
import time

from bench import seed
from bench.servers import Stack

SIZES = [(1, 1), (10, 10), (10, 1), (50, 50)]  # (messages, rooms) per batch
BATCHES = 60


def measure(path: str, store, requests_for, messages: int, rooms: int) -> dict:
    from django.db import connection

    from chat import store as chat_store

    statements: list[int] = []
    cpu: list[float] = []
    wall: list[float] = []
    for n in range(BATCHES):
        requests = requests_for(n, messages, rooms)
        count = [0]

        def counting(execute, sql, params, many, context, count=count):
            count[0] += 1
            return execute(sql, params, many, context)

        prepared = chat_store.counts["statements"]
        with connection.execute_wrapper(counting):
            began_cpu, began = time.thread_time(), time.perf_counter()
            results = store(requests)
            cpu.append(time.thread_time() - began_cpu)
            wall.append(time.perf_counter() - began)
        assert all(result.ok for result in results), results
        # Through the ORM, and the store's prepared statement (psycopg).
        statements.append(count[0] + chat_store.counts["statements"] - prepared)
    warm = slice(5, None)  # the first batches load the word filter, plans...
    return {
        "path": path,
        "messages": messages,
        "rooms": rooms,
        "statements_per_batch": statistics.median(statements[warm]),
        "cpu_ms_per_message": round(statistics.median(cpu[warm]) * 1000 / messages, 3),
        "wall_ms_per_batch": round(statistics.median(wall[warm]) * 1000, 2),
    }


def run(say=print) -> list[dict]:
    stack = Stack().start()
    try:
        seed.setup_django(stack.env)
        from accounts.models import User
        from chat import store
        from chat.actions import SendRequest, send_messages

        rooms = seed.chat_rooms("cost-", 50, 2)
        authors = {
            member.user: User.objects.get(pk=member.user)
            for room in rooms
            for member in room
        }

        def requests_for(batch: int, messages: int, count: int) -> list:
            return [
                SendRequest(
                    authors[rooms[n % count][n % 2].user],
                    rooms[n % count][0].room,
                    f"{time.time_ns()}-{batch}-{n}",
                    f"Guten Morgen, Nachricht {n} im Stapel {batch}",
                )
                for n in range(messages)
            ]

        found = []
        for messages, count in SIZES:
            for path, action in (
                ("statement", store.store_batch),
                ("ORM path", send_messages),
            ):
                result = measure(path, action, requests_for, messages, count)
                say(
                    f"  {path:>9}: {messages:>2} messages in {count:>2} rooms:"
                    f" {result['statements_per_batch']:>4} statements/batch,"
                    f" {result['cpu_ms_per_message']:>6} ms CPU/message,"
                    f" {result['wall_ms_per_batch']:>6} ms wall/batch"
                )
                found.append(result)
        return found
    finally:
        stack.stop()


if __name__ == "__main__":
    run(lambda line: print(line, flush=True))
    sys.exit(0)
