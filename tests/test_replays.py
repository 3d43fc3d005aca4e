"""A moderator's request is taken once: the same signed Slack request sent again inside the signature window
(to this instance or another on the same database), a form submitted again, a Discord interaction delivered
twice, all answer "Already recorded: t…" and change nothing."""

from __future__ import annotations

import asyncio
import json
import urllib.parse
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from briefings.facts import Toll
from briefings.service import Briefings
from briefings.store import Store
from briefings.store.requests import KEEP, RequestLedger
from tests.fakes.slack import FakeSlack
from tests.test_discord import MODERATOR as DISCORD_MODERATOR
from tests.test_discord import Running, embed_text
from tests.test_slack import CHANNEL, MODERATOR, READER, Bot, running, shown, signed, toll_state

UPDATE = "/update toll killed=95 source=SOHR as_of=2025-03-08"


async def tolls(briefings: Briefings, channel: str) -> int:
    slug = await briefings.situation_for(channel)
    return len((await briefings.store.snapshot(slug)).all(Toll))


def recorded_key(text: str) -> str:
    """`Recorded t5 (toll)` -> `t5`."""
    assert "Recorded t" in text, text
    return text.split("Recorded ", 1)[1].split(" ", 1)[0]


def command_body(fake: FakeSlack, text: str, trigger: str = "1337.42.trigger") -> bytes:
    name, _, rest = text.partition(" ")
    fields = {
        "team_id": fake.team_id,
        "channel_id": CHANNEL,
        "user_id": MODERATOR,
        "user_name": "mod",
        "command": name,
        "text": rest,
        "response_url": fake.response_url(),
        "trigger_id": trigger,
    }
    return urllib.parse.urlencode(fields).encode()


@pytest.fixture
async def bots(database_url: str, fake_slack: FakeSlack) -> AsyncIterator[tuple[Bot, Bot]]:
    """Two instances of the bot on one database, as two processes behind a load balancer."""
    async with running(database_url, fake_slack) as first, running(database_url, fake_slack) as second:
        yield first, second


async def test_a_replayed_signed_update_records_one_toll(bots: tuple[Bot, Bot], fake_slack: FakeSlack) -> None:
    first, second = bots
    before = await tolls(first.briefings, f"slack:{CHANNEL}")
    body = command_body(fake_slack, UPDATE)
    headers = {"Content-Type": "application/x-www-form-urlencoded", **signed(body)}
    answers = []
    for bot in (first, first, second):  # the very same bytes and signature, three times, to two instances
        response = await bot.http.post(bot.url, content=body, headers=headers)
        assert response.status_code == 200
        answers.append(shown(response.json()))
    key = recorded_key(answers[0])
    for replay in answers[1:]:
        assert f"Already recorded: {key}" in replay and "Nothing more was changed" in replay, replay
    assert await tolls(first.briefings, f"slack:{CHANNEL}") == before + 1
    assert await tolls(second.briefings, f"slack:{CHANNEL}") == before + 1

    # the same words typed again are a new request (Slack gives it a new trigger_id): recorded again
    again = command_body(fake_slack, UPDATE, trigger="1337.43.trigger")
    response = await second.send(again, "application/x-www-form-urlencoded")
    assert recorded_key(shown(response.json())) != key
    assert await tolls(first.briefings, f"slack:{CHANNEL}") == before + 2


async def test_copies_arriving_together_at_two_instances_record_once(
    bots: tuple[Bot, Bot], fake_slack: FakeSlack
) -> None:
    first, second = bots
    before = await tolls(first.briefings, f"slack:{CHANNEL}")
    body = command_body(fake_slack, UPDATE, trigger="7.7.7")
    headers = {"Content-Type": "application/x-www-form-urlencoded", **signed(body)}
    responses = await asyncio.gather(
        *(bot.http.post(bot.url, content=body, headers=headers) for bot in (first, second) * 4)
    )
    answers = [shown(response.json()) for response in responses]
    recorded = [text for text in answers if "Recorded t" in text]
    assert len(recorded) == 1, answers
    assert sum(text.startswith("Already") for text in answers) == 7, answers
    assert await tolls(second.briefings, f"slack:{CHANNEL}") == before + 1


