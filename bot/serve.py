"""`briefing serve`: every adapter whose credentials are set, in one process, with the digest scheduler."""

from __future__ import annotations

import asyncio
import logging
import signal

from bot.adapter import Adapter
from bot.scheduler import DigestClock
from bot.settings import Settings
from briefings.digests.runner import DigestRunner
from briefings.service import Briefings

log = logging.getLogger(__name__)
NOTHING_TO_SERVE = (
    "No chat platform is configured. Set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (and SLACK_APP_TOKEN for "
    "Socket Mode) for Slack, or DISCORD_TOKEN for Discord. To try the bot without accounts: briefing console"
)


def adapters_for(briefings: Briefings, settings: Settings, only: str | None = None) -> list[Adapter]:
    found: list[Adapter] = []
    if settings.slack_enabled and only in (None, "slack"):
        from bot.slack.adapter import SlackAdapter

        found.append(SlackAdapter(briefings, settings))
    if settings.discord_enabled and only in (None, "discord"):
        from bot.discord.adapter import DiscordAdapter

        found.append(DiscordAdapter(briefings, settings))
    return found


async def serve(settings: Settings, only: str | None = None) -> int:
    briefings = await Briefings.start(settings)
    adapters = adapters_for(briefings, settings, only)
    if not adapters:
        await briefings.close()
        log.error(NOTHING_TO_SERVE)
        return 2
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
