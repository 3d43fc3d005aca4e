"""Scheduled digests end to end on both platforms: a moderator subscribes a Slack channel with a signed `/digest`
slash command and a Discord channel with a `/digest` interaction; `DigestRunner.tick(now)`, driven with injected
times, posts through the real Slack and Discord adapters to the fakes on 127.0.0.1 — once per slot, whatever
the number of ticks and runners, through a 429, and not again after the owner of a posted run died."""

from __future__ import annotations

import asyncio
import time
import urllib.parse
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import update

from bot.discord_chat.adapter import DiscordAdapter
from bot.settings import Settings
from bot.slack_chat.adapter import SlackAdapter
from briefings.answers.common import local_time
from briefings.digests.posting import Poster
from briefings.digests.runner import DigestRunner
from briefings.digests.tick import TickReport, run_marker
from briefings.reply import Reply
from briefings.schedules import Schedule
from briefings.service import Briefings
from briefings.store.run_history import RunHistory
from briefings.store.runs import CLAIMED, POSTED, Run
from briefings.store.schema import subscriptions
from briefings.store.subscriptions import Subscription, SubscriptionStore
from tests.fakes.slack import SECRET, FakeSlack, bot_settings
from tests.fakes.slack import Call as SlackCall
from tests.fakes_discord import CHANNEL_ID, FakeDiscord
from tests.fakes_discord.server import Call as DiscordCall

Json = dict[str, Any]
SLACK_MODERATOR = "U0MOD"
SLACK_CHANNEL = "C1"
DISCORD_MODERATOR: Json = {"user_id": "111"}
LONDON = Schedule(clock_time(8, 0), ZoneInfo("Europe/London"))
DAMASCUS = Schedule(clock_time(8, 0), ZoneInfo("Asia/Damascus"))
METADATA_TYPE = "briefing_digest"
CHANGE = "70 → 120"


# ---- helpers


def slack_text(data: dict[str, Any]) -> str:
    """What a person sees of a Slack message or response: `text` and every block's text."""
    parts = [str(data.get("text") or "")]
    for block in data.get("blocks") or []:
        text = block.get("text")
        if isinstance(text, dict):
            parts.append(str(text.get("text", "")))
        for element in block.get("elements") or []:
            if isinstance(element, dict) and isinstance(element.get("text"), str):
                parts.append(element["text"])
    return "\n".join(parts)


def discord_text(body: Json) -> str:
    """Everything shown in a callback's or message's embeds (and content)."""
    data = body.get("data", body)
    out = [str(data.get("content") or "")]
    for embed in data.get("embeds") or []:
        out += [embed.get("title") or "", embed.get("description") or "", (embed.get("footer") or {}).get("text", "")]
        out += [f"{f['name']}\n{f['value']}" for f in embed.get("fields") or []]
    return "\n".join(out)


def signed(body: bytes) -> dict[str, str]:
    stamp = str(int(time.time()))
    return {
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": str(SignatureVerifier(SECRET).generate_signature(timestamp=stamp, body=body)),
    }


def slots(schedule: Schedule, first: date, days: int = 2) -> list[datetime]:
    """The schedule's slots (UTC) on `days` local dates from `first`."""
    found = [schedule.slot_on(first + timedelta(days=n)) for n in range(days)]
    assert all(found)
    return [slot for slot in found if slot is not None]


def a_few_days_ago() -> date:
    """Local dates whose slots are all in the past: every tick time is injected, the database clock is real."""
    return (datetime.now(UTC) - timedelta(days=4)).date()


def marked(key: str) -> Json:
    return {"event_type": METADATA_TYPE, "event_payload": {"run_key": key}}


