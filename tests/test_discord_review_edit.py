"""The Edit form of a review card on Discord, through the real discord.py client and the local fake: a proposed toll
or event opens the moderators' own form for it, filled in (a value the form has no field for stays as proposed, an
emptied field leaves its value out); a reaction or measure opens a form of its values. Submitting accepts the
proposal with the moderator's changes; a refused value names the field."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from briefings.facts import Actor, Event, Reaction
from briefings.store.proposals import ProposalQueue
from briefings.values import Status
from tests.fakes_discord import CHANNEL_ID
from tests.test_discord import MODERATOR, Running, embed_text, inputs_of
from tests.test_discord_review import card_for, click, killed, outcome, pending, propose

Json = dict[str, Any]
EVENT_IDS = ["event:date", "event:text", "event:place", "event:actors", "event:source"]
CHANGED = "Gunmen attacked an army checkpoint in Qardaha"
REACTION = "Turkey condemned the attacks on Saturday, the Syrian Observatory for Human Rights said."


@pytest.fixture
def bot(discord_bot_sqlite: Running) -> Running:
    return discord_bot_sqlite


def number_of(card: Json) -> str:
    return str(card["embeds"][0]["title"].split()[0].lstrip("\\#"))


async def events(bot: Running) -> list[Event]:
    slug = await bot.briefings.situation_for(f"discord:{CHANNEL_ID}")
    return [event for _, event in (await bot.briefings.store.snapshot(slug)).all(Event)]


async def edit_requeued(bot: Running, fields: dict[str, Any]) -> tuple[Json, Json]:
    """The article's proposed event queued again with `fields` changed, and Edit clicked on its card: the card's
    message and the form."""
    await propose(bot)
    slug = await bot.briefings.situation_for(f"discord:{CHANNEL_ID}")
    queue = ProposalQueue(bot.briefings.store)
    [item] = [item for item in await queue.pending(slug) if item.proposal.kind == "event"]
    changed = replace(item.proposal, fields=item.proposal.fields | fields)
    [number] = await queue.add(slug, [changed], published=item.published, by="discord:user:111", at=item.published)
    edit = {"type": 2, "style": 2, "label": "Edit", "custom_id": f"review:edit:{number}"}
    message = bot.fake.message_for({"data": {"components": [{"type": 1, "components": [edit]}]}})
    return message, await bot.fake.interact(bot.fake.button(message, f"review:edit:{number}", **MODERATOR))


async def test_edit_opens_the_form_filled_in_and_records_what_was_changed(bot: Running) -> None:
    cards = await propose(bot)
    toll = card_for(cards, "toll")
    _, form = await click(bot, toll, "Edit")
    assert form["type"] == 9 and form["data"]["title"].startswith("Edit proposal #")
    inputs = inputs_of(form)
    assert inputs["toll:killed"]["value"] == "1200" and inputs["toll:as_of"]["value"] == "2025-03-08"
    assert inputs["toll:source"]["value"] == "Syrian Observatory for Human Rights"
    values = {"toll:killed": "1250", "toll:civilians": "", "toll:source": "SOHR", "toll:as_of": "2025-03-08"}
    message = bot.fake.message_for({"data": toll})
    submit = bot.fake.modal_submit(form["data"]["custom_id"], values | {"toll:note": ""}, message, **MODERATOR)
    done = await bot.fake.interact(submit)
    assert done["type"] == 7 and "Accepted by user111" in embed_text(done) and done["data"]["components"] == []
    assert "Recorded" in await outcome(bot, submit)
    assert 1250 in await killed(bot) and 1200 not in await killed(bot)


async def test_edit_of_an_event_fills_the_form_with_its_values(discord_bot: Running) -> None:
    bot = discord_bot
    cards = await propose(bot)
    event = card_for(cards, "event")
    _, form = await click(bot, event, "Edit")
    assert form["type"] == 9 and form["data"]["title"] == f"Edit proposal #{number_of(event)}"
    inputs = inputs_of(form)
    assert list(inputs) == EVENT_IDS  # the moderators' event form, not one made of the proposal's values
    labels = [field["label"] for field in inputs.values()]
    assert labels == ["Date", "What happened", "Places", "Actors", "Source"]
    assert inputs["event:date"]["value"] == "2025-03-08" and inputs["event:place"]["value"] == "Qardaha"
    assert inputs["event:text"]["value"].startswith("Gunmen attacked a checkpoint")
    assert inputs["event:source"]["value"] == "Syrian Observatory for Human Rights"
    changed = {custom: field.get("value", "") for custom, field in inputs.items()} | {"event:text": CHANGED}
    message = bot.fake.message_for({"data": event})
    submit = bot.fake.modal_submit(form["data"]["custom_id"], changed, message, **MODERATOR)
    done = await bot.fake.interact(submit)
    assert done["type"] == 7 and "Accepted by user111" in embed_text(done) and done["data"]["components"] == []
    assert "Recorded" in await outcome(bot, submit)
    [recorded] = [e for e in await events(bot) if e.text == CHANGED]
    assert recorded.when.iso() == "2025-03-08" and len(recorded.places) == 1 and recorded.sources
    # the form has no note field: the article's note stays as proposed
    assert recorded.note and "127.0.0.1:9/coast-saturday" in recorded.note
    assert "Gunmen attacked a checkpoint in Qardaha" in recorded.note


async def test_a_value_the_event_form_lacks_stays_as_proposed_and_an_emptied_field_is_left_out(
    bot: Running,
) -> None:
    message, form = await edit_requeued(bot, {"status": "disputed"})
    inputs = inputs_of(form)
    assert list(inputs) == EVENT_IDS and not any("disputed" in field.get("value", "") for field in inputs.values())
    changed = {custom: field.get("value", "") for custom, field in inputs.items()}
    changed |= {"event:text": CHANGED, "event:place": ""}
    done = await bot.fake.interact(bot.fake.modal_submit(form["data"]["custom_id"], changed, message, **MODERATOR))
    assert done["type"] == 7 and "Accepted by user111" in embed_text(done)
    [recorded] = [e for e in await events(bot) if e.text == CHANGED]
    assert recorded.status is Status.disputed  # proposed, not in the form: kept
    assert recorded.places == []  # emptied: left out
    assert recorded.note and "Gunmen attacked a checkpoint in Qardaha" in recorded.note


async def test_a_long_value_fills_its_field_uncut(bot: Running) -> None:
    slug = await bot.briefings.situation_for(f"discord:{CHANNEL_ID}")
    actors = [(key, actor.name) for key, actor in (await bot.briefings.store.snapshot(slug)).all(Actor)]
    names = ",".join(name for _, name in actors)
    assert len(names) > 100  # longer than the field's own limit
    message, form = await edit_requeued(bot, {"actors": [key for key, _ in actors]})
    field = inputs_of(form)["event:actors"]
    assert field["value"] == names and field["max_length"] >= len(names)
    changed = {custom: field.get("value", "") for custom, field in inputs_of(form).items()} | {"event:text": CHANGED}
    done = await bot.fake.interact(bot.fake.modal_submit(form["data"]["custom_id"], changed, message, **MODERATOR))
    assert done["type"] == 7 and "Accepted by user111" in embed_text(done)
    [recorded] = [e for e in await events(bot) if e.text == CHANGED]
    assert sorted(recorded.actors) == sorted(key for key, _ in actors)


async def test_a_bad_event_edit_names_the_field_and_keeps_the_proposal(bot: Running) -> None:
    cards = await propose(bot)
    event = card_for(cards, "event")
    _, form = await click(bot, event, "Edit")
    values = {custom: field.get("value", "") for custom, field in inputs_of(form).items()}
    values |= {"event:date": "2025-13-45", "event:text": CHANGED}
    message = bot.fake.message_for({"data": event})
    refused = await bot.fake.interact(bot.fake.modal_submit(form["data"]["custom_id"], values, message, **MODERATOR))
    content = refused["data"]["content"]
    assert refused["type"] == 4 and "Fix the “Date” field" in content and "press Edit again" in content
    assert len(await pending(bot)) == 2 and CHANGED not in [e.text for e in await events(bot)]


async def test_a_bad_edit_names_the_field_and_keeps_the_proposal(bot: Running) -> None:
    cards = await propose(bot)
    toll = card_for(cards, "toll")
    _, form = await click(bot, toll, "Edit")
    values = {"toll:killed": "-5", "toll:source": "SOHR"}
    submit = bot.fake.modal_submit(form["data"]["custom_id"], values, bot.fake.message_for({"data": toll}), **MODERATOR)
    refused = await bot.fake.interact(submit)
    content = refused["data"]["content"]
    assert refused["type"] == 4 and "Killed (total)" in content and "press Edit again" in content
    assert len(await pending(bot)) == 2 and 1200 not in await killed(bot)


async def test_edit_of_a_reaction_opens_a_form_of_its_values(bot: Running) -> None:
    [card] = [card for card in await propose(bot, REACTION) if card.get("embeds")]
    assert " reaction" in card["embeds"][0]["title"]
    _, form = await click(bot, card, "Edit")
    assert form["type"] == 9 and form["data"]["title"] == f"Edit proposal #{number_of(card)}"
    inputs = inputs_of(form)
    assert list(inputs) == ["proposal:actor", "proposal:stance", "proposal:date", "proposal:summary", "proposal:source"]
    assert [field["label"] for field in inputs.values()] == ["Actor", "Stance", "Date", "Summary", "Source"]
    assert inputs["proposal:actor"]["value"] == "Turkey" and inputs["proposal:stance"]["value"] == "condemns"
    changed = {custom: field["value"] for custom, field in inputs.items()}
    changed["proposal:summary"] = "Turkey condemned the attacks on the coast"
    message = bot.fake.message_for({"data": card})
    done = await bot.fake.interact(bot.fake.modal_submit(form["data"]["custom_id"], changed, message, **MODERATOR))
    assert done["type"] == 7 and "Accepted by user111" in embed_text(done)
    slug = await bot.briefings.situation_for(f"discord:{CHANNEL_ID}")
    summaries = [r.summary for _, r in (await bot.briefings.store.snapshot(slug)).all(Reaction)]
    assert "Turkey condemned the attacks on the coast" in summaries
