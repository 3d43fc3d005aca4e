"""Forms answer within the platform's deadline while the database is busy, and the write still happens once:
Slack's view_submission is acknowledged (the form closes) and the outcome follows as a message; Discord's modal
submit is deferred and the outcome follows up. The same form sent again meanwhile changes nothing more."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from tests.fakes.slack import FakeSlack
from tests.test_discord import MODERATOR as DISCORD_MODERATOR
from tests.test_discord import Running, embed_text
from tests.test_replays import recorded_key, toll_view, tolls
from tests.test_slack import CHANNEL, Bot, running, shown


@asynccontextmanager
async def busy(database_url: str) -> AsyncIterator[None]:
    """Another connection holds what a write needs (SQLite's write lock; the situation rows on PostgreSQL)
    until the block ends."""
    if database_url.startswith("sqlite"):
        holder = sqlite3.connect(str(make_url(database_url).database), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.execute("COMMIT")
            holder.close()
        return
    connection = await asyncpg.connect(database_url)
    transaction = connection.transaction()
    await transaction.start()
    await connection.execute("SELECT id FROM situations FOR UPDATE")
    try:
        yield
    finally:
        await transaction.rollback()
        await connection.close()


@pytest.fixture
async def slack_bot(database_url: str, fake_slack: FakeSlack) -> AsyncIterator[Bot]:
    async with running(database_url, fake_slack) as started:
        yield started


async def test_a_slack_form_is_answered_in_time_while_the_database_is_busy(
    slack_bot: Bot, fake_slack: FakeSlack, database_url: str
) -> None:
    before = await tolls(slack_bot.briefings, f"slack:{CHANNEL}")
    form = toll_view(fake_slack, "V0BUSY", killed="95", source="SOHR", as_of="2025-03-08")
    async with busy(database_url):
        answered = await slack_bot.interact(form)  # before the database is free again
        assert answered.status_code == 200 and answered.content == b""  # acknowledged: the form closes
        again = await slack_bot.interact(form)  # the moderator sends it once more, to be sure
        assert again.status_code == 200 and again.content == b""
        assert not fake_slack.called("chat.postEphemeral")
    told = await fake_slack.wait_for("chat.postEphemeral", count=2, timeout=30)
    texts = sorted(shown(call.params) for call in told)
    key = recorded_key(next(text for text in texts if "Recorded" in text))
    assert any(text.startswith("Already") for text in texts), texts
    assert await tolls(slack_bot.briefings, f"slack:{CHANNEL}") == before + 1
    assert all(call.params["user"] == "U0MOD" and call.params["channel"] == CHANNEL for call in told)
    assert key.startswith("t")


async def test_a_discord_form_is_deferred_while_the_database_is_busy(discord_bot: Running, database_url: str) -> None:
    fake = discord_bot.fake
    before = await discord_bot.toll_count()
    form = await discord_bot.ask("update", **DISCORD_MODERATOR)
    ids = {
        row["components"][0]["custom_id"].split(":")[-1]: row["components"][0]["custom_id"]
        for row in form["data"]["components"]
    }
    values = {ids["killed"]: "95", ids["source"]: "SOHR", ids["as_of"]: "2025-03-08"}
    submit = fake.modal_submit(form["data"]["custom_id"], values, **DISCORD_MODERATOR)
    async with busy(database_url):
        first = await fake.interact(submit)  # before the database is free again
        assert first["type"] == 5 and first["data"]["flags"] == 64  # deferred, privately
        assert await discord_bot.toll_count() == before
    [follow_up] = await fake.wait_for(lambda: fake.followups(submit), timeout=30)
    assert "Recorded" in embed_text(follow_up.body)
    await asyncio.sleep(0)
    assert await discord_bot.toll_count() == before + 1