@dataclass
class Platforms:
    slack: FakeSlack
    discord: FakeDiscord
    slack_adapter: SlackAdapter
    discord_adapter: DiscordAdapter
    briefings: Briefings
    other_process: Briefings
    """A second `Briefings` on the same database, as a second bot process would have."""
    http: httpx.AsyncClient

    @property
    def posters(self) -> dict[str, Poster]:
        return {"slack": self.slack_adapter, "discord": self.discord_adapter}

    def runners(self, **kwargs: Any) -> list[DigestRunner]:
        """Two runners, as in two processes: separate owners, locks and database engines."""
        return [
            DigestRunner(self.briefings.store, self.posters, owner="process-a", **kwargs),
            DigestRunner(self.other_process.store, self.posters, owner="process-b", **kwargs),
        ]

    @property
    def digests(self) -> SubscriptionStore:
        return SubscriptionStore(self.briefings.store)

    @property
    def run_history(self) -> RunHistory:
        return RunHistory(self.briefings.store)

    async def slack_command(self, text: str, user: str = SLACK_MODERATOR, channel: str = SLACK_CHANNEL) -> str:
        """A slash command exactly as Slack sends it (form-encoded, signed); returns what the user is shown."""
        name, _, rest = text.partition(" ")
        fields = {
            "token": "legacy",
            "team_id": self.slack.team_id,
            "channel_id": channel,
            "channel_name": "newsroom",
            "user_id": user,
            "user_name": user.lower(),
            "command": name,
            "text": rest,
            "response_url": self.slack.response_url(),
            "trigger_id": "1337.42.trigger",
            "api_app_id": "A0APP",
        }
        body = urllib.parse.urlencode(fields).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", **signed(body)}
        response = await self.http.post(
            f"http://127.0.0.1:{self.slack_adapter.port}/slack/events", content=body, headers=headers
        )
        assert response.status_code == 200, response.text
        return slack_text(response.json())

    async def discord_command(self, name: str, options: Json | None = None, **who: Any) -> str:
        """An INTERACTION_CREATE for a slash command in the guild channel; returns what the user is shown."""
        return discord_text(await self.discord.interact(self.discord.command(name, options, **who)))

    async def subscribe_slack(self) -> Subscription:
        shown = await self.slack_command("/digest subscribe 08:00 Europe/London daily")
        assert "Digest subscribed" in shown, shown
        [subscription] = await self.digests.subscriptions(channel=f"slack:{SLACK_CHANNEL}")
        assert subscription.schedule == LONDON
        return subscription

    async def subscribe_discord(self) -> Subscription:
        args = {"args": "subscribe 08:00 Asia/Damascus daily"}
        shown = await self.discord_command("briefing digest", args, **DISCORD_MODERATOR)
        assert "Digest subscribed" in shown, shown
        [subscription] = await self.digests.subscriptions(channel=f"discord:{CHANNEL_ID}")
        assert subscription.schedule == DAMASCUS
        return subscription

    async def backdate(self, subscription: Subscription, created_at: datetime) -> None:
        """Subscriptions only get slots at or after `created_at` (real time): move it before the injected slots."""
        async with self.briefings.store.writing() as db:
            await db.execute(
                update(subscriptions).where(subscriptions.c.id == subscription.id).values(created_at=created_at)
            )

    async def run_for(self, subscription: Subscription, slot: datetime) -> Run:
        [run] = [r for r in await self.run_history.history(subscription.id) if r.slot == slot]
        return run

    def slack_posts(self) -> list[SlackCall]:
        return [c for c in self.slack.called("chat.postMessage") if c.params.get("channel") == SLACK_CHANNEL]

    def slack_messages(self) -> list[Json]:
        return list(self.slack.history.get(SLACK_CHANNEL, []))

    def discord_posts(self) -> list[DiscordCall]:
        path = f"/channels/{CHANNEL_ID}/messages"
        return [c for c in self.discord.calls if c.method == "POST" and c.path == path]


async def tick(runners: Iterable[DigestRunner], *moments: datetime, rounds: int = 3) -> int:
    """Every runner ticks at once at each moment, `rounds` times; returns how many posts they reported."""
    reports: list[TickReport] = []
    for moment in moments:
        for _ in range(rounds):
            reports += await asyncio.gather(*(runner.tick(moment) for runner in runners))
    assert not any(r.failed or r.retrying for r in reports), reports
    return sum(r.posted for r in reports)


def settings_for(database_url: str, slack: FakeSlack) -> Settings:
    return bot_settings(
        database_url,
        slack,
        moderators="slack:U0MOD,discord:user:111,discord:role:999",
        discord_token="test-token",
        discord_guild_ids="4242",
    )


@pytest.fixture
async def platforms(database_url: str, fake_slack: FakeSlack, fake_discord: FakeDiscord) -> AsyncIterator[Platforms]:
    settings = settings_for(database_url, fake_slack)
    briefings = await Briefings.start(settings)
    other = await Briefings.start(settings)
    slack_adapter = SlackAdapter(briefings, settings)
    discord_adapter = DiscordAdapter(briefings, settings, ready_timeout=5, guild_ready_timeout=0.01)
    try:
        await slack_adapter.start()
        await discord_adapter.start()
        async with httpx.AsyncClient(timeout=10) as http:
            yield Platforms(fake_slack, fake_discord, slack_adapter, discord_adapter, briefings, other, http)
    finally:
        await discord_adapter.stop()
        await slack_adapter.stop()
        await other.close()
        await briefings.close()


