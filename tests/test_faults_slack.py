"""Digests through a Slack that fails in bursts: HTTP 500 (before or after the message went out), 429 with
Retry-After, and a failing `conversations.history`. Two runners (as two processes) tick through the morning with
injected times; every channel still gets its digest exactly once."""

from __future__ import annotations

import json
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from zoneinfo import ZoneInfo

import pytest
from aiohttp import web
from sqlalchemy import update

from bot.settings import Settings
from bot.slack_chat.adapter import SlackAdapter
from briefings.access import Caller
from briefings.digests.runner import DigestRunner
from briefings.digests.tick import TickReport
from briefings.schedules import Schedule
from briefings.service import Briefings
from briefings.store.run_history import RunHistory
from briefings.store.runs import POSTED
from briefings.store.schema import subscriptions
from briefings.store.subscriptions import Subscription, SubscriptionStore
from tests.conftest import SEEDS
from tests.fakes.slack import Call, FakeSlack, bot_settings

LONDON = Schedule(clock_time(8, 0), ZoneInfo("Europe/London"))
CHANNELS = [f"C{n:03d}" for n in range(12)]
OK, FAIL_BEFORE, FAIL_AFTER, LIMITED = "ok", "500-before", "500-after", "429"


@dataclass
class FlakySlack(FakeSlack):
    """A fake Slack whose `chat.postMessage` and `conversations.history` follow a script of faults:
    `500-before` fails without posting, `500-after` posts and then fails (the bot cannot know it went out),
    `429` asks to retry after 0 s. Calls past the end of the script succeed."""

    script: dict[str, list[str]] = field(default_factory=dict)
    faults: dict[str, int] = field(default_factory=dict)

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        plan = self.script.get(method)
        action = plan.pop(0) if plan else OK
        if action == OK:
            return await super()._api(request)
        self.faults[action] = self.faults.get(action, 0) + 1
        if action == LIMITED:
            await self._record(Call(method, await self._params(request), path=request.path))
            body = json.dumps({"ok": False, "error": "ratelimited"})
            return web.Response(status=429, text=body, content_type="application/json", headers={"Retry-After": "0"})
        if action == FAIL_AFTER:
            await super()._api(request)  # the message is in the channel...
        else:
            await self._record(Call(method, await self._params(request), path=request.path))
        return web.Response(status=500, text="Internal Server Error")  # ...but the answer is lost


