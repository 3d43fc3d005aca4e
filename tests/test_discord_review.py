"""The review queue on Discord, through the real discord.py client and the local fake: "Propose facts" on a
message queues what it states and shows one card per proposal; Accept, Edit and Reject decide as the moderator
who clicked (the card then says who), members are refused, and a click delivered twice decides once. The Edit
forms: tests/test_discord_review_edit.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import discord
import pytest

from briefings.facts import Toll
from briefings.store.proposals import ProposalQueue
from tests.fakes_discord import CHANNEL_ID
from tests.local_site import LocalSite, Page
from tests.test_discord import EPHEMERAL, MEMBER, MODERATOR, Running, embed_text

Json = dict[str, Any]
ARTICLE = (
    "At least 1,200 people have died in the coastal violence, the Syrian Observatory for Human Rights said on "
    "Saturday. Gunmen attacked a checkpoint in Qardaha on Saturday, the Syrian Observatory for Human Rights said."
)
LINK = "http://127.0.0.1:9/coast-saturday"
"""Where the message says the article is: an address the bot refuses to fetch (a loopback one, not allowed here),
so the message's own words are read."""
PAGE = b"""<!doctype html><html lang="en"><head><title>Coast count rises again</title>
<meta property="article:published_time" content="2025-03-09T08:00:00Z"></head>
<body><nav><a href="/">Front page</a> <a href="/weather">Weather</a></nav><article><h1>Coast count rises again</h1>
<p>Families in the hill villages spent another night away from their homes, waiting for the roads to reopen.</p>
<p>At least 1,400 people have been killed on the coast, the Syrian Observatory for Human Rights said on Sunday.</p>
<p>Bakeries opened for a few hours in the morning and queues formed before sunrise.</p>
</article></body></html>"""


@pytest.fixture
def bot(discord_bot_sqlite: Running) -> Running:
    return discord_bot_sqlite


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalSite]:
    """A news site on 127.0.0.1, which the bot may fetch from."""
    monkeypatch.setenv("BRIEFING_FETCH_ALLOW_PRIVATE", "127.0.0.1/32")
    server = LocalSite().start()
    server.pages |= {"/coast": Page(PAGE), "/gone": Page(b"<p>taken down</p>", status=410)}
    yield server
    server.stop()


async def pending(bot: Running) -> list[int]:
    slug = await bot.briefings.situation_for(f"discord:{CHANNEL_ID}")
    return [item.id for item in await ProposalQueue(bot.briefings.store).pending(slug)]


async def killed(bot: Running) -> list[int | None]:
    slug = await bot.briefings.situation_for(f"discord:{CHANNEL_ID}")
    return [toll.killed for _, toll in (await bot.briefings.store.snapshot(slug)).all(Toll)]


async def propose(bot: Running, text: str = f"{ARTICLE} {LINK}", **who: Any) -> list[Json]:
    """The "Propose facts" command on a message someone wrote: every message sent (after a deferral when slow),
    once as many cards as the first message counts have arrived."""
    interaction = bot.fake.message_command("Propose facts", bot.fake.posted_by("444", text), **(who or MODERATOR))
    first = await bot.fake.interact(interaction)

    def sent() -> list[Json]:
        return ([first["data"]] if first["type"] == 4 else []) + [c.body for c in bot.fake.followups(interaction)]

    lead = (await bot.fake.wait_for(sent))[0]
    counted = re.match(r"\*\*(\d+) fact", lead.get("content") or "")
    await bot.fake.wait_for(lambda: len(sent()) >= (int(counted.group(1)) if counted else 1))
    return sent()


def buttons(card: Json) -> dict[str, str]:
    """A card's buttons: label -> custom id."""
    return {b["label"]: b["custom_id"] for row in card.get("components", []) for b in row["components"]}


def card_for(cards: list[Json], kind: str) -> Json:
    return next(card for card in cards if f" {kind}" in card["embeds"][0]["title"])


async def click(bot: Running, card: Json, label: str, **who: Any) -> tuple[Json, Json]:
    """Clicks a card's button; the click and the callback's body."""
    message = bot.fake.message_for({"data": card})
    interaction = bot.fake.button(message, buttons(card)[label], **(who or MODERATOR))
    return interaction, await bot.fake.interact(interaction)


async def outcome(bot: Running, interaction: Json) -> str:
    """What the click's follow-up told the person (after the card itself was updated)."""
    follow = await bot.fake.wait_for(lambda: [c for c in bot.fake.followups(interaction) if c.method == "POST"])
    body = follow[-1].body
    return embed_text(body) + str(body.get("content") or "")


async def test_propose_facts_is_a_moderators_message_command_in_the_synced_tree(bot: Running) -> None:
    put = next(c for c in bot.fake.calls if c.method == "PUT")
    [menu] = [command for command in put.body if command["name"] == "Propose facts"]
    assert menu["type"] == 3 and not menu.get("options")
    assert str(menu["default_member_permissions"]) == str(discord.Permissions(manage_messages=True).value)
    assert menu["dm_permission"] is False or menu.get("contexts") == [0]


