"""What every Slack listener shares: the core, the Web API client, who is asking, the ack deadline, and the work
still running after an ack. Each listener module (`commands`, `mentions`, `sharing`, `submissions`, `home`)
has `register(app, serving)`; the adapter registers them all."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import Settings
from bot.slack_chat.callers import Callers
from bot.slack_chat.dedupe import SeenEvents
from briefings.access import Caller
from briefings.service import Briefings

log = logging.getLogger(__name__)
ACK_WITHIN = 2.0
"""Seconds to wait for the core before acknowledging with "working on it" (Slack allows 3)."""


@dataclass
class Serving:
    briefings: Briefings
    settings: Settings
    client: AsyncWebClient
    callers: Callers
    ack_within: float = ACK_WITHIN
    bot_user: str = ""
    """The app's own user id (from `auth.test` at start), to find its mention in a message."""
    seen: SeenEvents = field(default_factory=SeenEvents)
    """Events already taken (Slack delivers a slow one again)."""
    tasks: set[asyncio.Task[None]] = field(default_factory=set)

    async def caller(self, user: str, channel: str, name: str = "") -> Caller:
        """Who is asking: `channel` is Slack's id (`C123`)."""
        return await self.callers.caller(user, channel, name)

    def spawn(self, work: Coroutine[Any, Any, None], what: str) -> None:
        """Runs work after the ack; failures are logged with `what`."""

        async def guarded() -> None:
            try:
                await work
            except Exception:
                log.exception("Slack: %s failed", what)

        task = asyncio.get_running_loop().create_task(guarded())
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def settle(self, timeout: float) -> None:
        """Lets work in flight finish within `timeout` seconds; cancels the rest."""
        if self.tasks:
            _, pending = await asyncio.wait(set(self.tasks), timeout=timeout)
            for task in pending:
                task.cancel()


Register = Callable[[AsyncApp, Serving], None]
"""A listener module's `register`: adds its listeners to the Bolt app."""
