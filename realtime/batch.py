"""Group commit: many concurrent writes, one database transaction.

A synchronous ORM transaction per chat message, each through
`database_sync_to_async`, caps a server process at a few hundred messages a
second (ARCHITECTURE.md, "Real-time"). Instead every socket hands its send to
the process's `GroupCommit`, which passes everything that arrived meanwhile to
one call of a batch action (one transaction), then answers each sender with
its own result. While one batch is being stored the next one gathers, so the
batch size grows with the load and the latency stays about one transaction.

Results are handed out only after the batch action returned, that is after
commit: an acknowledgement never precedes the durable write. If a batch fails
as a whole, its items are stored again one by one, so one bad item never
fails the others; only an item that fails alone gets the error.

The batch action runs on `executor` (the feature's own thread with its own
database connection, so its writes never queue behind page-like work), or on
the thread Django gives async code when none is given.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import weakref
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Generic, TypeVar

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async

logger = logging.getLogger(__name__)

Item = TypeVar("Item")
Result = TypeVar("Result")

# Batch sizes of this process, per batch action (by name): the benchmarks
# read them (bench/urls.py) to report a histogram per step.
_sizes: dict[str, Counter[int]] = {}
_sizes_lock = threading.Lock()


def batch_sizes() -> dict[str, dict[int, int]]:
    """How many batches of each size every batch action stored so far."""
    with _sizes_lock:
        return {name: dict(counter) for name, counter in _sizes.items()}


def _count(name: str, size: int) -> None:
    with _sizes_lock:
        _sizes.setdefault(name, Counter())[size] += 1


class GroupCommit(Generic[Item, Result]):
    """Collect items from concurrent coroutines; store them in batches.

    `flush` is a synchronous batch action: it gets a list of items and returns
    one result per item, in order.
    """

    def __init__(
        self,
        flush: Callable[[list[Item]], list[Result]],
        *,
        max_batch: int = 500,
        executor: Executor | None = None,
    ) -> None:
        self.flush = flush
        self.name = getattr(flush, "__qualname__", repr(flush))
        self.max_batch = max_batch
        if executor is None:
            self.store = database_sync_to_async(flush)
        else:
            self.store = sync_to_async(flush, thread_sensitive=False, executor=executor)
        self.queue: list[tuple[Item, asyncio.Future[Result]]] = []
        self.wakeup = asyncio.Event()
        self.worker: asyncio.Task | None = None
        self.batches = 0  # for tests and benchmarks: how many batches ran

    async def submit(self, item: Item) -> Result:
        """Store `item` with whatever else is waiting; its result after commit."""
        future = asyncio.get_running_loop().create_future()
        self.queue.append((item, future))
        if self.worker is None or self.worker.done():
            self.worker = asyncio.create_task(self._run(), name="group-commit")
        self.wakeup.set()
        # A sender that goes away does not cancel the write for the others.
        return await asyncio.shield(future)

    async def _run(self) -> None:
        while True:
            await self.wakeup.wait()
            self.wakeup.clear()
            while self.queue:
                batch = self.queue[: self.max_batch]
                del self.queue[: self.max_batch]
                await self._store(batch)

    async def _store(self, batch: list[tuple[Item, asyncio.Future[Result]]]) -> None:
        try:
            results = await self.store([item for item, _ in batch])
        except Exception as error:
            if len(batch) == 1:
                logger.warning("a write failed: %s", error)
                _, future = batch[0]
                if not future.done():
                    future.set_exception(error)
                return
            logger.warning(
                "batch of %d writes failed (%s); storing them one by one",
                len(batch),
                error,
            )
            for one in batch:
                await self._store([one])
            return
        self.batches += 1
        _count(self.name, len(batch))
        for (_, future), result in zip(batch, results, strict=True):
            if not future.done():
                future.set_result(result)


_instances: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, dict[Callable, GroupCommit]
] = weakref.WeakKeyDictionary()


def group_commit(
    flush: Callable[[list[Item]], list[Result]], *, executor: Executor | None = None
) -> GroupCommit:
    """The process's (event loop's) group commit for the batch action `flush`."""
    loop = asyncio.get_running_loop()
    per_loop = _instances.setdefault(loop, {})
    if flush not in per_loop:
        per_loop[flush] = GroupCommit(flush, executor=executor)
    return per_loop[flush]
