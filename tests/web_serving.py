"""`briefing serve web` in the test's event loop, on a free port of 127.0.0.1, and a moderator to share it."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from bot.serve import Serving, serve
from bot.settings import Settings
from briefings.access import Caller
from tests.conftest import SEEDS

SLUG = "syria-coast-2025-03"
MODERATOR = Caller("console", "mod", "console")


@asynccontextmanager
async def serving_web(database_url: str) -> AsyncIterator[Serving]:
    settings = Settings(
        database_url=database_url,
        seeds=SEEDS,
        moderators="console:mod",
        host="127.0.0.1",
        health_port=0,
        slack_bot_token="",
        discord_token="",
    )
    stop = asyncio.Event()
    up: asyncio.Future[Serving] = asyncio.get_running_loop().create_future()
    task = asyncio.create_task(serve(settings, "web", stop=stop, ready=up.set_result))
    try:
        waiting: set[asyncio.Future[Any]] = {task, up}
        done, _ = await asyncio.wait(waiting, timeout=30, return_when=asyncio.FIRST_COMPLETED)
        assert up in done, task.result() if task in done else "not ready in time"
        yield up.result()
    finally:
        stop.set()
        assert await asyncio.wait_for(task, 30) == 0


def base(serving: Serving) -> str:
    return f"http://127.0.0.1:{serving.health_port}"


async def get(serving: Serving, path: str, **headers: str) -> httpx.Response:
    async with httpx.AsyncClient(timeout=30) as http:
        return await http.get(base(serving) + path, headers=headers)


async def moderate(serving: Serving, text: str) -> str:
    reply = await serving.briefings.handle(text, MODERATOR)
    assert reply.ok, reply
    return "\n".join(line.text for section in reply.sections for line in section.lines)


async def share_secret(serving: Serving) -> str:
    """A new secret link's token, as the moderator's reply gives it."""
    said = await moderate(serving, "/weblink secret")
    found = re.search(r"\?k=([A-Za-z0-9_-]+)", said)
    assert found, said
    return found.group(1)
