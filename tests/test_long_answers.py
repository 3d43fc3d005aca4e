"""Long answers through the real paths (signed Slack requests to the Bolt app on 127.0.0.1, the discord.py client
against the local fake Discord): at most three messages per answer, in a thread or privately, the last one saying
how many entries were left out, where, and how to ask for them ("12 more: … — ask for one at a time: …")."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest

from briefings import paging
from briefings.access import Caller
from briefings.service import Briefings
from tests.fakes.slack import FakeSlack
from tests.fakes_discord import CHANNEL_ID, FakeDiscord
from tests.test_discord import Running, embed_text, fake, running
from tests.test_slack import CHANNEL, READER, Bot, shown
from tests.test_slack import running as slack_running

__all__ = ["fake"]
STATEMENT = (
    "The ministry said it was following the events closely, urged every side to stop the fighting at once, to "
    "protect the people living in the coastal towns, to open the roads for aid convoys and the wounded, and to "
    "let independent observers see the places where the killings were reported in the last three days."
)


async def many_reactions(briefings: Briefings, count: int = 60) -> None:
    """`count` governments each reacting at length, recorded as a moderator would."""
    operator = Caller.operator()
    for number in range(count):
        for text in (
            f'/add actor name="Republic of Testland {number}" kind=government',
            f'/add reaction actor="Republic of Testland {number}" source=Reuters stance=calls-for date=2025-03-08 '
            f'summary="{STATEMENT}" quote="{STATEMENT}"',
        ):
            reply = await briefings.handle(text, operator)
            assert reply.ok, (text[:80], reply.title)


def more_count(text: str) -> int:
    found = re.search(r"(\d+) more\*?\*?: .*ask for one at a time: /reactions", text)
    assert found, text[-500:]
    return int(found.group(1))


@pytest.fixture
async def slack(sqlite_url: str) -> AsyncIterator[Bot]:
    fake = await FakeSlack().start()
    try:
        async with slack_running(sqlite_url, fake) as bot:
            await many_reactions(bot.briefings)
            yield bot
    finally:
        await fake.stop()


async def whole(briefings: Briefings, platform: str, channel: str) -> int:
    reply = await briefings.handle("/reactions", Caller(platform, "U0CHECK", channel))
    return paging.entry_count(reply)


def slack_bullets(messages: list[dict[str, Any]]) -> int:
    return sum(shown({"blocks": m.get("blocks")}).count("\n• ") for m in messages)


async def test_a_long_thread_answer_takes_three_messages_and_says_how_many_more(slack: Bot) -> None:
    event = {"type": "app_mention", "user": READER, "text": "<@UBOT> reactions", "ts": "9.1", "channel": CHANNEL}
    assert (await slack.event(event)).status_code == 200
    await slack.fake.wait_for("chat.postMessage", count=3)
    await asyncio.sleep(0.5)  # time for any further message to arrive
    thread = [call.params for call in slack.fake.called("chat.postMessage")]
    assert len(thread) == 3 and {t["thread_ts"] for t in thread} == {"9.1"}
    last = shown(thread[-1])
    left_out = more_count(last)
    assert re.search(r"more\*: Republic of Testland \d+, Republic of Testland \d+", last)  # named, left out
    entries = await whole(slack.briefings, "slack", f"slack:{CHANNEL}")
    assert slack_bullets(thread) - 1 + left_out == entries


async def test_a_long_slash_answer_takes_three_messages_and_says_how_many_more(slack: Bot) -> None:
    first = (await slack.command("/reactions")).json()
    await slack.fake.wait_for("response_url", count=2)
    await asyncio.sleep(0.5)
    pages = [first, *(call.params for call in slack.fake.called("response_url"))]
    assert len(pages) == 3 and all(p["response_type"] == "ephemeral" for p in pages)
    left_out = more_count(shown(pages[-1]))
    assert "Post to channel" in str(pages[-1]["blocks"][-1])
    entries = await whole(slack.briefings, "slack", f"slack:{CHANNEL}")
    assert slack_bullets(pages) - 1 + left_out == entries


@pytest.fixture
async def discord_bot(fake: FakeDiscord, sqlite_url: str) -> AsyncIterator[Running]:
    async for value in running(fake, sqlite_url):
        await many_reactions(value.briefings)
        yield value


async def test_a_long_discord_answer_takes_three_messages_and_says_how_many_more(discord_bot: Running) -> None:
    interaction = discord_bot.fake.command("reactions", user_id="222")
    first = await discord_bot.fake.interact(interaction)
    await discord_bot.fake.wait_for(lambda: len(discord_bot.fake.followups(interaction)) >= 2)
    await asyncio.sleep(0.5)
    bodies = [first["data"], *(call.body for call in discord_bot.fake.followups(interaction))]
    assert len(bodies) == 3, len(bodies)
    text = "\n".join(embed_text(body) for body in bodies)
    left_out = more_count(text.replace("\\", ""))
    bullets = sum(1 for row in text.splitlines() if row.startswith("• "))
    assert bullets - 1 + left_out == await whole(discord_bot.briefings, "discord", f"discord:{CHANNEL_ID}")
