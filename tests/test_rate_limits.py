"""Per-person and per-channel rate limits through the real paths: signed requests to the Slack app (Bolt behind
aiohttp on 127.0.0.1) and the discord.py client against the local fake Discord. Past a limit the person gets a
polite, private refusal saying when to try again, nothing runs and nothing is written; others still get answers."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from briefings.store.schema import revisions
from tests.fakes.slack import FakeSlack
from tests.fakes_discord import FakeDiscord
from tests.test_discord import Running, embed_text
from tests.test_discord import running as discord_running
from tests.test_slack import CHANNEL, MODERATOR, READER, Bot, running, shown

RATES = {"rate_per_person": "3/minute", "rate_per_channel": "5/minute"}


@pytest.fixture
async def slack(sqlite_url: str, fake_slack: FakeSlack) -> AsyncIterator[Bot]:
    async with running(sqlite_url, fake_slack, **RATES) as bot:
        yield bot


async def revision_count(bot: Bot) -> int:
    async with bot.briefings.store.reading() as db:
        return int(await db.scalar(select(func.count()).select_from(revisions)) or 0)


async def test_slack_commands_past_a_persons_limit_are_refused_politely(slack: Bot) -> None:
    for _ in range(3):
        answer = (await slack.command("/toll", user=READER)).json()
        assert "killed" in shown(answer), shown(answer)[:300]
    refused = (await slack.command("/toll", user=READER)).json()
    assert refused["response_type"] == "ephemeral"
    assert "You are asking faster than I can answer" in refused["text"], refused
    assert "Please wait about" in refused["text"] and "3 times a minute" in refused["text"]
    assert "killed" not in refused["text"]
    # someone else in the same channel is still answered
    assert "killed" in shown((await slack.command("/toll", user="U0OTHER")).json())


async def test_slack_channel_limit_and_other_channels(slack: Bot) -> None:
    for number in range(5):
        assert "killed" in shown((await slack.command("/toll", user=f"U0P{number}")).json())
    refused = (await slack.command("/toll", user="U0NEW")).json()
    assert "This channel is asking faster than I can answer" in refused["text"], refused
    assert "killed" in shown((await slack.command("/toll", user="U0NEW", channel="C0ELSEWHERE")).json())


async def test_a_refused_moderator_command_changes_nothing(slack: Bot) -> None:
    for _ in range(3):
        await slack.command("/toll", user=MODERATOR)
    before = await revision_count(slack)
    refused = (await slack.command("/update toll killed=999 source=SOHR confirm=yes", user=MODERATOR)).json()
    assert "asking faster" in refused["text"]
    assert await revision_count(slack) == before


async def test_slack_mentions_past_the_limit_get_a_private_refusal_only(slack: Bot) -> None:
    fake = slack.fake
    for number in range(4):
        event = {"type": "app_mention", "user": READER, "text": "<@UBOT> toll", "ts": f"7.{number}", "channel": CHANNEL}
        assert (await slack.event(event)).status_code == 200
    [refusal] = await fake.wait_for("chat.postEphemeral")
    assert refusal.params["user"] == READER and refusal.params["thread_ts"] == "7.3"
    assert "asking faster than I can answer" in refusal.params["text"]
    answers = await fake.wait_for("chat.postMessage", count=3)
    assert len(answers) == 3 and {a.params["thread_ts"] for a in answers} == {"7.0", "7.1", "7.2"}


# ---- Discord


@pytest.fixture
async def discord_bot(fake_discord: FakeDiscord, sqlite_url: str) -> AsyncIterator[Running]:
    async for bot in discord_running(fake_discord, sqlite_url, moderators="discord:user:111", **RATES):
        yield bot


async def test_discord_commands_past_a_persons_limit_are_refused_politely(discord_bot: Running) -> None:
    for _ in range(3):
        answer = await discord_bot.ask("toll", user_id="222")
        assert "killed" in embed_text(answer), json.dumps(answer)[:300]
    refused = await discord_bot.ask("toll", user_id="222")
    assert refused["data"]["flags"] == 64
    assert "You are asking faster than I can answer" in refused["data"]["content"]
    assert "Please wait about" in refused["data"]["content"]
    assert not refused["data"].get("embeds")
    assert "killed" in embed_text(await discord_bot.ask("toll", user_id="223"))
    assert "killed" in embed_text(await discord_bot.ask("toll", user_id="224"))
    channel = await discord_bot.ask("toll", user_id="225")
    assert "This channel is asking faster" in channel["data"]["content"]