def toll_view(fake: FakeSlack, view_id: str, **values: str) -> dict[str, object]:
    view = {
        "id": view_id,
        "type": "modal",
        "callback_id": "update_toll",
        "private_metadata": json.dumps({"channel": CHANNEL}),
        "state": {"values": toll_state(**values)},
    }
    return {"type": "view_submission", "team": {"id": fake.team_id}, "user": {"id": MODERATOR}, "view": view}


async def test_a_form_submitted_again_records_once(bots: tuple[Bot, Bot], fake_slack: FakeSlack) -> None:
    first, second = bots
    before = await tolls(first.briefings, f"slack:{CHANNEL}")
    wrong = toll_view(fake_slack, "V0FORM", killed="ninety", source="SOHR")
    refused = (await first.interact(wrong)).json()
    assert refused["response_action"] == "errors"  # refused: the same form may be corrected and sent again

    right = toll_view(fake_slack, "V0FORM", killed="95", source="SOHR", as_of="2025-03-08")
    for bot in (first, second, first):
        assert (await bot.interact(right)).status_code == 200
    told = await fake_slack.wait_for("chat.postEphemeral", count=3)
    texts = [shown(call.params) for call in told]
    key = recorded_key(texts[0])
    assert all(f"Already recorded: {key}" in text for text in texts[1:]), texts
    assert await tolls(first.briefings, f"slack:{CHANNEL}") == before + 1


async def test_a_replayed_share_click_posts_once(bots: tuple[Bot, Bot], fake_slack: FakeSlack) -> None:
    first, second = bots
    click = {
        "type": "block_actions",
        "team": {"id": fake_slack.team_id},
        "user": {"id": READER, "name": "rania"},
        "channel": {"id": CHANNEL},
        "response_url": fake_slack.response_url("share"),
        "trigger_id": "9.9.9",
        "actions": [{"action_id": "share", "block_id": "share", "type": "button", "value": "/toll"}],
    }
    for bot in (first, second):
        assert (await bot.interact(click)).status_code == 200
    [told] = await fake_slack.wait_for("response_url")
    assert "posted to the channel already" in told.params["text"]
    await first.adapter.stop()
    await second.adapter.stop()
    assert len(fake_slack.history[CHANNEL]) == 1


async def test_a_discord_interaction_delivered_twice_records_once(discord_bot: Running) -> None:
    fake = discord_bot.fake
    before = await discord_bot.toll_count()
    interaction = fake.command("update", {"killed": 95, "source": "SOHR", "as_of": "2025-03-08"}, **DISCORD_MODERATOR)
    first = embed_text(await fake.interact(interaction))
    key = recorded_key(first)
    fake.calls.clear()
    again = await fake.interact(interaction)
    assert f"Already recorded: {key}" in embed_text(again) + str(again.get("data", {}).get("content"))
    assert await discord_bot.toll_count() == before + 1


async def test_the_ledger_keeps_requests_for_the_window_then_prunes_them(database_url: str) -> None:
    store = await Store.open(database_url)
    try:
        ledger = RequestLedger(store)
        start = datetime.now(UTC)
        assert await ledger.claim("slack:T1:view:V1", "slack:U1", start) is None
        taken = await ledger.claim("slack:T1:view:V1", "slack:U2", start + timedelta(minutes=5))
        assert taken is not None and taken.result is None and taken.caller == "slack:U1"
        await ledger.done("slack:T1:view:V1", "t9")
        taken = await ledger.claim("slack:T1:view:V1", "slack:U2", start + KEEP - timedelta(seconds=1))
        assert taken is not None and taken.result == "t9"
        await ledger.release("slack:T1:view:V1")  # a finished request stays taken
        assert await ledger.claim("slack:T1:view:V1", "slack:U2", start + timedelta(minutes=6)) is not None
        # past the window the entry is pruned, so the table does not grow without end
        assert await ledger.claim("slack:T1:view:V1", "slack:U3", start + KEEP + timedelta(seconds=1)) is None
    finally:
        await store.close()