def bursts(rng: random.Random, calls: int, burst_every: int, burst: int, kinds: list[str]) -> list[str]:
    """`calls` actions: mostly ok, with a burst of `burst` faults every `burst_every` calls."""
    out: list[str] = []
    while len(out) < calls:
        out += [rng.choice(kinds) for _ in range(burst)]
        out += [OK] * rng.randint(burst_every // 2, burst_every)
    return out[:calls]


@dataclass
class Setup:
    slack: FlakySlack
    adapter: SlackAdapter
    briefings: list[Briefings]
    subscriptions: list[Subscription]

    @property
    def digests(self) -> SubscriptionStore:
        return SubscriptionStore(self.briefings[0].store)

    @property
    def run_history(self) -> RunHistory:
        return RunHistory(self.briefings[0].store)

    def runners(self) -> list[DigestRunner]:
        return [
            DigestRunner(b.store, {"slack": self.adapter}, owner=f"process-{n}") for n, b in enumerate(self.briefings)
        ]

    def marked_messages(self, channel: str) -> list[str]:
        """Run keys of the digest messages that actually reached the channel."""
        found = []
        for message in self.slack.history.get(channel, []):
            metadata = message.get("metadata") or {}
            if metadata.get("event_type") == "briefing_digest":
                found.append(metadata["event_payload"]["run_key"])
        return found


@pytest.fixture
async def setup(database_url: str) -> AsyncIterator[Setup]:
    slack = await FlakySlack().start()
    settings = bot_settings(database_url, slack)
    first = await Briefings.start(settings)
    second = await Briefings.start(settings)
    adapter = SlackAdapter(first, settings)
    try:
        await adapter.start()
        store = SubscriptionStore(first.store)
        slug = (await first.store.situations())[0].slug
        subs = [await store.subscribe(f"slack:{channel}", slug, LONDON, "slack:U0MOD") for channel in CHANNELS]
        yield Setup(slack, adapter, [first, second], subs)
    finally:
        await adapter.stop()
        await second.close()
        await first.close()
        await slack.stop()


async def backdate(setup: Setup, before: datetime) -> None:
    async with setup.briefings[0].store.writing() as db:
        await db.execute(update(subscriptions).values(created_at=before))


def the_slot() -> datetime:
    day = (datetime.now(UTC) - timedelta(days=3)).date()
    slot = LONDON.slot_on(day)
    assert slot is not None
    return slot


async def tick_through_the_morning(setup: Setup, slot: datetime) -> list[TickReport]:
    """Both runners tick at each moment (as two processes would), from just after the slot to 4 hours later:
    enough for the runner's backoff (30 s, 2 min, 8 min, 32 min) to come round several times."""
    reports = []
    runners = setup.runners()
    minutes = [0.5, 1, 2, 3, 4, 6, 9, 12, 16, 25, 35, 45, 60, 90, 120, 180, 240]
    for minute in minutes:
        for runner in runners:
            reports.append(await runner.tick(slot + timedelta(minutes=minute)))
    return reports


async def assert_each_channel_once(setup: Setup) -> None:
    for subscription in setup.subscriptions:
        channel = subscription.channel.removeprefix("slack:")
        runs = [r for r in await setup.run_history.history(subscription.id) if r.kind == "digest"]
        assert len(runs) == 1 and runs[0].status == POSTED, (channel, runs)
        keys = setup.marked_messages(channel)
        assert len(keys) == 1, (channel, keys)  # arrived, and only once
        assert runs[0].message_id is not None


async def test_bursts_of_500s_and_429s_still_give_one_digest_per_channel(setup: Setup) -> None:
    rng = random.Random(20250308)
    # Bursts of faults, separated by calm: a channel may fail several attempts in a row, but fewer than the
    # runner's max_attempts (5), after which it gives up by design.
    setup.slack.script["chat.postMessage"] = bursts(rng, 40, 6, 4, [FAIL_BEFORE, FAIL_AFTER, FAIL_BEFORE, LIMITED])
    setup.slack.script["conversations.history"] = bursts(rng, 12, 6, 2, [FAIL_BEFORE])
    slot = the_slot()
    await backdate(setup, slot - timedelta(hours=1))

    reports = await tick_through_the_morning(setup, slot)

    assert setup.slack.faults.get(FAIL_BEFORE) and setup.slack.faults.get(FAIL_AFTER), setup.slack.faults
    assert sum(r.retrying for r in reports) > 0  # the faults were felt, and waited out
    assert sum(r.failed for r in reports) == 0
    await assert_each_channel_once(setup)


async def test_a_500_after_the_post_went_out_is_not_posted_again(setup: Setup) -> None:
    """The worst case for duplicates: every first attempt reaches the channel but its answer is lost."""
    setup.slack.script["chat.postMessage"] = [FAIL_AFTER] * len(CHANNELS)
    slot = the_slot()
    await backdate(setup, slot - timedelta(hours=1))

    await tick_through_the_morning(setup, slot)

    assert setup.slack.faults[FAIL_AFTER] == len(CHANNELS)
    await assert_each_channel_once(setup)
    assert len(setup.slack.called("chat.postMessage")) == len(CHANNELS)  # found again in history, not re-sent


async def test_a_burst_of_429s_is_waited_out_within_one_attempt(sqlite_url: str) -> None:
    """Up to three 429s in a row are absorbed by the client's retry handler (Retry-After honoured)."""
    slack = await FlakySlack().start()
    settings = Settings(
        database_url=sqlite_url,
        seeds=SEEDS,
        slack_bot_token="xoxb-test",
        slack_signing_secret="secret",
        slack_api_url=slack.api_url,
        port=0,
        host="127.0.0.1",
    )
    briefings = await Briefings.start(settings)
    adapter = SlackAdapter(briefings, settings)
    try:
        await adapter.start()
        slack.script["chat.postMessage"] = [LIMITED, LIMITED]
        reply = await briefings.handle("/brief", Caller("slack", "U0READER", "slack:C9"))
        ts = await adapter.post("C9", reply, "d1-2503080800")
        assert ts and len(slack.called("chat.postMessage")) == 3
        assert [m["metadata"]["event_payload"]["run_key"] for m in slack.history["C9"] if m.get("metadata")] == [
            "d1-2503080800"
        ]
    finally:
        await adapter.stop()
        await briefings.close()
        await slack.stop()
