"""Markdown tables of each suite's results (the terminal prints them too)."""

from __future__ import annotations

from bench.steps import size_classes


def grid(header: list[str], rows: list[list]) -> str:
    cells = [[("–" if c is None else str(c)) for c in row] for row in rows]
    cells = [row + ["–"] * (len(header) - len(row)) for row in cells]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in cells]
    return "\n".join(lines) + "\n"


def render(results: dict) -> str:
    return {"ws": ws, "forum": forum, "search": search, "faults": faults}[
        results["suite"]
    ](results)


def ws(results: dict) -> str:
    out = []
    for shape in results["shapes"]:
        rows = []
        for run in shape["runs"]:
            if not run["steps"]:
                rows.append([run["label"], f"failed: {run.get('error', '')}"[:80]])
                continue
            # Nothing passed: show the lowest step, and the maximum as below it.
            half = run["at_half"] or min(run["steps"], key=lambda s: s["offered"])
            top = run["max"] or f"< {half['offered']:.0f}"
            rows.append(
                [
                    run["label"],
                    top,
                    half.get("deliveries_per_s"),
                    half.get("p50_ms"),
                    half.get("p99_ms"),
                    sum(
                        s["lost"]
                        for s in run["steps"]
                        if s["offered"] <= (half.get("offered") or 0)
                    ),
                    sum(s["duplicates"] for s in run["steps"]),
                    half.get("cpu_ms_per_1000"),
                ]
            )
        limit = shape.get("p99_limit_ms", 100)
        out.append(
            f"**{shape['shape']}** (max: highest deliveries/s with p99 ≤ "
            f"{limit:.0f} ms and nothing lost; latency at the passing step "
            "nearest half of it, or at the lowest step if none passed)\n"
        )
        out.append(
            grid(
                [
                    "server",
                    "max deliveries/s",
                    "at half: deliveries/s",
                    "p50 ms",
                    "p99 ms",
                    "lost (up to that step)",
                    "duplicate frames (all steps)",
                    "server CPU ms / 1,000",
                ],
                rows,
            )
        )
    if results.get("ratios"):
        out.append("**Ratios of the platform's maximum to each reference**\n")
        out.append(
            grid(
                [
                    "shape",
                    "platform",
                    "max/s",
                    "÷ raw ASGI (same server)",
                    "÷ tutorial consumer (same server)",
                    "÷ bare websockets",
                    "÷ one process",
                ],
                [
                    [
                        r["shape"],
                        r["label"],
                        r["max"],
                        r["raw"],
                        r["tutorial"],
                        r["websockets"],
                        r["vs_one_process"],
                    ]
                    for r in results["ratios"]
                ],
            )
        )
    if results.get("stored"):
        out.append(
            "**Stored chat messages** (rooms of two, every member sends; "
            "max with acknowledgement p99 ≤ 100 ms, nothing lost)\n"
        )
        rows = []
        for run in results["stored"]:
            if not run["steps"]:
                rows.append([f"{run['server']} ×1", "failed"])
                continue
            # The passing step of the maximum; if none passed, the lowest step.
            top = max(
                (
                    s
                    for s in run["steps"]
                    if run["max"] and s["acks_per_s"] == run["max"]
                ),
                key=lambda s: s["offered"],
                default=min(run["steps"], key=lambda s: s["offered"]),
            )
            store = top.get("store", {})
            rows.append(
                [
                    f"{run['server']} ×1",
                    run["max"] or f"< {top['offered']:.0f}",
                    top.get("ack_p50_ms"),
                    top.get("ack_p99_ms"),
                    top.get("lost"),
                    top.get("cpu_ms_per_1000"),
                    size_classes(top.get("batch_sizes", {})) or None,
                    f"{store.get('statement_sends', 0)} / {store.get('orm_path', 0)}",
                ]
            )
        out.append(
            grid(
                [
                    "server",
                    "stored messages/s",
                    "ack p50 ms",
                    "ack p99 ms",
                    "lost",
                    "server CPU ms / 1,000 messages",
                    "batch sizes at that step (size: batches)",
                    "sends by SQL statement / ORM path",
                ],
                rows,
            )
        )
        out.append("Batch sizes of every step (size: batches), platform runs:\n")
        out.append(
            grid(
                ["run", "offered/s", "stored/s", "ack p99 ms", "batch sizes"],
                [
                    [label, s["offered"], s["acks_per_s"], s["ack_p99_ms"], classes]
                    for label, s, classes in _batch_rows(results)
                ],
            )
        )
    if results.get("idle"):
        out.append("**Connect storm and idle sockets**\n")
        out.append(
            grid(
                [
                    "server",
                    "clients",
                    "storm s",
                    "connect p50 ms",
                    "connect p99 ms",
                    "failed",
                    "KiB per connection",
                    "idle CPU %",
                ],
                [
                    [
                        i["server"],
                        i["clients"],
                        i["storm_seconds"],
                        i["connect_p50_ms"],
                        i["connect_p99_ms"],
                        i["connect_failures"],
                        i["kib_per_connection"],
                        i["idle_cpu_percent"],
                    ]
                    for i in results["idle"]
                ],
            )
        )
    return "\n".join(out)


