"""Group commit: one bad item never fails the other items of its batch."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from realtime.batch import GroupCommit, batch_sizes

# The batches run on a thread of their own, as the chat's store does: the
# default (Django's thread for async code) would check the test database's
# connections, which these tests do not use.
EXECUTOR = ThreadPoolExecutor(1)


def store(items: list[str]) -> list[str]:
    if "bad" in items:
        raise ValueError("cannot store 'bad'")
    return [f"stored {item}" for item in items]


async def test_a_failed_batch_is_stored_again_one_by_one():
    commit = GroupCommit(store, executor=EXECUTOR)

    results = await asyncio.gather(
        *(commit.submit(item) for item in ["a", "b", "bad", "c"]),
        return_exceptions=True,
    )

    assert results[:2] == ["stored a", "stored b"]
    assert isinstance(results[2], ValueError)
    assert results[3] == "stored c"


async def test_batch_sizes_are_counted_per_batch_action():
    def count_me(items: list[int]) -> list[int]:
        return items

    commit = GroupCommit(count_me, executor=EXECUTOR)
    await asyncio.gather(*(commit.submit(n) for n in range(5)))
    await commit.submit(9)

    sizes = batch_sizes()[count_me.__qualname__]
    assert sizes == {5: 1, 1: 1}
