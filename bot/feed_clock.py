"""Feeds polled on the digest clock: one more interval job (`BRIEFING_FEED_POLL_INTERVAL`) on its scheduler."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from apscheduler.triggers.interval import IntervalTrigger

from briefings.feeds.poller import FeedPoller
from briefings.ingest.fetch_settings import FetchSettings

if TYPE_CHECKING:
    from bot.scheduler import DigestClock

log = logging.getLogger(__name__)
JOB = "feed-poll"


def follow_feeds(clock: DigestClock, settings: FetchSettings | None = None) -> FeedPoller:
    """Adds the feed poll to the clock's scheduler (first poll shortly after start); stopping the clock stops it."""
    settings = settings or FetchSettings()
    runner = clock.runner
    poller = FeedPoller(runner.store, runner.posters, settings, owner=runner.owner)

    async def poll() -> None:
        task = asyncio.current_task()
        if task is not None:
            clock._running.add(task)  # the clock cancels it on stop, like a digest tick
        try:
            report = await poller.poll(datetime.now(UTC))
        except Exception:
            log.exception("feed poll failed; trying again at the next poll")
            return
        finally:
            if task is not None:
                clock._running.discard(task)
        if report.entries or report.failed:
            log.info("feeds: %s", report)

    clock.scheduler.add_job(
        poll,
        IntervalTrigger(seconds=settings.feed_poll_interval, timezone=UTC),
        id=JOB,
        next_run_time=datetime.now(UTC) + timedelta(seconds=5),
        max_instances=1,
        coalesce=True,
        misfire_grace_time=None,
    )
    return poller