# ---- 1. one digest per slot, whatever ticks


async def test_each_platform_gets_exactly_one_digest_at_its_slot(platforms: Platforms) -> None:
    p = platforms
    slack_sub, discord_sub = await p.subscribe_slack(), await p.subscribe_discord()
    day = a_few_days_ago()
    [london, _] = slots(LONDON, day)
    [damascus, _] = slots(DAMASCUS, day)
    await p.backdate(slack_sub, london - timedelta(hours=1))
    await p.backdate(discord_sub, damascus - timedelta(hours=1))
    runners = p.runners()

    assert await tick(runners, min(london, damascus) - timedelta(minutes=1)) == 0  # nothing before a slot
    assert p.slack_posts() == [] and p.discord_posts() == []

    just_after = sorted([london, damascus])
    moments = [m for slot in just_after for m in (slot + timedelta(seconds=30), slot + timedelta(minutes=2))]
    assert await tick(runners, *moments) == 2  # six ticks per moment (two runners at once, three times)

    slack_run, discord_run = await p.run_for(slack_sub, london), await p.run_for(discord_sub, damascus)
    slack_key, discord_key = run_marker(slack_sub.id, slack_run), run_marker(discord_sub.id, discord_run)

    [slack_post] = p.slack_posts()
    assert slack_post.params["metadata"] == marked(slack_key)
    assert "Digest — " in slack_text(slack_post.params)
    [message] = [m for m in p.slack_messages() if m.get("metadata")]
    assert message["metadata"] == marked(slack_key)
    assert slack_run.status == POSTED and slack_run.message_id == message["ts"] and slack_run.attempts == 1

    [discord_post] = p.discord_posts()
    body = discord_post.body
    assert body["nonce"] == discord_key and body["enforce_nonce"] is True
    assert body["allowed_mentions"] == {"parse": []}
    assert body["embeds"][0]["footer"]["text"].endswith(f"ref {discord_key}")
    assert "Digest — " in discord_text(body)
    [sent] = p.discord.messages[CHANNEL_ID]
    assert discord_run.status == POSTED and discord_run.message_id == sent["id"] and discord_run.attempts == 1

    # later ticks, still within the grace period, post nothing more
    assert await tick(runners, max(london, damascus) + timedelta(hours=1)) == 0
    assert len(p.slack_posts()) == 1 and len(p.discord_posts()) == 1


# ---- 2. the next digest shows what changed since the previous one


async def test_the_next_digest_shows_the_update_made_between_slots(platforms: Platforms) -> None:
    p = platforms
    slack_sub, discord_sub = await p.subscribe_slack(), await p.subscribe_discord()
    day = a_few_days_ago()
    london = slots(LONDON, day)
    damascus = slots(DAMASCUS, day)
    await p.backdate(slack_sub, london[0] - timedelta(hours=1))
    await p.backdate(discord_sub, damascus[0] - timedelta(hours=1))
    runners = p.runners()

    first_slots = sorted([london[0], damascus[0]])
    assert await tick(runners, *(s + timedelta(minutes=1) for s in first_slots)) == 2
    [first_slack] = p.slack_posts()
    [first_discord] = p.discord_posts()

    recorded = await p.slack_command("/update toll killed=120 source=SOHR")
    assert "Recorded" in recorded, recorded

    second_slots = sorted([london[1], damascus[1]])
    assert await tick(runners, *(s + timedelta(minutes=3) for s in second_slots)) == 2
    [_, second_slack] = p.slack_posts()
    [_, second_discord] = p.discord_posts()

    assert CHANGE not in slack_text(first_slack.params)
    assert CHANGE not in discord_text(first_discord.body)
    assert CHANGE in slack_text(second_slack.params), slack_text(second_slack.params)
    assert CHANGE in discord_text(second_discord.body), discord_text(second_discord.body)
    assert second_slack.params["metadata"] == marked(run_marker(slack_sub.id, await p.run_for(slack_sub, london[1])))
    discord_key = run_marker(discord_sub.id, await p.run_for(discord_sub, damascus[1]))
    assert second_discord.body["nonce"] == discord_key and second_discord.body["allowed_mentions"] == {"parse": []}
    assert len(p.slack_messages()) == 2 and len(p.discord.messages[CHANNEL_ID]) == 2

    # the second digest covers exactly the time since the first was posted (not merely the last 24 hours), told in
    # the subscription's own zone
    for subscription, slot, body in ((slack_sub, london[0], second_slack.params), (discord_sub, damascus[0], None)):
        posted_at = (await p.run_for(subscription, slot)).posted_at
        assert posted_at == slot + timedelta(minutes=1)
        shown = slack_text(body) if body is not None else discord_text(second_discord.body)
        assert f"Since {local_time(posted_at, subscription.schedule.zone)}" in shown, shown


