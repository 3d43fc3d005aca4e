"""Text from people and sources on Discord, through the real discord.py client and the local fake: it cannot
link, mention, format or draw a line in answers, shared posts, "Read as" notes or the "Shared by" line."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest

from tests.fakes_discord import CHANNEL_ID, FakeDiscord
from tests.test_discord import MEMBER, MODERATOR, Running, assert_no_pings, embed_text, running

TWO_LINKS = "Clashes resumed, see [the report](https://a.example/r) and [the video](https://b.example/v)"
MARKUP = "</toll:7> <t:1741334400:R> <:skull:8> <a:party:9> <#10> <@&11> ||hidden|| __under__ ~~gone~~ `code`"
LIVE = re.compile(r"\]\(|://|<[@#/:at]|@everyone|@here", re.IGNORECASE)
"""What would still be a masked link, a bare URL, a mention, a command, a time or an emoji."""


def bare(text: str) -> str:
    """`text` without Discord's backslash escapes: what its markdown parser sees as markup."""
    return re.sub(r"\\.", "", text)


@pytest.fixture
def fake(fake_discord: FakeDiscord) -> FakeDiscord:
    return fake_discord


@pytest.fixture
async def bot(fake: FakeDiscord, database_url: str) -> AsyncIterator[Running]:
    async for value in running(fake, database_url):
        yield value


async def test_every_masked_link_and_mention_in_a_fact_is_inert_also_when_shared(bot: Running) -> None:
    fields = f'date=2025-03-07 place=Jableh text="{TWO_LINKS} {MARKUP}" source=SOHR'
    added = await bot.ask("add", {"kind": "event", "fields": fields}, **MODERATOR)
    assert "Recorded" in embed_text(added)
    answer = await bot.ask("timeline", **MEMBER)
    click = bot.fake.button(bot.fake.message_for(answer), "briefing:share:/timeline", **MEMBER)
    click["member"]["user"]["global_name"] = "[boss](https://c.example) [boss](https://d.example) @everyone"
    await bot.fake.interact(click)
    [posted] = bot.fake.messages[CHANNEL_ID]
    for shown in (embed_text(added), embed_text(answer), embed_text(posted), posted["content"]):
        assert not LIVE.search(shown), shown
    for shown in (embed_text(added), embed_text(answer), embed_text(posted)):
        event = next(row for row in shown.split("\n") if "Clashes resumed" in row)
        assert "the video" in event and "hidden" in event
        assert not re.search(r"\|\||__|~~|`", bare(event)), event
    assert posted["content"].startswith("Shared by ") and "boss" in posted["content"]
    assert_no_pings(bot.fake)


async def test_read_as_and_suggestions_escape_the_names_they_show(bot: Running) -> None:
    fields = 'name="<@123> *Ras* Shamra" aliases=Ugarit kind=city province=Latakia'
    assert "Recorded" in embed_text(await bot.ask("add", {"kind": "place", "fields": fields}, **MODERATOR))
    read = embed_text(await bot.ask("briefing ask", {"question": "how many died in ugarit?"}, **MEMBER))
    note = next(row for row in read.split("\n") if "Read as" in row)
    assert "Ras" in note and "<@123>" not in note and "\\*Ras\\*" in note
    unclear = await bot.ask("briefing ask", {"question": "ugarit blue green yellow purple"}, **MEMBER)
    shown = unclear["data"].get("content") or embed_text(unclear)
    assert "Ras" in shown and "<@123>" not in shown


async def test_a_command_refuses_words_it_does_not_take(bot: Running) -> None:
    refused = await bot.ask(
        "briefing digest", {"args": "list @here *OFFICIAL: EVACUATE NOW* see https://e.example"}, **MEMBER
    )
    content = refused["data"]["content"]
    assert "does not take" in content and "OFFICIAL" in content
    assert not refused["data"].get("embeds") and not refused["data"].get("components")
    assert not LIVE.search(content)
