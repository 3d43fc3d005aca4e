"""Posting to many channels at once: a bounded pool of tasks that keeps each channel's posts in order, and
a recorder that writes posted results in batches instead of one committed transaction per channel."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from types import TracebackType

from briefings.store.runs import Posted, RunStore

Job = Callable[[], Awaitable[None]]


class ChannelPool:
    """Runs jobs with at most `size` running at once. Jobs for the same channel run one after another, in the
    order they were submitted, never at the same time; jobs for different channels run concurrently, so one
    channel waiting out a rate limit does not hold up the others.

    Use as `async with ChannelPool(16) as pool: await pool.submit(channel, job)`. `submit` waits for a free place
    (so a producer never runs far ahead of the posts). Leaving the block waits for every job. If a job raises,
    or the block is left by an exception (a cancelled tick), every other job is cancelled and awaited, and
    the first exception is raised as it is."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("the pool needs room for at least one job")
        self._places = asyncio.Semaphore(size)
        self._last: dict[str, asyncio.Task[None]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._failed: BaseException | None = None
        self._wake = asyncio.Event()

    async def __aenter__(self) -> ChannelPool:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if error is not None:
            await self._cancel_all()
            return  # the exception that left the block goes on
        try:
            while self._tasks and self._failed is None:
                self._wake.clear()
                await self._wake.wait()
        except BaseException:
            await self._cancel_all()
            raise
        if self._failed is not None:
            await self._cancel_all()
            raise self._failed

    async def submit(self, channel: str, job: Job) -> None:
        if self._failed is not None:
            raise self._failed
        await self._places.acquire()
        if self._failed is not None:
            self._places.release()
            raise self._failed
        task = asyncio.get_running_loop().create_task(self._run(self._last.get(channel), job))
        self._last[channel] = task
        self._tasks.add(task)
        task.add_done_callback(lambda done: self._done(channel, done))

    async def _run(self, before: asyncio.Task[None] | None, job: Job) -> None:
        try:
            if before is not None and not before.done():
                await asyncio.wait([before])  # this channel's earlier job first (its outcome is its own)
            await job()
        except asyncio.CancelledError:
            raise
        except BaseException as exc:
            if self._failed is None:
                self._failed = exc  # before the place is given back: nothing more is started after a failure
            raise
        finally:
            self._places.release()

    def _done(self, channel: str, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if self._last.get(channel) is task:
            del self._last[channel]
        if not task.cancelled():
            task.exception()  # retrieved: `_run` kept the first failure
        self._wake.set()

    async def _cancel_all(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks)


class PostedRecorder:
    """Collects runs that were posted and records them `batch` at a time (one transaction each), and the rest
    on `flush`. Safe because a run posted but not yet recorded is still claimed under its lease: if this process
    dies first, whoever takes the run over finds the post on the platform (`Poster.find_posted`) and records it
    instead of posting again."""

    def __init__(self, runs: RunStore, owner: str, batch: int = 100) -> None:
        self.runs = runs
        self.owner = owner
        self.batch = batch
        self._waiting: list[Posted] = []

    async def add(self, posted: Posted) -> None:
        self._waiting.append(posted)
        if len(self._waiting) >= self.batch:
            await self.flush()

    async def flush(self) -> None:
        waiting, self._waiting = self._waiting, []
        if waiting:
            await self.runs.finish_posted(waiting, self.owner)