# ---- 3. Slack's rate limit


async def test_a_429_on_the_digest_post_is_waited_out_and_it_arrives_once(platforms: Platforms) -> None:
    p = platforms
    subscription = await p.subscribe_slack()
    [slot] = slots(LONDON, a_few_days_ago(), days=1)
    await p.backdate(subscription, slot - timedelta(hours=1))
    p.slack.rate_limit("chat.postMessage", retry_after=1)

    started = time.monotonic()
    assert await tick(p.runners(), slot + timedelta(minutes=1)) == 1
    assert time.monotonic() - started >= 1  # Retry-After was honoured

    posts = p.slack_posts()
    assert len(posts) == 2  # the 429, then the post that went through
    key = run_marker(subscription.id, await p.run_for(subscription, slot))
    assert all(call.params["metadata"] == marked(key) for call in posts)
    [message] = p.slack_messages()
    assert message["metadata"] == marked(key)
    run = await p.run_for(subscription, slot)
    assert run.status == POSTED and run.message_id == message["ts"]


# ---- 4. the owner died after posting


class Died(BaseException):
    """The process running the tick is gone (killed after the platform accepted the post)."""


@dataclass
class DiesAfterPosting:
    poster: Poster

    async def post(self, channel: str, reply: Reply, run_key: str) -> str:
        await self.poster.post(channel, reply, run_key)
        raise Died(run_key)

    async def find_posted(self, channel: str, run_key: str) -> str | None:
        return await self.poster.find_posted(channel, run_key)


@pytest.mark.parametrize("platform", ["slack", "discord"])
async def test_a_run_whose_owner_died_after_posting_is_taken_over_and_not_posted_again(
    platforms: Platforms, platform: str
) -> None:
    p = platforms
    if platform == "slack":
        subscription, schedule = await p.subscribe_slack(), LONDON
    else:
        subscription, schedule = await p.subscribe_discord(), DAMASCUS
    [slot] = slots(schedule, a_few_days_ago(), days=1)
    await p.backdate(subscription, slot - timedelta(hours=1))
    lease = timedelta(minutes=5)
    dying = DigestRunner(
        p.briefings.store, {platform: DiesAfterPosting(p.posters[platform])}, owner="dead", lease=lease
    )

    with pytest.raises(Died):
        await dying.tick(slot + timedelta(minutes=1))
    orphan = await p.run_for(subscription, slot)
    assert orphan.status == CLAIMED and orphan.attempts == 1  # claimed, posted, never marked posted
    key = run_marker(subscription.id, orphan)

    if platform == "slack":
        [message] = p.slack_messages()
        assert message["metadata"] == marked(key)
        posted_id = str(message["ts"])
    else:
        [message] = p.discord.messages[CHANNEL_ID]
        message["nonce"] = None  # Discord does not keep nonces in history: the footer marker finds it
        posted_id = str(message["id"])

    def posts() -> int:
        return len(p.slack_posts()) if platform == "slack" else len(p.discord_posts())

    assert posts() == 1
    runners = p.runners(lease=lease)
    assert await tick(runners, slot + timedelta(minutes=2)) == 0  # the lease has not expired yet
    orphan_still = await p.run_for(subscription, slot)
    assert orphan_still.status == CLAIMED

    assert await tick(runners, slot + timedelta(minutes=7)) == 1  # taken over once: found, not posted
    assert posts() == 1
    run = await p.run_for(subscription, slot)
    assert run.status == POSTED and run.message_id == posted_id and run.attempts == 2
    if platform == "slack":
        history = p.slack.called("conversations.history")
        assert history and str(history[0].params["include_all_metadata"]).lower() in ("1", "true")
    else:
        reads = [c for c in p.discord.calls if c.method == "GET" and c.path == f"/channels/{CHANNEL_ID}/messages"]
        assert reads
    assert await tick(runners, slot + timedelta(minutes=20)) == 0
    assert posts() == 1
    assert run.error is None
