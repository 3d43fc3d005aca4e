"""Posts go out once when the platform took a message but its answer was lost: the connection closed (Slack) or
the answer was an HTTP 500 (Discord). The bot then asks the platform (message metadata on Slack; an enforced
nonce on Discord) instead of sending again. Digests, shares and thread answers, through the real adapters."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from bot.discord_chat.adapter import DiscordAdapter
from briefings.digests.posting import Poster
from briefings.digests.runner import DigestRunner
from briefings.schedules import Schedule
from briefings.service import Briefings
from briefings.store.run_history import RunHistory
from briefings.store.runs import POSTED, Run
from briefings.store.schema import subscriptions
from briefings.store.subscriptions import Subscription, SubscriptionStore
from tests.fakes.slack import FakeSlack
from tests.fakes_discord import CHANNEL_ID, FakeDiscord
from tests.test_discord import MEMBER, settings_for
from tests.test_slack import CHANNEL, MODERATOR, READER, Bot, running, shown

LONDON = Schedule(clock_time(8, 0), ZoneInfo("Europe/London"))


async def subscribe(briefings: Briefings, channel: str) -> tuple[Subscription, datetime]:
    """A daily 08:00 London digest in `channel`, created before a slot four days ago; returns it and the slot."""
    digests = SubscriptionStore(briefings.store)
    slug = await briefings.situation_for(channel)
    subscription = await digests.subscribe(channel, slug, LONDON, "slack:U0MOD")
    slot = LONDON.slot_on((datetime.now(UTC) - timedelta(days=4)).date())
    assert slot is not None
    async with briefings.store.writing() as db:
        await db.execute(
            update(subscriptions)
            .where(subscriptions.c.id == subscription.id)
            .values(created_at=slot - timedelta(hours=1))
        )
    return subscription, slot


async def run_of(briefings: Briefings, subscription: Subscription) -> Run:
    [run] = await RunHistory(briefings.store).history(subscription.id)
    return run


# ---- Slack


@pytest.fixture
async def slack_bot(database_url: str, fake_slack: FakeSlack) -> AsyncIterator[Bot]:
    async with running(database_url, fake_slack) as started:
        yield started


async def test_a_slack_digest_whose_answer_was_lost_is_posted_once(slack_bot: Bot, fake_slack: FakeSlack) -> None:
    briefings = slack_bot.briefings
    subscription, slot = await subscribe(briefings, f"slack:{CHANNEL}")
    fake_slack.dropped["chat.postMessage"] = 1  # Slack stores the digest, then the connection closes unanswered
    poster: Poster = slack_bot.adapter
    report = await DigestRunner(briefings.store, {"slack": poster}).tick(slot + timedelta(minutes=1))

    messages = fake_slack.history[CHANNEL]
    assert len(messages) == 1, [m["ts"] for m in messages]
    assert report.posted == 1 and not report.retrying and not report.failed
    run = await run_of(briefings, subscription)
    assert run.status == POSTED and run.message_id == messages[0]["ts"]
    assert fake_slack.called("conversations.history")  # it asked Slack instead of sending again
    later = await DigestRunner(briefings.store, {"slack": poster}).tick(slot + timedelta(minutes=30))
    assert later.posted == 0 and len(fake_slack.history[CHANNEL]) == 1


async def test_a_digest_is_sent_again_when_slack_never_got_it(slack_bot: Bot, fake_slack: FakeSlack) -> None:
    """The other side of the same coin: a lost answer with nothing in the channel is sent again, once."""
    briefings = slack_bot.briefings
    subscription, slot = await subscribe(briefings, f"slack:{CHANNEL}")
    fake_slack.lost["chat.postMessage"] = 1  # nothing stored, and no answer
    report = await DigestRunner(briefings.store, {"slack": slack_bot.adapter}).tick(slot + timedelta(minutes=1))
    assert report.posted == 1
    assert len(fake_slack.called("chat.postMessage")) == 2 and fake_slack.called("conversations.history")
    [message] = fake_slack.history[CHANNEL]
    assert (await run_of(briefings, subscription)).message_id == message["ts"]


async def test_an_urgent_update_whose_answer_was_lost_is_posted_once(slack_bot: Bot, fake_slack: FakeSlack) -> None:
    briefings = slack_bot.briefings
    channel = f"slack:{CHANNEL}"
    subscription = await SubscriptionStore(briefings.store).subscribe(
        channel, await briefings.situation_for(channel), LONDON, "slack:U0MOD"
    )
    update = "/update toll killed=95 source=SOHR as_of=2025-03-08 urgent=yes"
    assert "Marked urgent" in shown((await slack_bot.command(update, user=MODERATOR)).json())
    fake_slack.dropped["chat.postMessage"] = 1
    report = await DigestRunner(briefings.store, {"slack": slack_bot.adapter}).tick(datetime.now(UTC))

    [message] = fake_slack.history[CHANNEL]
    assert "Urgent update" in json.dumps(message["blocks"]) and "95 killed" in json.dumps(message["blocks"])
    assert report.posted == 1
    run = await run_of(briefings, subscription)
    assert run.kind == "urgent" and run.status == POSTED and run.message_id == message["ts"]


def share_click(fake: FakeSlack, value: str, trigger: str = "1.2.3") -> dict[str, Any]:
    return {
        "type": "block_actions",
        "team": {"id": fake.team_id},
        "user": {"id": READER, "name": "rania"},
        "channel": {"id": CHANNEL, "name": "test"},
        "container": {"type": "message", "is_ephemeral": True, "channel_id": CHANNEL},
        "response_url": fake.response_url("share"),
        "trigger_id": trigger,
        "actions": [{"action_id": "share", "block_id": "share", "type": "button", "value": value}],
    }


async def test_a_share_whose_answer_was_lost_is_posted_once(slack_bot: Bot, fake_slack: FakeSlack) -> None:
    answer = (await slack_bot.command("/toll jableh")).json()
    value = answer["blocks"][-1]["elements"][0]["value"]
    fake_slack.dropped["chat.postMessage"] = 1
    assert (await slack_bot.interact(share_click(fake_slack, value))).status_code == 200
    await fake_slack.wait_for("conversations.history")
    await slack_bot.adapter.stop()  # lets the work in flight finish
    [message] = fake_slack.history[CHANNEL]
    assert "48 killed" in json.dumps(message["blocks"])
    assert not fake_slack.called("response_url")  # no error shown: it did go out


async def test_a_thread_answer_whose_answer_was_lost_is_posted_once(slack_bot: Bot, fake_slack: FakeSlack) -> None:
    fake_slack.dropped["chat.postMessage"] = 1
    event = {
        "type": "app_mention",
        "user": READER,
        "text": "<@UBOT> toll jableh",
        "ts": "1700000123.000100",
        "channel": CHANNEL,
        "event_ts": "1700000123.000100",
    }
    assert (await slack_bot.event(event)).status_code == 200
    [replies] = await fake_slack.wait_for("conversations.replies")
    assert replies.params["ts"] == "1700000123.000100"
    await slack_bot.adapter.stop()
    [message] = fake_slack.history[CHANNEL]
    assert message["thread_ts"] == "1700000123.000100" and "48 killed" in json.dumps(message["blocks"])


# ---- Discord


@pytest.fixture
async def discord_bot(fake_discord: FakeDiscord, database_url: str) -> AsyncIterator[DiscordAdapter]:
    settings = settings_for(database_url)
    briefings = await Briefings.start(settings)
    adapter = DiscordAdapter(briefings, settings, ready_timeout=5, guild_ready_timeout=0.01)
    try:
        await adapter.start()
        yield adapter
    finally:
        await adapter.stop()
        await briefings.close()


def channel_posts(fake: FakeDiscord) -> list[Any]:
    return [c for c in fake.calls if c.method == "POST" and c.path == f"/channels/{CHANNEL_ID}/messages"]


async def test_a_discord_digest_whose_answer_was_lost_is_posted_once(
    discord_bot: DiscordAdapter, fake_discord: FakeDiscord
) -> None:
    briefings = discord_bot.briefings
    subscription, slot = await subscribe(briefings, f"discord:{CHANNEL_ID}")
    fake_discord.lost_answers = 1  # Discord stores the digest, then answers 500; discord.py sends it again
    report = await DigestRunner(briefings.store, {"discord": discord_bot}).tick(slot + timedelta(minutes=1))

    posts = channel_posts(fake_discord)
    assert len(posts) == 2 and all(p.body["enforce_nonce"] is True for p in posts)
    assert posts[0].body["nonce"] == posts[1].body["nonce"]
    [message] = fake_discord.messages[CHANNEL_ID]
    assert report.posted == 1
    run = await run_of(briefings, subscription)
    assert run.status == POSTED and run.message_id == message["id"]


async def test_a_discord_share_whose_answer_was_lost_is_posted_once(
    discord_bot: DiscordAdapter, fake_discord: FakeDiscord
) -> None:
    answer = await fake_discord.interact(fake_discord.command("briefing sources", **MEMBER))
    click = fake_discord.button(fake_discord.message_for(answer), "briefing:share:/sources", **MEMBER)
    fake_discord.lost_answers = 1
    clicked = await fake_discord.interact(click, timeout=10)
    assert clicked["type"] == 7
    posts = channel_posts(fake_discord)
    assert len(posts) == 2 and posts[0].body["nonce"] == posts[1].body["nonce"] == click["id"]
    [message] = fake_discord.messages[CHANNEL_ID]
    assert message["content"] == "Shared by user222 · /sources"


async def test_a_discord_digest_whose_connection_closed_is_found_and_not_posted_again(
    discord_bot: DiscordAdapter, fake_discord: FakeDiscord
) -> None:
    briefings = discord_bot.briefings
    subscription, slot = await subscribe(briefings, f"discord:{CHANNEL_ID}")
    fake_discord.hang_ups = 1  # Discord stores the digest, then the connection closes unanswered
    posters: dict[str, Poster] = {"discord": discord_bot}
    first = await DigestRunner(briefings.store, posters).tick(slot + timedelta(minutes=1))
    assert first.retrying == 1 and first.posted == 0  # the outcome is unknown: tried again later

    later = await DigestRunner(briefings.store, posters).tick(slot + timedelta(minutes=2))
    assert later.posted == 1
    [message] = fake_discord.messages[CHANNEL_ID]
    assert len(channel_posts(fake_discord)) == 1  # found in the channel's history, not sent again
    run = await run_of(briefings, subscription)
    assert run.status == POSTED and run.message_id == message["id"]
