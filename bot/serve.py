"""`briefing serve`: every adapter whose credentials are set, in one process, with the digest scheduler, health
and metrics."""

from __future__ import annotations

import asyncio
import functools
import logging
import signal
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.adapter import Adapter, SetupError
from bot.failures import open_briefings
from bot.guard import ConnectionGuard
from bot.health import Health, HealthServer
from bot.metrics import LogWatch, Metrics
from bot.scheduler import DigestClock
from bot.settings import Settings
from bot.web.server import WebPages
from briefings.digests.runner import DigestRunner
from briefings.service import Briefings

log = logging.getLogger(__name__)
SLACK_NEEDS = "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (and SLACK_APP_TOKEN for Socket Mode)"
DISCORD_NEEDS = "DISCORD_TOKEN"
TRY_LOCALLY = "To try the bot without accounts: briefing console"


def nothing_to_serve(only: str | None) -> str:
    """What to set, for the platform asked for (or for either)."""
    if only == "slack":
        return f"Slack is not configured. Set {SLACK_NEEDS} to serve it. {TRY_LOCALLY}"
    if only == "discord":
        return f"Discord is not configured. Set {DISCORD_NEEDS} to serve it. {TRY_LOCALLY}"
    return f"No chat platform is configured. Set {SLACK_NEEDS} for Slack, or {DISCORD_NEEDS} for Discord. {TRY_LOCALLY}"


def platforms(settings: Settings, only: str | None = None) -> list[str]:
    """The platforms to serve: those with credentials set, or only the one asked for."""
    enabled = {"slack": settings.slack_enabled, "discord": settings.discord_enabled}
    return [name for name, on in enabled.items() if on and only in (None, name)]


DISCORD_RETRY = "responded with 429. Retrying"
"""What discord.py logs each time it waits out a rate limit before trying again."""


def adapters_for(briefings: Briefings, settings: Settings, only: str | None = None) -> list[Adapter]:
    found: list[Adapter] = []
    if "slack" in platforms(settings, only):
        from bot.slack_chat.adapter import SlackAdapter

        found.append(SlackAdapter(briefings, settings))
    if "discord" in platforms(settings, only):
        from bot.discord_chat.adapter import DiscordAdapter

        found.append(DiscordAdapter(briefings, settings))
    return found


@dataclass
class Serving:
    """What one serving process runs; `health_port` is where /readyz and /metrics answer."""

    briefings: Briefings
    adapters: list[Adapter]
    clock: DigestClock
    metrics: Metrics
    health: Health
    health_server: HealthServer | None = None
    web: WebPages = field(init=False)
    """The situations' read-only web pages, feeds and exports, served beside health."""
    undo: list[Callable[[], None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.web = WebPages(self.briefings)

    @property
    def health_port(self) -> int | None:
        if self.health_server is not None:
            return self.health_server.port
        for adapter in self.adapters:
            port = getattr(adapter, "port", None)
            if isinstance(port, int):
                return port
        return None


def _observe(serving: Serving, settings: Settings) -> None:
    """Counts answers, digest ticks and rate-limit retries; serves health beside Slack's HTTP endpoint if any,
    else on a listener of its own."""
    metrics = serving.metrics
    serving.briefings.answer_listeners.append(metrics.answered)
    serving.clock.report_listeners.append(metrics.ticked)
    beside_slack = False
    for adapter in serving.adapters:
        if adapter.platform == "slack":
            from bot.slack_chat.retries import CountedRateLimitRetries

            for handler in getattr(getattr(adapter, "client", None), "retry_handlers", None) or []:
                if isinstance(handler, CountedRateLimitRetries):
                    handler.listeners.append(lambda: metrics.rate_limit_retry("slack"))
            routes = getattr(adapter, "routes", None)
            if isinstance(routes, list) and not settings.slack_app_token:
                routes.extend(serving.health.routes() + serving.web.routes())
                beside_slack = True
        if adapter.platform == "discord":
            watch = LogWatch(DISCORD_RETRY, lambda: metrics.rate_limit_retry("discord"))
            discord_http = logging.getLogger("discord.http")
            discord_http.addFilter(watch)
            serving.undo.append(functools.partial(discord_http.removeFilter, watch))
    if not beside_slack:
        guard = ConnectionGuard.configured(settings)
        serving.health_server = HealthServer(
            serving.health, settings.host, settings.health_port, guard, serving.web.routes()
        )


async def serve(
    settings: Settings,
    only: str | None = None,
    *,
    stop: asyncio.Event | None = None,
    ready: Callable[[Serving], None] | None = None,
) -> int:
    """Serves until SIGINT/SIGTERM (or `stop` is set); `ready` is called once everything is up."""
    if only != "web" and not platforms(settings, only):
        raise SetupError(nothing_to_serve(only))
    briefings = await open_briefings(settings)
    adapters = adapters_for(briefings, settings, only)
    if stop is None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
    runner = DigestRunner(briefings.store, {a.platform: a for a in adapters}, briefings.urgency, settings.digest_grace)
    clock = DigestClock(runner)
    metrics = Metrics()
    serving = Serving(briefings, adapters, clock, metrics, Health(briefings, metrics, adapters, clock))
    _observe(serving, settings)
    started: list[Adapter] = []
    try:
        if serving.health_server is not None:
            await serving.health_server.start()
        for adapter in adapters:
            await adapter.start()
            started.append(adapter)
            log.info("%s adapter ready", adapter.platform)
        clock.start()
        if ready is not None:
            ready(serving)
        await stop.wait()
        return 0
    finally:
        await clock.stop()
        for adapter in reversed(started):
            await adapter.stop()
        if serving.health_server is not None:
            await serving.health_server.stop()
        for undo in serving.undo:
            undo()
        await briefings.close()
