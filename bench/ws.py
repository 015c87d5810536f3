"""`python -m bench ws`: chat deliveries/s, latency and loss, beside references.

For every room shape and every server (Daphne, uvicorn; one and two processes
on one Redis) the offered rate is stepped up until p99 passes 100 ms or a
message is lost. References on the same machine in the same run: (a) the raw
ASGI broadcast app on the same server, (b) a bare `websockets` server, (c) a
Channels-tutorial consumer on the same server. Then stored messages/s with
acknowledgement latency (rooms of two, everybody sends), and idle connections
after a connect storm (bench/idle.py).
"""

from __future__ import annotations

import itertools
import json
import time
import urllib.request
from dataclasses import dataclass

from bench import idle, seed, steps
from bench import targets as targets_module
from bench.loadgen import Generators, Plan
from bench.servers import Stack
from bench.steps import Timing

PLATFORM_APP = "zukunftsraum.asgi:application"
RAW_APP = "bench.references.raw_asgi:application"
TUTORIAL_APP = "bench.references.tutorial:application"
WEBSOCKETS_APP = "bench.references.websockets_broadcast"


@dataclass(frozen=True)
class Size:
    shapes: list[tuple[int, int]]  # (rooms, members per room)
    servers: list[tuple[str, int]]  # (server, processes) for the platform
    references: bool
    rates: list[float]  # offered deliveries/s, stepped up
    refine: int
    timing: Timing
    generators: int
    stored_shape: tuple[int, int]
    stored_rates: list[float]
    idle_clients: int
    storm_seconds: float
    idle_seconds: float
    start_raw: float = 0  # the raw ASGI and websockets sweeps start here
    # The tutorial consumer on every server, or only the first (quick: raw
    # ASGI, the ceiling, stored messages and the connect storm always run on
    # every server).
    every_server: bool = True
    # p99 limit of a step, per shape (the one room of 1,000: 250 ms).
    p99_limits: tuple[tuple[int, float], ...] = ((1000, 250.0),)


SMOKE = Size(
    shapes=[(4, 5)],
    servers=[("daphne", 1)],
    references=False,
    rates=[40, 80],
    refine=0,
    timing=Timing(0.5, 1.5, 1.0),
    generators=1,
    stored_shape=(5, 2),
    stored_rates=[20],
    idle_clients=20,
    storm_seconds=2,
    idle_seconds=1,
)
# The references' sweeps go on to 256,000/s: raw ASGI on uvicorn passed
# 64,000 (the old last rate), which was the cap, not its ceiling.
RATES = [500, 1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000]

QUICK = Size(
    shapes=[(100, 10)],
    # One and two processes on one Redis: the two-process step is part of
    # every run (issue 17), on both servers.
    servers=[("daphne", 1), ("uvicorn", 1), ("daphne", 2), ("uvicorn", 2)],
    references=True,
    rates=RATES,
    refine=1,
    timing=Timing(0.5, 3.0, 1.0),
    generators=2,
    stored_shape=(250, 2),
    stored_rates=[125, 250, 500, 1000, 2000, 4000],
    idle_clients=1000,
    storm_seconds=10,
    idle_seconds=5,
    start_raw=4000,
    every_server=False,
)
FULL = Size(
    shapes=[(100, 10), (20, 50), (1, 1000)],
    servers=[("daphne", 1), ("daphne", 2), ("uvicorn", 1), ("uvicorn", 2)],
    references=True,
    rates=RATES,
    refine=2,
    timing=Timing(2.0, 8.0, 2.0),
    generators=2,
    stored_shape=(250, 2),
    stored_rates=[125, 250, 500, 1000, 2000, 3000, 4000, 6000],
    idle_clients=1000,
    storm_seconds=10,
    idle_seconds=20,
    start_raw=2000,
)
SIZES = {"smoke": SMOKE, "quick": QUICK, "full": FULL}
_keys = itertools.count(1)


