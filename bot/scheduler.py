"""The digest clock: APScheduler 3 as a timer that calls the core's runner; the truth lives in the database."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from briefings.digests.runner import DigestRunner
from briefings.digests.tick import TickReport

log = logging.getLogger(__name__)
JOB = "digest-tick"


class DigestClock:
    """Ticks the runner every `interval` seconds, and at once when an urgent update is waiting."""

    def __init__(self, runner: DigestRunner, interval: float = 30.0) -> None:
        self.runner = runner
        self.interval = interval
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        self._pending: set[asyncio.Task[None]] = set()
        self._running: set[asyncio.Task[object]] = set()
        self.last_tick: float | None = None
        """`time.monotonic()` when a tick last finished without error (readiness checks the clock is ticking)."""
        self.report_listeners: list[Callable[[TickReport], None]] = []

    def start(self) -> None:
        self.scheduler.add_job(
            self.tick,
            IntervalTrigger(seconds=self.interval, timezone=UTC),
            id=JOB,
            next_run_time=datetime.now(UTC),
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
        )
        from bot.feed_clock import follow_feeds  # feeds are polled on the same clock

        follow_feeds(self)
        self.scheduler.start()
        self.runner.urgency.listen(self.wake)

    def wake(self) -> None:
        """Runs a tick now (from inside the event loop), without waiting for the next interval."""
        task = asyncio.get_running_loop().create_task(self.tick())
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def tick(self) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)
        try:
            report = await self.runner.tick(datetime.now(UTC))
        except Exception:
            log.exception("digest tick failed; trying again at the next tick")
            return
        finally:
            if task is not None:
                self._running.discard(task)
        self.last_tick = time.monotonic()
        for listener in self.report_listeners:
            listener(report)
        if report.posted or report.skipped or report.failed or report.retrying:
            log.info("digests: %s", report)

    async def stop(self) -> None:
        self.runner.urgency.forget(self.wake)
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        # A tick cut short leaves its run claimed; after the lease another process (or the next start) checks the
        # platform for the post and finishes it. What must not happen is a tick still using the store after this.
        running = [t for t in {*self._pending, *self._running} if t is not asyncio.current_task()]
        for task in running:
            task.cancel()
        if running:
            await asyncio.wait(running, timeout=30)
