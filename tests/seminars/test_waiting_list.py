"""The order in which a waiting list moves up."""

from dataclasses import dataclass

from seminars.waiting_list import promotion_order


@dataclass
class Entry:
    name: str
    area_key: str


def names(entries) -> list[str]:
    return [entry.name for entry in entries]


def test_municipalities_not_yet_represented_come_first_then_first_come():
    waiting = [Entry("a", "city"), Entry("b", "city"), Entry("c", "village")]

    order, blocked = promotion_order(waiting, {"city": 2}, quota=None)

    assert names(order) == ["c", "a", "b"]
    assert blocked == []


def test_each_pick_counts_before_the_next_one_is_chosen():
    waiting = [Entry("a", "x"), Entry("b", "x"), Entry("c", "y"), Entry("d", "y")]

    order, _ = promotion_order(waiting, {}, quota=None)

    # x and y are both new: a (x) first, then c (y) is still new, then FIFO.
    assert names(order) == ["a", "c", "b", "d"]


def test_entries_beyond_the_quota_are_skipped_and_reported_blocked():
    waiting = [Entry("a", "city"), Entry("b", "city"), Entry("c", "town")]

    order, blocked = promotion_order(waiting, {"city": 1}, quota=2)

    assert names(order) == ["c", "a"]
    assert names(blocked) == ["b"]


def test_members_without_a_municipality_are_neither_new_nor_limited():
    waiting = [Entry("a", ""), Entry("b", ""), Entry("c", "town")]

    order, blocked = promotion_order(waiting, {"town": 1}, quota=1)

    assert names(order) == ["a", "b"]
    assert names(blocked) == ["c"]
