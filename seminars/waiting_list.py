"""The order in which a waiting list moves up: one rule for events and sessions.

Municipalities not yet represented come first (members without a
municipality never count as a new one), then first come, first served;
an entry whose municipality has used up its quota is skipped (it stays on the
list, blocked until the quota is raised or released). The order shown to a
member ("position 3") is the order in which seats would be given, so the two
can never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol, TypeVar


class Queued(Protocol):
    area_key: str


Q = TypeVar("Q", bound=Queued)


def quota_used_up(
    area_key: str, seats_held: Mapping[str, int], quota: int | None
) -> bool:
    """Has this municipality used up its quota? Members without a
    municipality are not counted against one."""
    if quota is None or not area_key:
        return False
    return seats_held.get(area_key, 0) >= quota


def promotion_order(
    waiting: Sequence[Q], seats_held: Mapping[str, int], quota: int | None
) -> tuple[list[Q], list[Q]]:
    """(the order seats go to `waiting`, the entries blocked by the quota).

    `waiting` is first come, first served; `seats_held` counts confirmed seats
    per municipality key. Each pick counts for its municipality before the
    next one is chosen, so the first k entries are exactly who k free seats
    go to.
    """
    held = dict(seats_held)
    remaining = list(waiting)
    order: list[Q] = []
    while remaining:
        candidates = [
            entry
            for entry in remaining
            if not quota_used_up(entry.area_key, held, quota)
        ]
        if not candidates:
            break
        newcomer = next(
            (
                entry
                for entry in candidates
                if entry.area_key and not held.get(entry.area_key, 0)
            ),
            None,
        )
        pick = newcomer or candidates[0]
        order.append(pick)
        held[pick.area_key] = held.get(pick.area_key, 0) + 1
        remaining.remove(pick)
    return order, remaining
