"""Slack's deadlines: a request is acknowledged within 3 seconds, and a slash command's `response_url` takes at
most five more posts. The core gets a little less than the 3 s (`Serving.ack_within`); an answer not ready by
then is acknowledged with "working on it" and sent when it is."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, TypeVar

from slack_bolt.async_app import AsyncRespond

T = TypeVar("T")
WORKING = "Working on it…"
MAX_FOLLOW_UPS = 5
"""`response_url` takes at most five posts."""


async def started(work: Awaitable[T], seconds: float) -> asyncio.Future[T]:
    """Starts `work` and waits for it at most `seconds`; the future is done if it finished in time."""
    job = asyncio.ensure_future(work)
    await asyncio.wait((job,), timeout=seconds)
    return job


async def follow_up(pages: list[dict[str, Any]], respond: AsyncRespond, replace: bool = False) -> None:
    """Sends pages through `response_url` (at most five); `replace` puts the first in place of "working on it"."""
    for number, page in enumerate(pages[:MAX_FOLLOW_UPS]):
        await respond(**page, replace_original=replace and number == 0)
