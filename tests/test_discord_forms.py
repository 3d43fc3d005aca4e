"""The moderators' event form on Discord, through the real discord.py client and the local fake: `/add event` alone
opens a modal of five inputs for a moderator (anyone else gets the refusal); its submission runs `/add event …`
through the core as the moderator, and an invalid value is answered naming the form's field."""

from __future__ import annotations

from typing import Any

import pytest

from briefings.facts import Event
from tests.fakes_discord import CHANNEL_ID
from tests.test_discord import EPHEMERAL, MEMBER, MODERATOR, MODERATOR_BY_ROLE, Running, embed_text, inputs_of

Json = dict[str, Any]
TEXT = "Gunmen attacked an army checkpoint near Qardaha"


@pytest.fixture
def bot(discord_bot_sqlite: Running) -> Running:
    return discord_bot_sqlite


async def event_texts(bot: Running) -> list[str]:
    slug = await bot.briefings.situation_for(f"discord:{CHANNEL_ID}")
    return [event.text for _, event in (await bot.briefings.store.snapshot(slug)).all(Event)]


@pytest.mark.parametrize("who", [MODERATOR, MODERATOR_BY_ROLE], ids=["user", "role"])
async def test_a_moderator_adds_an_event_through_the_form(discord_bot: Running, who: Json) -> None:
    bot = discord_bot
    form = await bot.ask("add", {"kind": "event"}, **who)
    assert form["type"] == 9 and form["data"]["title"] == "New event"
    inputs = inputs_of(form)
    assert list(inputs) == ["event:date", "event:text", "event:place", "event:actors", "event:source"]
    required = {custom for custom, field in inputs.items() if field.get("required", True)}
    assert required == {"event:date", "event:text", "event:source"}
    assert inputs["event:date"]["label"] == "Date" and inputs["event:text"]["label"] == "What happened"
    assert inputs["event:text"]["style"] == 2 and inputs["event:date"]["style"] == 1  # paragraph, short

    values = {"event:date": "2025-03-08T14:00", "event:text": TEXT, "event:place": "Qardaha"}
    values |= {"event:actors": "", "event:source": "SOHR"}
    done = await bot.fake.interact(bot.fake.modal_submit(form["data"]["custom_id"], values, **who))
    assert done["type"] == 4 and done["data"]["flags"] == EPHEMERAL
    assert "Recorded" in embed_text(done)
    assert TEXT in await event_texts(bot)
    assert TEXT in embed_text(await bot.ask("timeline", {"day": "2025-03-08"}))
    assert TEXT in embed_text(await bot.ask("briefing where", {"place": "Qardaha"}))


async def test_a_bad_date_names_the_date_field_and_records_nothing(bot: Running) -> None:
    before = await event_texts(bot)
    form = await bot.ask("add", {"kind": "event"}, **MODERATOR)
    values = {"event:date": "2025-13-45", "event:text": TEXT, "event:source": "SOHR"}
    invalid = await bot.fake.interact(bot.fake.modal_submit(form["data"]["custom_id"], values, **MODERATOR))
    content = invalid["data"]["content"]
    assert invalid["type"] == 4 and invalid["data"]["flags"] == EPHEMERAL
    assert "Fix the “Date” field" in content and "/add event" in content
    assert "Traceback" not in content
    assert await event_texts(bot) == before


async def test_a_member_gets_the_refusal_not_the_event_form(bot: Running) -> None:
    before = await event_texts(bot)
    refused = await bot.ask("add", {"kind": "event"}, **MEMBER)
    assert refused["type"] == 4 and refused["data"]["flags"] == EPHEMERAL
    assert "for moderators" in refused["data"]["content"] and not refused["data"].get("components")
    assert await event_texts(bot) == before
