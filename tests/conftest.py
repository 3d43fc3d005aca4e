"""Fixtures: every store test runs on SQLite and on PostgreSQL (a fresh database per test)."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import asyncpg
import pytest

from briefings.access import Caller
from briefings.render_text import render
from briefings.reply import Reply
from briefings.service import Briefings
from briefings.settings import CoreSettings

if TYPE_CHECKING:
    from tests.fakes.slack import FakeSlack
    from tests.fakes_discord import FakeDiscord
    from tests.test_discord import Running

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
POSTGRES = os.environ.get("BRIEFING_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


async def admin(sql: str) -> None:
    """Runs one statement on the PostgreSQL server's `test` database (creating and dropping scratch ones)."""
    connection = await asyncpg.connect(POSTGRES, timeout=5)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty PostgreSQL database; dropped afterwards. Skips only outside CI."""
    name = f"briefings_test_{uuid.uuid4().hex[:12]}"
    try:
        asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    except (OSError, asyncpg.PostgresError) as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL at {POSTGRES} is required in CI: {exc}")
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES}: {exc}")
    try:
        yield f"{POSTGRES.rsplit('/', 1)[0]}/{name}"
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'briefings.db'}"


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str:
    """Each test that takes this runs twice: on SQLite and on PostgreSQL."""
    return str(request.getfixturevalue(f"{request.param}_url"))


@pytest.fixture
def settings(database_url: str) -> CoreSettings:
    return CoreSettings(database_url=database_url, seeds=SEEDS, moderators="console:mod,slack:U0MOD")


@pytest.fixture
async def briefings(settings: CoreSettings) -> AsyncIterator[Briefings]:
    service = await Briefings.start(settings)
    yield service
    await service.close()


@pytest.fixture
def reader() -> Caller:
    """Somebody who may read but not change anything."""
    return Caller("console", "reader", "console")


@pytest.fixture
def moderator() -> Caller:
    return Caller("console", "mod", "console")


class Ask:
    """`await ask("/toll")` -> (reply, rendered text) as a caller would see it."""

    def __init__(self, briefings: Briefings, caller: Caller) -> None:
        self.briefings, self.caller = briefings, caller

    async def __call__(self, text: str, caller: Caller | None = None) -> tuple[Reply, str]:
        reply = await self.briefings.handle(text, caller or self.caller)
        return reply, render(reply)


@pytest.fixture
def ask(briefings: Briefings, reader: Caller) -> Ask:
    return Ask(briefings, reader)


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    """A fake Slack Web API on 127.0.0.1 for a bot to talk to."""
    from tests.fakes.slack import FakeSlack  # imported here: the fake itself imports this module

    server = await FakeSlack().start()
    yield server
    await server.stop()


@pytest.fixture
def fake_discord_class() -> type[FakeDiscord]:
    """The fake Discord that `fake_discord` serves; a module overrides this fixture to serve a subclass."""
    from tests.fakes_discord import FakeDiscord

    return FakeDiscord


@pytest.fixture
async def fake_discord(
    fake_discord_class: type[FakeDiscord], monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[FakeDiscord]:
    """A fake Discord (REST and gateway) on 127.0.0.1, with discord.py pointed at it."""
    import discord

    server = fake_discord_class()
    await server.start()
    monkeypatch.setattr(discord.http.Route, "BASE", server.rest_url)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", server.gateway_url)
    yield server
    await server.close()


@pytest.fixture
async def discord_bot(fake_discord: FakeDiscord, database_url: str) -> AsyncIterator[Running]:
    """The Discord adapter running against `fake_discord`, on SQLite and on PostgreSQL."""
    from tests.test_discord import running

    async for bot in running(fake_discord, database_url):
        yield bot


@pytest.fixture
async def discord_bot_sqlite(fake_discord: FakeDiscord, sqlite_url: str) -> AsyncIterator[Running]:
    """The same on SQLite only, for tests of what does not depend on the database."""
    from tests.test_discord import running

    async for bot in running(fake_discord, sqlite_url):
        yield bot


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for key in list(os.environ):
        if key.startswith("BRIEFING_"):
            monkeypatch.delenv(key)
    yield
