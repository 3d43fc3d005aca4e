"""Review cards posted to a Discord channel (proposals announced from a feed), through the real discord.py client
and the local fake: one message per card with its buttons, posted once, and decided from the channel."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import discord
import pytest

from briefings.access import Caller
from briefings.reviewing import Reviewing
from tests.fakes_discord import CHANNEL_ID, FakeDiscord
from tests.test_discord import MEMBER, MODERATOR, Running, embed_text, running
from tests.test_discord_review import ARTICLE, LINK, buttons, killed

RUN = "f3-2503081200"


@pytest.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    await server.start()
    monkeypatch.setattr(discord.http.Route, "BASE", server.rest_url)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", server.gateway_url)
    yield server
    await server.close()


@pytest.fixture
async def bot(fake: FakeDiscord, sqlite_url: str) -> AsyncIterator[Running]:
    async for value in running(fake, sqlite_url):
        yield value


async def test_cards_posted_to_a_channel_carry_their_buttons_and_are_decided_there(bot: Running) -> None:
    moderator = Caller("discord", "111", f"discord:{CHANNEL_ID}", "user111")
    proposed = await Reviewing(bot.briefings).propose(moderator, ARTICLE, url=LINK, published=date(2025, 3, 8))
    first = await bot.adapter.post(CHANNEL_ID, proposed, RUN)
    posted = bot.fake.messages[CHANNEL_ID]
    assert posted[0]["id"] == first and len(posted) == 3  # the notice, then one message per card
    assert "2 fact(s) proposed for review" in embed_text(posted[0]) and not posted[0]["components"]
    toll = next(m for m in posted if " toll" in m["embeds"][0]["title"])
    assert list(buttons(toll)) == ["Accept", "Edit", "Reject"]
    assert await bot.adapter.find_posted(CHANNEL_ID, RUN) == first
    assert await bot.adapter.post(CHANNEL_ID, proposed, RUN) == first and len(bot.fake.messages[CHANNEL_ID]) == 3

    refused = await bot.fake.interact(bot.fake.button(toll, buttons(toll)["Accept"], **MEMBER))
    assert refused["type"] == 4 and "for moderators" in refused["data"]["content"]
    clicked = await bot.fake.interact(bot.fake.button(toll, buttons(toll)["Accept"], **MODERATOR))
    assert clicked["type"] == 7 and "Accepted by user111" in embed_text(clicked)
    assert clicked["data"]["components"] == [] and 1200 in await killed(bot)
