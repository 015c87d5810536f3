"""Group commit: many concurrent writes, one database transaction.

A synchronous ORM transaction per chat message, each through
`database_sync_to_async`, caps a server process at a few hundred messages a
second (ARCHITECTURE.md, "Real-time"). Instead every socket hands its send to
the process's `GroupCommit`, which passes everything that arrived meanwhile to
one call of a batch action (one transaction), then answers each sender with
its own result. While one batch is being stored the next one gathers, so the
batch size grows with the load and the latency stays about one transaction.

Results are handed out only after the batch action returned, that is after
commit: an acknowledgement never precedes the durable write.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

from channels.db import database_sync_to_async

logger = logging.getLogger(__name__)

Item = TypeVar("Item")
Result = TypeVar("Result")


class GroupCommit(Generic[Item, Result]):
    """Collect items from concurrent coroutines; store them in batches.

    `flush` is a synchronous batch action: it gets a list of items and returns
    one result per item, in order. It runs on the database thread.
    """

    def __init__(
        self, flush: Callable[[list[Item]], list[Result]], *, max_batch: int = 500
    ) -> None:
        self.flush = flush
        self.max_batch = max_batch
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
        store = database_sync_to_async(self.flush)
        while True:
            await self.wakeup.wait()
            self.wakeup.clear()
            while self.queue:
                batch = self.queue[: self.max_batch]
                del self.queue[: self.max_batch]
                try:
                    results = await store([item for item, _ in batch])
                except Exception as error:
                    logger.exception("batch of %d writes failed", len(batch))
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(error)
                    continue
                self.batches += 1
                for (_, future), result in zip(batch, results, strict=True):
                    if not future.done():
                        future.set_result(result)


_instances: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, dict[Callable, GroupCommit]
] = weakref.WeakKeyDictionary()


def group_commit(flush: Callable[[list[Item]], list[Result]]) -> GroupCommit:
    """The process's (event loop's) group commit for the batch action `flush`."""
    loop = asyncio.get_running_loop()
    per_loop = _instances.setdefault(loop, {})
    if flush not in per_loop:
        per_loop[flush] = GroupCommit(flush)
    return per_loop[flush]
