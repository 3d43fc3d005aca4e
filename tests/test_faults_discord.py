"""The Discord gateway drops mid-session, again and again: the bot resumes (or identifies afresh when Discord
refuses the resume) and keeps answering; a moderator's update made between drops is still there."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp import WSMsgType, web

from bot.discord_chat.adapter import DiscordAdapter
from briefings.service import Briefings
from tests.fakes_discord import CHANNEL_ID, FakeDiscord
from tests.test_discord import running as discord_running

Json = dict[str, Any]
MEMBER: Json = {"user_id": "222"}
MODERATOR: Json = {"user_id": "111"}
IDENTIFY, RESUME = 2, 6


class FlakyGateway(FakeDiscord):
    """The fake Discord, with a gateway that can refuse a RESUME (INVALID_SESSION, d=false: identify again)
    and can cut the TCP connection without a close frame."""

    def __init__(self) -> None:
        super().__init__()
        self.refuse_resume = False
        self.sessions = 0
        self._request: web.Request | None = None

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._socket, self._request = socket, request
        self.gateway_paths.append(request.path)
        await socket.send_json({"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None})
        async for frame in socket:
            if frame.type is not WSMsgType.TEXT:
                continue
            payload = json.loads(frame.data)
            await self._record(op=payload)
            op = payload.get("op")
            if op == 1:
                await socket.send_json({"op": 11, "d": None, "s": None, "t": None})
            elif op == IDENTIFY:
                self.sessions += 1
                ready = self._ready()
                ready["session_id"] = f"fake-session-{self.sessions}"
                await self.dispatch("READY", ready)
                await self.dispatch("GUILD_CREATE", self._guild())
            elif op == RESUME and self.refuse_resume:
                self.refuse_resume = False
                await socket.send_json({"op": 9, "d": False, "s": None, "t": None})
            elif op == RESUME:
                await self.dispatch("RESUMED", {})
        return socket

    def ops(self, op: int) -> list[Json]:
        return [payload for payload in self.gateway_ops if payload.get("op") == op]

    def cut(self) -> None:
        """Drops the TCP connection under the websocket, as a network failure would."""
        assert self._request is not None and self._request.transport is not None
        self._request.transport.abort()


@dataclass
class Running:
    fake: FlakyGateway
    adapter: DiscordAdapter
    briefings: Briefings

    async def ask(self, name: str, options: Json | None = None, **who: Any) -> str:
        body = await self.fake.interact(self.fake.command(name, options, **(who or MEMBER)))
        data = body.get("data", body)
        out = [str(data.get("content") or "")]
        for embed in data.get("embeds") or []:
            out += [embed.get("title") or "", embed.get("description") or ""]
        return "\n".join(out)

    async def wait_for_op(self, op: int, count: int) -> None:
        await self.fake.wait_for(lambda: len(self.fake.ops(op)) >= count, timeout=10)

    async def ready_again(self) -> None:
        """Back on the gateway: a fresh socket that has resumed or identified."""
        await self.fake.wait_for(lambda: self.fake._socket is not None and not self.fake._socket.closed, timeout=10)


@pytest.fixture
def fake_discord_class() -> type[FakeDiscord]:
    """The shared `fake_discord` fixture serves the flaky gateway here."""
    return FlakyGateway


@pytest.fixture
async def bot(fake_discord: FakeDiscord, database_url: str) -> AsyncIterator[Running]:
    assert isinstance(fake_discord, FlakyGateway)
    async for started in discord_running(fake_discord, database_url, moderators="discord:user:111"):
        yield Running(fake_discord, started.adapter, started.briefings)


async def test_repeated_resumable_drops_resume_every_time_and_keep_answering(bot: Running) -> None:
    drops = 6
    for number in range(1, drops + 1):
        await bot.fake.drop(4000 if number % 2 else 1001)
        await bot.wait_for_op(RESUME, number)
        resume = bot.fake.ops(RESUME)[-1]["d"]
        assert resume["session_id"] == "fake-session-1" and resume["token"] == "test-token"
        assert "At least 70 killed" in await bot.ask("toll")
    assert bot.fake.gateway_paths == ["/gateway"] + ["/resume"] * drops
    assert len(bot.fake.ops(IDENTIFY)) == 1  # never needed a new session


async def test_a_refused_resume_identifies_afresh_and_keeps_answering(bot: Running) -> None:
    bot.fake.refuse_resume = True
    await bot.fake.drop(4009)  # session timed out
    await bot.wait_for_op(RESUME, 1)
    await bot.wait_for_op(IDENTIFY, 2)  # INVALID_SESSION (not resumable): a fresh IDENTIFY
    # (discord.py identifies on whichever gateway URL it last used; both are this fake)
    assert len(bot.fake.gateway_paths) == 3
    await bot.ready_again()
    assert "At least 70 killed" in await bot.ask("toll")

    # and the new session resumes normally after the next drop
    await bot.fake.drop(4000)
    await bot.wait_for_op(RESUME, 2)
    assert bot.fake.ops(RESUME)[-1]["d"]["session_id"] == "fake-session-2"
    assert "At least 70 killed" in await bot.ask("toll")


async def test_a_cut_connection_resumes(bot: Running) -> None:
    for number in range(1, 4):
        bot.fake.cut()
        await bot.wait_for_op(RESUME, number)
        assert "At least 70 killed" in await bot.ask("toll")


async def test_updates_between_drops_are_kept_and_digests_post_while_reconnecting(bot: Running) -> None:
    options = {"killed": 120, "source": "SOHR", "as_of": "2025-03-08"}
    shown = await bot.ask("update", options, **MODERATOR)
    assert "Recorded" in shown, shown
    await bot.fake.drop(4000)
    await bot.wait_for_op(RESUME, 1)
    bot.fake.refuse_resume = True
    await bot.fake.drop(4000)
    await bot.wait_for_op(IDENTIFY, 2)
    await bot.ready_again()
    assert "120" in await bot.ask("toll")
    # REST does not depend on the gateway: a digest post goes out whatever its state
    reply = await bot.briefings.digest((await bot.briefings.store.situations())[0].slug)
    assert await bot.adapter.post(CHANNEL_ID, reply, "d1-2503080800")