def plan_for(rooms, ports: list[int], platform: bool) -> Plan:
    """Clients on the given ports round robin, so rooms span the processes."""
    clients = [
        (m.room, m.index, m.cookie, ports[n % len(ports)])
        for n, m in enumerate(member for room in rooms for member in room)
    ]
    return Plan(
        platform=platform,
        clients=clients,
        sizes={room[0].room: len(room) for room in rooms},
        phases={room[0].room: n / len(rooms) for n, room in enumerate(rooms)},
    )


def counters(servers) -> list[dict]:
    """Each platform process's chat counters (bench/urls.py): batch sizes and
    which way sends were stored."""
    found = []
    for server in servers:
        url = f"http://127.0.0.1:{server.port}/bench/chat-counters/"
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                found.append(json.loads(response.read()))
        except OSError:
            found.append({})
    return found


def counted(before: list[dict], after: list[dict]) -> dict:
    """The step's batches (size -> count, all processes) and stores."""
    sizes: dict[str, int] = {}
    stores: dict[str, int] = {}
    for old, new in zip(before, after, strict=True):
        for name, histogram in new.get("batches", {}).items():
            if "store_batch" not in name:
                continue
            earlier = old.get("batches", {}).get(name, {})
            for batch, count in histogram.items():
                grown = count - earlier.get(batch, 0)
                if grown:
                    sizes[batch] = sizes.get(batch, 0) + grown
        for name, count in new.get("store", {}).items():
            grown = count - old.get("store", {}).get(name, 0)
            stores[name] = stores.get(name, 0) + grown
    return {
        "batch_sizes": dict(sorted(sizes.items(), key=lambda i: int(i[0]))),
        "store": stores,
    }


def measure(
    stack,
    servers,
    rooms,
    size: Size,
    *,
    platform: bool,
    key: str,
    figure: str,
    rates: list[float],
    say,
    limit: float = steps.P99_LIMIT_MS,
) -> dict:
    plan = plan_for(rooms, [s.port for s in servers], platform)
    generators = Generators(plan, size.generators)
    try:
        opened = generators.call("open")
        failures = sum(o["failures"] for o in opened)
        # A message is expected at every other member who could connect.
        present = dict.fromkeys(plan.sizes, 0)
        for answer in opened:
            for room, _ in answer["connected"]:
                present[room] += 1
        if failures:
            say(f"    {failures} clients could not connect")
        others = sum(len(r) - 1 for r in rooms)
        senders = len(rooms) if figure == "deliveries_per_s" else len(plan.clients)

        def run_step(offered: float) -> dict:
            # Offered deliveries/s (or stored messages/s) -> messages per room/s.
            room_rate = offered / (others if figure == "deliveries_per_s" else senders)
            if figure != "deliveries_per_s":
                room_rate *= len(rooms[0])
            timing = size.timing
            start = time.time() + 0.5
            before = counters(servers) if platform else []
            cpu = sum(s.cpu() for s in servers)
            answers = generators.call(
                "step",
                timeout=timing.seconds + timing.drain + 120,
                key=next(_keys),
                room_rate=room_rate,
                start=start,
                warmup=timing.warmup,
                seconds=timing.seconds,
                drain=timing.drain,
            )
            cpu = sum(s.cpu() for s in servers) - cpu
            step = steps.summarise(answers, present, timing)
            if platform:
                step.update(counted(before, counters(servers)))
            work = step["deliveries"] if figure == "deliveries_per_s" else step["sent"]
            step.update(
                offered=offered,
                cpu_ms_per_1000=round(cpu * 1e6 / max(work, 1), 1),
                connect_failures=failures,
            )
            return step

        done = steps.sweep(
            run_step, rates, refine=size.refine, key=key, say=say, limit=limit
        )
    finally:
        generators.close()
    top, half = steps.best(done, key, figure, limit=limit)
    logged = [s.problems() for s in servers]
    if any(p.get("count") for p in logged):
        say(f"    server logs: {logged}")
    return {"steps": done, "max": top, "at_half": half, "server_log": logged}


