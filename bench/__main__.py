"""`python -m bench ws|forum|search|faults|all ... [--quick|--full|--smoke]`.

Runs on one machine against real server processes on loopback, prints
progress and a table per suite, writes bench/results/<suite>-<time>.json (and
<suite>-latest.json) and regenerates docs/benchmarks.md with its plots.
Several suites in one call share one Redis and one PostgreSQL.
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
import time
from pathlib import Path

SUITES = ["ws", "forum", "search", "faults"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("suites", nargs="+", choices=[*SUITES, "all"], metavar="suite")
    sizes = parser.add_mutually_exclusive_group()
    sizes.add_argument(
        "--quick",
        dest="size",
        action="store_const",
        const="quick",
        help="each suite in under 3 minutes (the default)",
    )
    sizes.add_argument("--full", dest="size", action="store_const", const="full")
    sizes.add_argument(
        "--smoke",
        dest="size",
        action="store_const",
        const="smoke",
        help="tiny sizes, for the tests",
    )
    parser.add_argument(
        "--json-only",
        action="store_true",
        help="write JSON, leave docs/benchmarks.md alone",
    )
    parser.add_argument("--out", type=Path, help="folder for the JSON results")
    options = parser.parse_args(argv)
    size = options.size or "quick"
    suites = SUITES if "all" in options.suites else options.suites
    # A terminated run still stops the servers it started (finally blocks).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    from bench import report
    from bench.servers import Stack

    failed = False
    stack = Stack().start()
    try:
        for suite in suites:
            module = importlib.import_module(f"bench.{suite}")
            print(f"== {suite} ({size})", flush=True)
            began = time.monotonic()
            results = module.run(
                module.SIZES[size],
                say=lambda line: print(line, flush=True),
                stack=stack,
            )
            results.update(size=size, seconds=round(time.monotonic() - began))
            results["machine"] = report.machine()
            path = report.write_json(results, options.out)
            print(report.table(results))
            print(f"-- {suite} took {results['seconds']} s; {path}", flush=True)
            failed |= bool(results.get("failed"))
    finally:
        stack.stop()
    if not options.json_only and size != "smoke":
        print(f"docs updated: {report.write_docs()}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
