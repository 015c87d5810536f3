"""Connect storm and idle connections: N signed-in clients connect open-loop
over a fixed time (each: handshake, hello, subscribe), then stay idle. Reports
the connect latency, failures, server memory per connection and the server's
CPU use while nothing happens."""

from __future__ import annotations

import time

from bench import seed, steps
from bench.loadgen import Generators


def run(stack, kind: str, size, say) -> dict:
    from bench.ws import PLATFORM_APP, plan_for

    clients = size.idle_clients
    rooms = seed.chat_rooms(f"idle-{kind}-", max(clients // 10, 1), min(clients, 10))
    say(
        f"  connect storm and idle sockets, {kind}: {clients} in {size.storm_seconds} s"
    )
    server = stack.serve(kind, PLATFORM_APP)
    generators = None
    try:
        time.sleep(1.0)
        rss_before = server_rss(server)
        plan = plan_for(rooms, [server.port], platform=True)
        generators = Generators(plan, size.generators)
        per_generator = clients / size.storm_seconds / len(generators.pipes)
        began = time.time()
        opened = generators.call("open", per_second=per_generator)
        storm = time.time() - began
        connect = [t for o in opened for t in o["connect"]]
        failures = sum(o["failures"] for o in opened)
        time.sleep(1.0)
        rss_after = server_rss(server)
        cpu = server.cpu()
        time.sleep(size.idle_seconds)
        idle_cpu = (server.cpu() - cpu) / size.idle_seconds
        result = {
            "server": kind,
            "clients": clients,
            "storm_seconds": round(storm, 1),
            "connect_p50_ms": round(steps.percentile(connect, 0.5) * 1000, 1),
            "connect_p99_ms": round(steps.percentile(connect, 0.99) * 1000, 1),
            "connect_failures": failures,
            "kib_per_connection": round((rss_after - rss_before) / 1024 / clients, 1),
            "idle_cpu_percent": round(idle_cpu * 100, 2),
        }
        say(f"    {result}")
        return result
    finally:
        if generators is not None:
            generators.close()
        stack.stop_servers()


def server_rss(server) -> int:
    from bench.servers import rss_bytes

    return rss_bytes(server.pid)
