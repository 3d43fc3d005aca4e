"""`briefing serve`: every adapter whose credentials are set, in one process, with the digest scheduler."""

from __future__ import annotations

import asyncio
import logging
import signal

from bot.adapter import Adapter, SetupError
from bot.failures import open_briefings
from bot.scheduler import DigestClock
from bot.settings import Settings
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


def adapters_for(briefings: Briefings, settings: Settings, only: str | None = None) -> list[Adapter]:
    found: list[Adapter] = []
    if "slack" in platforms(settings, only):
        from bot.slack.adapter import SlackAdapter

        found.append(SlackAdapter(briefings, settings))
    if "discord" in platforms(settings, only):
        from bot.discord.adapter import DiscordAdapter

        found.append(DiscordAdapter(briefings, settings))
    return found


async def serve(settings: Settings, only: str | None = None) -> int:
    if not platforms(settings, only):
        raise SetupError(nothing_to_serve(only))
    briefings = await open_briefings(settings)
    adapters = adapters_for(briefings, settings, only)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    started: list[Adapter] = []
    clock = DigestClock(DigestRunner(briefings, {a.platform: a for a in adapters}))
    try:
        for adapter in adapters:
            await adapter.start()
            started.append(adapter)
            log.info("%s adapter ready", adapter.platform)
        clock.start()
        await stop.wait()
        return 0
    finally:
        await clock.stop()
        for adapter in reversed(started):
            await adapter.stop()
        await briefings.close()
