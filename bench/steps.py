"""Sweeps: step the offered rate up until p99 passes the limit or anything is
lost, and summarise each step from what the generators measured."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

P99_LIMIT_MS = 100.0


def percentile(samples: list[float], share: float) -> float:
    if not samples:
        return 0.0
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


@dataclass(frozen=True)
class Timing:
    warmup: float
    seconds: float  # measured part of a step
    drain: float  # waiting for late deliveries after the last send


def summarise(answers: list[dict], sizes: dict[int, int], timing: Timing) -> dict:
    """One step's figures over all generators. A message is expected at every
    other member of its room; it is lost if some member never got it."""
    sent = [m for a in answers for m in a["sent"]]
    refused = sum(len(a["refused"]) for a in answers)
    received: dict[str, int] = {}
    for answer in answers:
        for message, count in answer["received"].items():
            received[message] = received.get(message, 0) + count
    lost = 0
    for message in sent:
        room = int(message.split("-", 1)[0])
        lost += max(sizes[room] - 1 - received.get(message, 0), 0)
    latencies = [x for a in answers for x in a["latencies"]]
    acks = [x for a in answers for x in a["acks"]]
    measured = timing.seconds - timing.warmup
    return {
        "sent": len(sent),
        "deliveries": sum(received.values()),
        "deliveries_per_s": round(len(latencies) / measured),
        "p50_ms": round(percentile(latencies, 0.5) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "lost": lost,
        "duplicates": sum(a["duplicates"] for a in answers),
        "refused": refused,
        "acks_per_s": round(len(acks) / measured),
        "ack_p50_ms": round(percentile(acks, 0.5) * 1000, 1),
        "ack_p99_ms": round(percentile(acks, 0.99) * 1000, 1),
    }


def passed(step: dict, key: str = "p99_ms", limit: float = P99_LIMIT_MS) -> bool:
    """p99 within the limit, nothing lost or refused, every client connected.
    Duplicate frames are reported, not failed: the protocol allows them
    (clients de-duplicate by id)."""
    return (
        step[key] <= limit
        and step["sent"] > 0
        and not step["lost"]
        and not step["refused"]
        and not step.get("connect_failures")
    )


def sweep(
    run_step: Callable[[float], dict],
    rates: list[float],
    *,
    refine: int = 1,
    key: str = "p99_ms",
    say: Callable[[str], None] = print,
    limit: float = P99_LIMIT_MS,
) -> list[dict]:
    """Run `run_step(rate)` for rising rates until one fails, then bisect
    `refine` times between the last pass and the first failure. If the first
    rate fails already, halve it (at most twice) to find one that passes."""
    steps: list[dict] = []
    good, bad = 0.0, None
    for rate in rates:
        step = run_step(rate)
        steps.append(step)
        say(_line(step))
        if not passed(step, key, limit):
            bad = rate
            break
        good = rate
    for _ in range(2 if bad is not None and not good else 0):
        # Even the first rate failed: halve it, twice at most, to find a floor.
        rate = bad / 2
        step = run_step(rate)
        steps.append(step)
        say(_line(step))
        if passed(step, key, limit):
            good = rate
            break
        bad = rate
    for _ in range(refine if bad is not None and good else 0):
        rate = (good + bad) / 2
        step = run_step(rate)
        steps.append(step)
        say(_line(step))
        if passed(step, key, limit):
            good = rate
        else:
            bad = rate
    return steps


def size_classes(histogram: dict) -> str:
    """Batch sizes in classes of powers of two ("1: 812, 2-3: 140, 4-7: 9",
    with en dashes as the tables use)."""
    classes: dict[int, int] = {}
    for size, count in histogram.items():
        low = 1 << (int(size).bit_length() - 1)
        classes[low] = classes.get(low, 0) + count
    return ", ".join(
        f"{low}: {count}" if low == 1 else f"{low}–{2 * low - 1}: {count}"
        for low, count in sorted(classes.items())
    )


def _line(step: dict) -> str:
    line = (
        f"    offered {step['offered']:>7.0f}/s"
        f"  delivered {step['deliveries_per_s']:>6}/s"
        f"  p50 {step['p50_ms']:>6} ms  p99 {step['p99_ms']:>7} ms"
        f"  acks p99 {step['ack_p99_ms']:>6} ms  lost {step['lost']}"
        f"  dup {step['duplicates']}  refused {step['refused']}"
        f"  cpu {step.get('cpu_ms_per_1000', '-')} ms/1000"
    )
    if step.get("batch_sizes"):
        line += f"\n      batches (size: count) {size_classes(step['batch_sizes'])}"
        store = step.get("store", {})
        line += (
            f"; sends by statement {store.get('statement_sends', 0)}"
            f" in {store.get('statements', 0)}, by the ORM path"
            f" {store.get('orm_path', 0)}"
        )
    return line


def best(
    steps: list[dict],
    key: str = "p99_ms",
    figure: str = "deliveries_per_s",
    limit: float = P99_LIMIT_MS,
):
    """The highest figure among passing steps, and the step nearest half of it."""
    good = [s for s in steps if passed(s, key, limit)]
    if not good:
        return 0, None
    top = max(s[figure] for s in good)
    half = min(good, key=lambda s: abs(s[figure] - top / 2))
    return top, half


def wait_until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.time()))
