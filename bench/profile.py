"""`python -m bench.profile [daphne|uvicorn] [deliveries/s] [seconds]`: the
platform under the ws load (100 rooms of 10), sampled with py-spy. Writes the
collapsed stacks to bench/results/profile-<server>.txt and prints the
functions with the most samples, inclusive and self."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from bench import seed
from bench.loadgen import Generators
from bench.servers import BIN, Stack
from bench.steps import Timing
from bench.ws import PLATFORM_APP, plan_for


def main() -> None:
    kind = sys.argv[1] if len(sys.argv) > 1 else "daphne"
    rate = float(sys.argv[2]) if len(sys.argv) > 2 else 1000
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 8
    out = Path(__file__).parent / "results" / f"profile-{kind}.txt"
    out.parent.mkdir(exist_ok=True)
    stack = Stack().start()
    try:
        seed.setup_django(stack.env)
        rooms = seed.chat_rooms("prof-", 100, 10)
        server = stack.serve(kind, PLATFORM_APP)
        plan = plan_for(rooms, [server.port], platform=True)
        generators = Generators(plan, 2)
        generators.call("open")
        timing = Timing(1.0, seconds + 2, 1.0)
        record = [
            str(BIN / "py-spy"),
            "record",
            "--format",
            "raw",
            "--nonblocking",
            "-r",
            "200",
            "-d",
            str(int(seconds)),
            "-o",
            str(out),
            "-p",
            str(server.pid),
        ]
        spy = threading.Thread(target=subprocess.run, args=(record,), daemon=True)
        spy.start()
        generators.call(
            "step",
            key=1,
            room_rate=rate / 900,
            start=time.time() + 0.5,
            warmup=timing.warmup,
            seconds=timing.seconds,
            drain=timing.drain,
        )
        spy.join(timeout=30)
        generators.close()
    finally:
        stack.stop()
    summarise(out)


def summarise(path: Path, top: int = 40) -> None:
    inclusive, own = Counter(), Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        n = int(count)
        total += n
        frames = stack.split(";")
        for frame in set(frames):
            inclusive[frame] += n
        own[frames[-1]] += n
    print(f"{total} samples")
    print("inclusive:")
    for frame, n in inclusive.most_common(top):
        print(f"  {n / total:6.1%}  {frame[:150]}")
    print("self:")
    for frame, n in own.most_common(25):
        print(f"  {n / total:6.1%}  {frame[:150]}")


if __name__ == "__main__":
    main()
