"""Review cards on Discord beyond the message command, through the real discord.py client and the local fake:
cards posted to a channel (proposals announced from a feed), one message each with its buttons, posted once and
decided there; cards answering after a restart; /review typed; the lower-figure guard keeping a card waiting."""

from __future__ import annotations

from datetime import date

import pytest

from briefings.access import Caller
from briefings.reviewing import Reviewing
from tests.fakes_discord import CHANNEL_ID, FakeDiscord
from tests.test_discord import MEMBER, MODERATOR, Running, embed_text, running
from tests.test_discord_review import ARTICLE, LINK, buttons, card_for, click, killed, outcome, pending, propose

RUN = "f3-2503081200"


@pytest.fixture
def bot(discord_bot_sqlite: Running) -> Running:
    return discord_bot_sqlite


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


async def test_cards_still_answer_after_a_restart(fake_discord: FakeDiscord, sqlite_url: str) -> None:
    async for before in running(fake_discord, sqlite_url):
        cards = await propose(before)
    async for after in running(fake_discord, sqlite_url):  # a new client: nothing kept from the first but the database
        _, clicked = await click(after, card_for(cards, "toll"), "Accept")
        assert clicked["type"] == 7 and "Accepted by user111" in embed_text(clicked)
        assert 1200 in await killed(after)


async def test_review_typed_lists_the_waiting_proposals_as_cards(bot: Running) -> None:
    await propose(bot)
    interaction = bot.fake.command("review", **MODERATOR)
    listed = await bot.fake.interact(interaction)
    assert "2 proposals waiting for review" in listed["data"]["content"]
    follow = await bot.fake.wait_for(lambda: bot.fake.followups(interaction))
    assert [len(buttons(card)) for card in [listed["data"], follow[0].body]] == [3, 3]
    _, clicked = await click(bot, follow[0].body, "Reject")
    assert "Rejected by user111" in embed_text(clicked)


async def test_a_lower_figure_keeps_the_card_waiting_until_confirmed(bot: Running) -> None:
    cards = await propose(
        bot, "At least 50 people were killed, the Syrian Observatory for Human Rights said on Saturday."
    )
    toll = card_for(cards, "toll")
    interaction, clicked = await click(bot, toll, "Accept")
    assert clicked["type"] == 7 and list(buttons(clicked["data"])) == ["Accept", "Edit", "Reject"]
    said = await outcome(bot, interaction)
    assert "confirm=yes" in said and "stays in the queue" in said and 50 not in await killed(bot)
    number = int(buttons(toll)["Accept"].rsplit(":", 1)[1])
    confirmed = await bot.ask("review", {"action": "accept", "id": str(number), "confirm": True}, **MODERATOR)
    assert "Recorded" in embed_text(confirmed) and 50 in await killed(bot)


async def test_edit_on_a_card_decided_meanwhile_brings_it_up_to_date(bot: Running) -> None:
    toll = card_for(await propose(bot), "toll")
    await click(bot, toll, "Reject")
    interaction, stale = await click(bot, toll, "Edit")
    assert stale["type"] == 7 and "Rejected by user111" in embed_text(stale) and stale["data"]["components"] == []
    assert "already rejected" in await outcome(bot, interaction)


async def test_propose_facts_delivered_twice_proposes_once(bot: Running) -> None:
    interaction = bot.fake.message_command("Propose facts", bot.fake.posted_by("444", ARTICLE), **MODERATOR)
    await bot.fake.interact(interaction)
    await bot.fake.wait_for(lambda: bot.fake.followups(interaction))
    await bot.fake.dispatch("INTERACTION_CREATE", interaction)
    await bot.fake.wait_for(lambda: len(bot.fake.callbacks(interaction)) == 2)
    again = bot.fake.callbacks(interaction)[-1].body["data"]
    assert "Already recorded" in embed_text(again) + str(again.get("content") or "")
    assert len(await pending(bot)) == 2
