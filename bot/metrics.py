"""Prometheus metrics of a serving process (`GET /metrics`): answers, digests, rate limits, moderator changes,
how old each situation's newest fact is, and the build. Imported only by `briefing serve`."""

from __future__ import annotations

import logging
import platform
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Info
from prometheus_client.exposition import choose_encoder

from briefings.answered import Answered
from briefings.digests.tick import TickReport
from briefings.service import Briefings

log = logging.getLogger(__name__)
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
"""Seconds; 3 s is what Slack and Discord allow for a first answer."""


def _version() -> str:
    try:
        return version("briefings")
    except PackageNotFoundError:
        return "unknown"


class Metrics:
    """One registry per serving process (tests start several in one interpreter)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.commands = Counter(
            "briefing_commands", "Commands answered", ["command", "platform", "outcome"], registry=r
        )
        self.latency = Histogram(
            "briefing_command_duration_seconds",
            "Time the core took to answer a command",
            ["platform"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.digests = Counter("briefing_digest_posts", "Digest slots by outcome", ["outcome"], registry=r)
        self.rate_limited = Counter(
            "briefing_rate_limit_retries",
            "Platform calls retried after a rate limit (HTTP 429)",
            ["platform"],
            registry=r,
        )
        self.changes = Counter(
            "briefing_moderator_changes", "Changes moderators made, by command", ["command", "platform"], registry=r
        )
        self.fact_age = Gauge(
            "briefing_newest_fact_age_seconds",
            "Seconds since a fact of the situation was last recorded or revised",
            ["situation"],
            registry=r,
        )
        self.last_tick = Gauge(
            "briefing_digest_clock_last_tick_timestamp_seconds", "When the digest clock last ticked", registry=r
        )
        Info("briefing_build", "The running version", registry=r).info(
            {"version": _version(), "python": platform.python_version()}
        )
        for outcome in ("posted", "late", "skipped", "failed", "retrying"):
            self.digests.labels(outcome)  # present from the start, at 0

    def answered(self, answer: Answered) -> None:
        self.commands.labels(answer.command, answer.platform, answer.outcome).inc()
        self.latency.labels(answer.platform).observe(answer.seconds)
        if answer.moderator_change:
            self.changes.labels(answer.command, answer.platform).inc()

    def ticked(self, report: TickReport) -> None:
        self.last_tick.set(time.time())
        self.digests.labels("posted").inc(report.posted - report.late)
        self.digests.labels("late").inc(report.late)
        self.digests.labels("skipped").inc(report.skipped)
        self.digests.labels("failed").inc(report.failed)
        self.digests.labels("retrying").inc(report.retrying)

    def rate_limit_retry(self, platform_name: str) -> None:
        self.rate_limited.labels(platform_name).inc()

    async def refresh(self, briefings: Briefings) -> None:
        """Reads what is worked out at scrape time: each situation's newest fact."""
        now = datetime.now(UTC)
        for situation in await briefings.store.situations():
            snapshot = await briefings.store.snapshot(situation.slug)
            newest = snapshot.latest_revision()
            if newest is not None:
                self.fact_age.labels(situation.slug).set(max((now - newest).total_seconds(), 0.0))

    def exposition(self, accept: str = "") -> tuple[bytes, str]:
        """The body and its content type, in the format the scraper asks for (Prometheus text 0.0.4 by default)."""
        encode, content_type = choose_encoder(accept)
        return encode(self.registry), content_type


class LogWatch(logging.Filter):
    """Calls `seen` for each record of a library's logger whose format contains `needle`, letting every record
    through: how rate-limit waits are observed where the library offers no other hook (discord.py)."""

    def __init__(self, needle: str, seen: Callable[[], None]) -> None:
        super().__init__()
        self.needle, self.seen = needle, seen

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and self.needle in record.msg:
            self.seen()
        return True