async def test_a_message_is_read_into_proposals_shown_as_cards(discord_bot: Running) -> None:
    bot = discord_bot
    cards = await propose(bot, f"@everyone {ARTICLE} <@123> {LINK}")
    assert all(card["flags"] == EPHEMERAL for card in cards)
    assert "2 fact(s) proposed for review" in cards[0]["content"]
    assert len(cards) == 2 and len(await pending(bot)) == 2
    toll = card_for(cards, "toll")
    shown = embed_text(toll)
    assert "killed=1200" in shown and "Syrian Observatory for Human Rights" in shown and "(updates t1)" in shown
    assert "Evidence: @\u200beveryone At least 1,200 people have died" in shown  # inert: it cannot ping
    assert "Published 2025-03-08" in shown
    assert "127.0.0.1:9/coast-saturday" in shown and "http://" not in shown  # the article's address, not a link
    assert "The linked page could not be read" in cards[0]["content"] and "own words were read" in cards[0]["content"]
    assert "@everyone" not in "".join(embed_text(card) + card.get("content", "") for card in cards)
    [accept, edit, reject] = buttons(toll).values()
    number = toll["embeds"][0]["title"].split()[0].lstrip("\\#")
    assert (accept, edit, reject) == (f"review:accept:{number}", f"review:edit:{number}", f"review:reject:{number}")
    event = card_for(cards, "event")
    assert "Gunmen attacked a checkpoint in Qardaha" in embed_text(event) and len(buttons(event)) == 3


async def test_accept_records_the_fact_with_its_evidence_and_the_card_says_who(discord_bot: Running) -> None:
    bot = discord_bot
    cards = await propose(bot)
    interaction, clicked = await click(bot, card_for(cards, "toll"), "Accept")
    assert clicked["type"] == 7 and clicked["data"]["components"] == []
    assert "Accepted by user111" in embed_text(clicked) and "recorded t" in embed_text(clicked)
    assert "Recorded" in await outcome(bot, interaction)
    assert 1200 in await killed(bot)
    key = embed_text(clicked).split("recorded ")[-1].split()[0]
    history = embed_text(await bot.ask("briefing history", {"id": key}))
    assert "127.0.0.1:9/coast-saturday" in history and "At least 1,200 people have died" in history
    assert len(await pending(bot)) == 1


async def test_reject_records_nothing_and_the_card_says_who(bot: Running) -> None:
    cards = await propose(bot)
    before = await killed(bot)
    interaction, clicked = await click(bot, card_for(cards, "toll"), "Reject")
    assert clicked["type"] == 7 and "Rejected by user111" in embed_text(clicked)
    assert clicked["data"]["components"] == []
    assert "Rejected proposal" in await outcome(bot, interaction)
    assert await killed(bot) == before and len(await pending(bot)) == 1


async def test_members_are_refused_and_nothing_changes(bot: Running) -> None:
    [refused] = await propose(bot, **MEMBER)
    assert refused["flags"] == EPHEMERAL and "for moderators" in refused["content"] and not await pending(bot)
    cards = await propose(bot)
    toll = card_for(cards, "toll")
    for label in ("Accept", "Edit", "Reject"):
        _, answer = await click(bot, toll, label, **MEMBER)
        assert answer["type"] == 4 and answer["data"]["flags"] == EPHEMERAL, label
        assert "for moderators" in answer["data"]["content"] and not answer["data"].get("embeds"), label
    assert len(await pending(bot)) == 2 and 1200 not in await killed(bot)


async def test_a_click_delivered_twice_decides_once(discord_bot: Running) -> None:
    bot = discord_bot
    cards = await propose(bot)
    interaction, clicked = await click(bot, card_for(cards, "toll"), "Accept")
    assert "Accepted by user111" in embed_text(clicked)
    await bot.fake.wait_for(lambda: bot.fake.followups(interaction))
    await bot.fake.dispatch("INTERACTION_CREATE", interaction)
    await bot.fake.wait_for(lambda: len(bot.fake.followups(interaction)) == 2)
    again = bot.fake.followups(interaction)[-1].body
    assert "Already recorded" in embed_text(again) + str(again.get("content") or "")
    assert (await killed(bot)).count(1200) == 1


async def test_a_card_decided_elsewhere_shows_who_decided(bot: Running) -> None:
    cards = await propose(bot)
    toll = card_for(cards, "toll")
    await click(bot, toll, "Reject")
    interaction, stale = await click(bot, toll, "Accept", user_id="333", roles=["999"])
    assert stale["type"] == 7 and "Rejected by user111" in embed_text(stale) and stale["data"]["components"] == []
    assert "already rejected" in await outcome(bot, interaction)
    assert 1200 not in await killed(bot)


async def test_a_message_without_text_proposes_nothing(bot: Running) -> None:
    [answer] = await propose(bot, "   ")
    assert answer["flags"] == EPHEMERAL and "no text" in answer["content"]
    assert not await pending(bot)


async def test_a_shared_link_proposes_what_its_article_states(bot: Running, site: LocalSite) -> None:
    cards = await propose(bot, f"New figures from the monitor, worth a look: {site.url('/coast')}")
    shown = embed_text(card_for(cards, "toll"))
    assert "killed=1400" in shown and "Evidence: At least 1,400 people have been killed on the coast" in shown
    assert "Coast count rises again" in shown and "Published 2025-03-09" in shown  # the page's own title and date
    assert [seen.path for seen in site.seen] == ["/coast"]


async def test_a_link_that_cannot_be_read_says_why_and_queues_nothing(bot: Running, site: LocalSite) -> None:
    [answer] = await propose(bot, f"<{site.url('/gone')}>")
    assert answer["flags"] == EPHEMERAL and "410" in answer["content"]
    assert "Nothing proposed" in answer["content"] and not await pending(bot)


async def test_a_slow_decision_defers_then_updates_the_card(bot: Running) -> None:
    cards = await propose(bot)
    bot.adapter.review.defer_after = 0
    interaction, deferred = await click(bot, card_for(cards, "toll"), "Accept")
    assert deferred["type"] == 6  # "working on it", as an update of the card clicked
    edits = await bot.fake.wait_for(
        lambda: [c for c in bot.fake.followups(interaction) if c.method == "PATCH" and c.path.endswith("/@original")]
    )
    assert "Accepted by user111" in embed_text(edits[0].body) and edits[0].body["components"] == []
    assert "Recorded" in await outcome(bot, interaction)