def run(size: Size = QUICK, say=print, stack: Stack | None = None) -> dict:
    """Every sweep of `size`; `stack` may be shared with another suite."""
    own = stack is None
    stack = stack or Stack().start()
    try:
        seed.setup_django(stack.env)
        results = {"suite": "ws", "generators": size.generators, "shapes": []}
        for number, (count, members) in enumerate(size.shapes):
            rooms = seed.chat_rooms(f"ws{number}-", count, members)
            limit = dict(size.p99_limits).get(members, steps.P99_LIMIT_MS)
            shape = {
                "shape": f"{count} rooms of {members}",
                "p99_limit_ms": limit,
                "runs": [],
            }
            results["shapes"].append(shape)
            for label, kind, app, processes, platform in targets(size):
                say(f"  {shape['shape']}: {label}")
                servers = [stack.serve(kind, app) for _ in range(processes)]
                try:
                    found = measure(
                        stack,
                        servers,
                        rooms,
                        size,
                        platform=platform,
                        key="p99_ms",
                        figure="deliveries_per_s",
                        # The references start higher: their ceilings are far up.
                        rates=[r for r in size.rates if platform or r >= size.start_raw]
                        if app != TUTORIAL_APP
                        else size.rates,
                        say=say,
                        limit=limit,
                    )
                except (TimeoutError, RuntimeError) as error:
                    # A server that cannot take the load at all (connecting
                    # timed out, a generator died) is a result, not a crash.
                    say(f"    failed: {error}")
                    found = {
                        "steps": [],
                        "max": 0,
                        "at_half": None,
                        "error": str(error),
                    }
                finally:
                    stack.stop_servers()
                shape["runs"].append(
                    {
                        "label": label,
                        "server": kind,
                        "processes": processes,
                        "kind": "platform" if platform else app,
                        **found,
                    }
                )
        results["stored"] = stored(stack, size, say)
        results["idle"] = [
            idle.run(stack, kind, size, say) for kind in kinds(size, every=True)
        ]
        results["ratios"] = targets_module.ratios(results)
        return results
    finally:
        stack.stop_servers()
        if own:
            stack.stop()


def kinds(size: Size, *, every: bool) -> list[str]:
    """The servers of the platform runs; only the first unless `every`."""
    found = list(dict.fromkeys(kind for kind, _ in size.servers))
    return found if every else found[:1]


def targets(size: Size):
    """(label, server, app, processes, platform) in the order they run."""
    for kind, processes in size.servers:
        yield f"Zukunftsraum, {kind} ×{processes}", kind, PLATFORM_APP, processes, True
    if not size.references:
        return
    for kind in kinds(size, every=True):
        yield f"raw ASGI, {kind}", kind, RAW_APP, 1, False
    for kind in kinds(size, every=size.every_server):
        yield f"tutorial consumer, {kind}", kind, TUTORIAL_APP, 1, False
    yield "bare websockets", "websockets", WEBSOCKETS_APP, 1, False


def stored(stack, size: Size, say) -> list[dict]:
    """Stored messages/s per process: rooms of two, every member sends."""
    count, members = size.stored_shape
    rooms = seed.chat_rooms("st-", count, members)
    found = []
    for kind in kinds(size, every=True):
        say(f"  stored messages, {kind} ×1 ({count} rooms of {members})")
        server = stack.serve(kind, PLATFORM_APP)
        try:
            result = measure(
                stack,
                [server],
                rooms,
                size,
                platform=True,
                key="ack_p99_ms",
                figure="acks_per_s",
                rates=size.stored_rates,
                say=say,
            )
        except (TimeoutError, RuntimeError) as error:
            say(f"    failed: {error}")
            result = {"steps": [], "max": 0, "at_half": None, "error": str(error)}
        finally:
            stack.stop_servers()
        found.append({"server": kind, **result})
    return found