def _batch_rows(results: dict):
    for run in results.get("stored", []):
        for step in sorted(run["steps"], key=lambda s: s["offered"]):
            if step.get("batch_sizes"):
                label = f"stored, {run['server']} ×1"
                yield label, step, size_classes(step["batch_sizes"])
    for shape in results["shapes"]:
        for run in shape["runs"]:
            for step in sorted(run["steps"], key=lambda s: s["offered"]):
                if step.get("batch_sizes"):
                    label = f"{shape['shape']}, {run['label']}"
                    yield label, step, size_classes(step["batch_sizes"])


def forum(results: dict) -> str:
    out = []
    rows = []
    for shape in results["deployments"]:
        for page in shape["pages"]:
            rows.append(
                [
                    shape["label"],
                    page["page"],
                    page["rps"],
                    page["p50_ms"],
                    page["p99_ms"],
                    page.get("queries"),
                    page.get("ratio"),
                    page.get("shell_ratio"),
                ]
            )
    out.append(
        f"Closed loop at concurrency {results['concurrency']}, logged in; "
        "the anonymous reference gets no cookie, the signed-in shell the "
        "member's.\n"
    )
    out.append(
        grid(
            [
                "deployment",
                "page",
                "requests/s",
                "p50 ms",
                "p99 ms",
                "SQL queries",
                "÷ reference (anonymous)",
                "÷ signed-in shell",
            ],
            rows,
        )
    )
    if results.get("queries_cold"):
        out.append(
            f"\nSQL queries per page with a warm cache: {results['queries']}; "
            f"with the cache emptied first: {results['queries_cold']}.\n"
        )
    rows = [
        [
            s["label"],
            s["open_rate"],
            s["open_p50_ms"],
            s["open_p99_ms"],
            s["open_errors"],
        ]
        for s in results["deployments"]
    ]
    out.append(f"\nOpen loop, last page, {results['open_rate']} requests/s:\n")
    out.append(grid(["deployment", "requests/s", "p50 ms", "p99 ms", "errors"], rows))
    return "\n".join(out)


def search(results: dict) -> str:
    out = [
        f"{results['posts']:,} posts; vectors built in {results['index_seconds']} s; "
        f"{results['insert_rate']} replies/s through the action with the index "
        "kept current.\n"
    ]
    out.append(
        grid(
            ["kind", "query", "hits (top 20)", "p50 ms", "p95 ms", "target p95 ms"],
            [
                [
                    q["kind"],
                    f"`{q['query']}`",
                    q["hits"],
                    q["p50_ms"],
                    q["p95_ms"],
                    q["target_ms"],
                ]
                for q in results["queries"]
            ],
        )
    )
    return "\n".join(out)


def faults(results: dict) -> str:
    return grid(
        [
            "fault", "sent", "acked", "stored", "clients",
            "received per client (min–max)", "lost", "duplicates stored",
            "duplicate frames (de-duplicated)", "recovery s", "note",
        ],
        [
            [
                f["fault"], f["sent"], f["acked"], f["stored"], f["clients"],
                "–".join(str(n) for n in f.get("received_per_client", [])),
                f["lost"], f["duplicates"], f["duplicate_frames"], f["recovery_s"],
                f.get("note", ""),
            ]
            for f in results["faults"]
        ],
    )  # fmt: skip
