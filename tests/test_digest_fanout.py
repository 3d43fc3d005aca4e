"""The digest fan-out through the real path (SQLite and PostgreSQL, `SlackAdapter.post`, the fake Slack): many
channels posted at once and each exactly once, one channel's 429 not holding up the others, one channel's runs
never posted at the same time, two runners racing on PostgreSQL, a crash between posting and recording, each
digest composed once per tick, and a tick's database statements not growing with the number of subscriptions.

The fake Slack holds requests to make concurrency visible (a group of requests released together, a request
held until others have arrived), each hold with a guard that only a broken runner reaches; nothing asserts time."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiohttp import web
from sqlalchemy import event, insert

from bot.settings import Settings
from bot.slack_chat.adapter import SlackAdapter
from briefings.access import Caller
from briefings.digests import compose
from briefings.digests.posting import Poster
from briefings.digests.runner import DigestRunner
from briefings.digests.tick import TickReport, run_marker, slot_key
from briefings.reply import Reply
from briefings.schedules import Schedule
from briefings.service import Briefings
from briefings.store import Store
from briefings.store.run_history import RunHistory
from briefings.store.runs import CLAIMED, POSTED, Run, RunStore
from briefings.store.schema import subscriptions
from briefings.store.subscriptions import Subscription, SubscriptionStore
from tests.fakes.slack import Call, FakeSlack, bot_settings

UTC_0800 = Schedule(clock_time(8, 0), ZoneInfo("UTC"))
GUARD = 10.0
"""Seconds a hold waits before giving up; reached only when the runner does not post concurrently."""
MODERATOR = Caller("slack", "U0MOD", "slack:C000")


@dataclass
class FanoutSlack(FakeSlack):
    """The fake Slack, watching `chat.postMessage`: how many are in flight at once (overall and per channel).
    Optionally it holds them in groups of `group` (released together when the group is full), answers a
    channel's first post with a 429, or holds a channel's posts until every other channel has posted."""

    group: int = 0
    limit_once: dict[str, int] = field(default_factory=dict)
    """Channel -> Retry-After for a 429 answered to its next post."""
    hold_channel: str | None = None
    others: set[str] = field(default_factory=set)
    in_flight: int = 0
    max_in_flight: int = 0
    max_per_channel: int = 0
    guard_reached: int = 0

    def __post_init__(self) -> None:
        super().__post_init__()
        self._per_channel: Counter[str] = Counter()
        self._held: list[asyncio.Future[None]] = []

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["method"] != "chat.postMessage":
            return await super()._api(request)
        params = await self._params(request)
        channel = str(params.get("channel"))
        if channel in self.limit_once:
            retry_after = self.limit_once.pop(channel)
            await self._record(Call("chat.postMessage", params, path=request.path))
            body = json.dumps({"ok": False, "error": "ratelimited"})
            headers = {"Retry-After": str(retry_after)}
            return web.Response(status=429, text=body, content_type="application/json", headers=headers)
        self.in_flight += 1
        self._per_channel[channel] += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        self.max_per_channel = max(self.max_per_channel, self._per_channel[channel])
        try:
            if self.group:
                await self._in_group()
            if channel == self.hold_channel:
                await self._after_the_others()
            return await super()._api(request)
        finally:
            self.in_flight -= 1
            self._per_channel[channel] -= 1

    async def _in_group(self) -> None:
        mine = asyncio.get_running_loop().create_future()
        self._held.append(mine)
        if len(self._held) >= self.group:
            self._release()
        try:
            await asyncio.wait_for(asyncio.shield(mine), GUARD)
        except TimeoutError:
            self.guard_reached += 1
            self._release()

    def _release(self) -> None:
        for held in self._held:
            if not held.done():
                held.set_result(None)
        self._held = []

    async def _after_the_others(self) -> None:
        def arrived() -> bool:
            return self.others <= {str(c.params.get("channel")) for c in self.called("chat.postMessage")}

        try:
            async with asyncio.timeout(GUARD), self._changed:
                await self._changed.wait_for(arrived)
        except TimeoutError:
            self.guard_reached += 1

    def marked(self, channel: str) -> list[tuple[str, str]]:
        """(run key, ts) of each digest or urgent message in the channel, in the order they arrived."""
        found = []
        for message in self.history.get(channel, []):
            metadata = message.get("metadata") or {}
            if metadata.get("event_type") == "briefing_digest":
                found.append((metadata["event_payload"]["run_key"], str(message["ts"])))
        return found


@dataclass
class Setup:
    slack: FanoutSlack
    settings: Settings
    briefings: Briefings
    adapter: SlackAdapter

    @property
    def digests(self) -> SubscriptionStore:
        return SubscriptionStore(self.briefings.store)

    @property
    def run_history(self) -> RunHistory:
        return RunHistory(self.briefings.store)

    def runner(self, briefings: Briefings | None = None, poster: Poster | None = None, **options: Any) -> DigestRunner:
        return DigestRunner((briefings or self.briefings).store, {"slack": poster or self.adapter}, **options)

    async def subscribe(self, count: int, created: datetime, at: str = "08:00", first: int = 0) -> list[Subscription]:
        """`count` channels (C000, C001, ...) subscribed at `at` UTC daily, as of `created`; in one statement."""
        slug = (await self.briefings.store.situations())[0].slug
        async with self.briefings.store.writing() as db:
            situation_id = await self.briefings.store.situation_id(db, slug)
            rows = [
                {
                    "channel": f"slack:C{n:03d}",
                    "situation_id": situation_id,
                    "at_time": at,
                    "timezone": "UTC",
                    "days": "daily",
                    "created_by": "test",
                    "created_at": created,
                    "active": True,
                    "failures": 0,
                }
                for n in range(first, first + count)
            ]
            await db.execute(insert(subscriptions), rows)
        return await self.digests.subscriptions()

    async def runs(self) -> list[Run]:
        return [r for s in await self.digests.subscriptions(active=None) for r in await self.run_history.history(s.id)]

    async def assert_each_channel_once(self, made: list[Subscription], slot: datetime) -> None:
        """Every channel has exactly one digest message for the slot, recorded as posted with its ts."""
        runs = {r.subscription_id: r for r in await self.runs() if r.key == slot_key(slot)}
        for subscription in made:
            channel = subscription.channel.removeprefix("slack:")
            messages = self.slack.marked(channel)
            run = runs[subscription.id]
            assert [key for key, _ in messages] == [run_marker(subscription.id, run)], (channel, messages)
            assert run.status == POSTED and run.message_id == messages[0][1], (channel, run)


def the_slot() -> datetime:
    slot = UTC_0800.slot_on((datetime.now(UTC) - timedelta(days=3)).date())
    assert slot is not None
    return slot


async def make_setup(database_url: str) -> AsyncIterator[Setup]:
    slack = FanoutSlack()
    await slack.start()
    settings = bot_settings(database_url, slack)
    briefings = await Briefings.start(settings)
    adapter = SlackAdapter(briefings, settings)
    try:
        await adapter.start()
        yield Setup(slack, settings, briefings, adapter)
    finally:
        await adapter.stop()
        await briefings.close()
        await slack.stop()


@pytest.fixture
async def setup(database_url: str) -> AsyncIterator[Setup]:
    async for made in make_setup(database_url):
        yield made


@pytest.fixture
async def postgres_setup(postgres_url: str) -> AsyncIterator[Setup]:
    async for made in make_setup(postgres_url):
        yield made


def count_digests(briefings: Briefings, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any, Any]]:
    """Records every digest composed (by the real composer) for this service's store."""
    calls: list[tuple[str, Any, Any]] = []
    real: Callable[..., Awaitable[Reply]] = compose.situation_digest

    async def counted(
        store: Store, slug: str, since: datetime | None, now: datetime, version: int | None = None
    ) -> Reply:
        if store is briefings.store:
            calls.append((slug, since, now))
        return await real(store, slug, since, now, version)

    monkeypatch.setattr(compose, "situation_digest", counted)
    return calls


# ---- many channels at once, each once


async def test_many_channels_are_posted_concurrently_each_exactly_once(
    setup: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    slot = the_slot()
    made = await setup.subscribe(48, slot - timedelta(hours=1))
    setup.slack.group = 6  # posts are answered six at a time: a serial runner would never fill a group
    composed = count_digests(setup.briefings, monkeypatch)
    runner = setup.runner(concurrency=6, claim_batch=10, record_batch=7)

    report = await runner.tick(slot + timedelta(minutes=1))

    assert report == TickReport(posted=48)
    assert setup.slack.guard_reached == 0
    assert setup.slack.max_in_flight == 6  # as many as the pool allows, never more
    assert setup.slack.max_per_channel == 1
    assert len(setup.slack.called("chat.postMessage")) == 48
    await setup.assert_each_channel_once(made, slot)
    assert composed == [(made[0].slug, None, slot + timedelta(minutes=1))]  # one digest for 48 channels

    setup.slack.group = 0
    calls = len(setup.slack.calls)
    for later in (slot + timedelta(minutes=2), slot + timedelta(hours=2)):
        assert await setup.runner().tick(later) == TickReport()
    assert len(setup.slack.calls) == calls  # nothing more asked of Slack
    await setup.assert_each_channel_once(made, slot)


async def test_a_429_on_one_channel_does_not_hold_up_the_others(setup: Setup) -> None:
    slot = the_slot()
    made = await setup.subscribe(20, slot - timedelta(hours=1))
    channels = [s.channel.removeprefix("slack:") for s in made]
    limited = channels[0]  # posted first
    setup.slack.limit_once[limited] = 1
    setup.slack.hold_channel = limited  # its retry after the 429 is answered once the others have posted
    setup.slack.others = set(channels[1:])

    report = await setup.runner(concurrency=4).tick(slot + timedelta(minutes=1))

    assert report == TickReport(posted=20)  # the 429 was waited out within the attempt
    assert setup.slack.guard_reached == 0, "the other channels waited for the rate-limited one"
    posts = setup.slack.called("chat.postMessage")
    assert str(posts[0].params["channel"]) == limited and len(posts) == 21
    [(_, limited_ts)] = setup.slack.marked(limited)
    others_ts = [ts for channel in channels[1:] for _, ts in setup.slack.marked(channel)]
    assert len(others_ts) == 19 and max(others_ts) < limited_ts  # every other channel got its digest first
    await setup.assert_each_channel_once(made, slot)


async def test_one_channels_runs_are_posted_one_after_another_in_order(setup: Setup) -> None:
    """C000 has two digests due in the same tick and then an urgent update; it is held up on purpose, so posting
    its second digest while the first is in flight would show."""
    slot = the_slot()
    await setup.subscribe(1, slot - timedelta(hours=1), at="07:30")
    made = await setup.subscribe(8, slot - timedelta(hours=1), at="08:00")
    channels = sorted({s.channel.removeprefix("slack:") for s in made})
    assert len(made) == 9 and channels[0] == "C000"
    setup.slack.hold_channel = "C000"
    setup.slack.others = set(channels[1:])
    reply = await setup.briefings.handle(
        "/update toll killed=120 source=SOHR as_of=2025-03-08T18:00 urgent=yes", MODERATOR
    )
    assert reply.ok

    report = await setup.runner(concurrency=4).tick(slot + timedelta(minutes=1))

    assert report == TickReport(posted=9 + 8, late=1)  # nine digests (the 07:30 one posted late), the urgent updates
    assert setup.slack.max_per_channel == 1 and setup.slack.max_in_flight > 1
    assert setup.slack.guard_reached == 0
    keys = [key for key, _ in setup.slack.marked("C000")]
    by_subscription = {s.id: s for s in made if s.channel == "slack:C000"}
    early, late = sorted(by_subscription.values(), key=lambda s: s.schedule.at)
    assert keys[:2] == [
        f"d{early.id}-{slot - timedelta(minutes=30):%y%m%d%H%M}",
        f"d{late.id}-{slot:%y%m%d%H%M}",
    ]
    assert len(keys) == 3 and keys[2].startswith("u")
    for channel in channels[1:]:
        assert [key[0] for key, _ in setup.slack.marked(channel)] == ["d", "u"]


# ---- two processes, and a crash


async def test_two_runners_ticking_at_once_on_postgres_post_each_channel_once(postgres_setup: Setup) -> None:
    setup = postgres_setup
    slot = the_slot()
    made = await setup.subscribe(60, slot - timedelta(hours=1))
    # ten runs claimed by a process that died; five of its posts had gone out
    dead = made[:10]
    for n, subscription in enumerate(dead):
        run_id = await RunStore(setup.briefings.store).claim(
            subscription.id,
            slot_key(slot),
            kind="digest",
            owner="dead",
            at=slot + timedelta(minutes=1),
            lease_until=slot + timedelta(minutes=6),
            slot=slot,
        )
        assert run_id is not None
        if n < 5:
            [run] = [r for r in await setup.run_history.history(subscription.id)]
            reply = await setup.briefings.digest(subscription.slug, None, slot)
            await setup.adapter.post(subscription.channel, reply, run_marker(subscription.id, run))
    posted_before = len(setup.slack.called("chat.postMessage"))

    other = await Briefings.start(setup.settings)  # a second process: its own engine and connections
    try:
        runners = [
            setup.runner(owner="process-a", concurrency=5, claim_batch=7, record_batch=4),
            setup.runner(other, owner="process-b", concurrency=5, claim_batch=7, record_batch=4),
        ]
        now = slot + timedelta(minutes=10)
        reports = await asyncio.gather(*(runner.tick(now) for runner in runners))
        reports += await asyncio.gather(*(runner.tick(now + timedelta(minutes=1)) for runner in runners))
    finally:
        await other.close()

    assert sum(r.posted for r in reports) == 60
    assert all(r.failed == r.retrying == r.skipped == 0 for r in reports)
    assert len(setup.slack.called("chat.postMessage")) - posted_before == 55  # the five found, not sent again
    lookups = Counter(str(c.params["channel"]) for c in setup.slack.called("conversations.history"))
    assert lookups == Counter(s.channel.removeprefix("slack:") for s in dead)  # each orphan taken by one runner
    await setup.assert_each_channel_once(made, slot)
    taken = [r for r in await setup.runs() if r.subscription_id in {s.id for s in dead}]
    assert all(r.attempts == 2 for r in taken)


class Died(BaseException):
    """The process is gone (not an error the runner could catch and record)."""


@dataclass
class DiesAfter:
    """The adapter, until `after` posts have gone out: then the process dies as that post returns."""

    poster: Poster
    after: int
    posts: int = 0

    async def post(self, channel: str, reply: Reply, run_key: str) -> str:
        message_id = await self.poster.post(channel, reply, run_key)
        self.posts += 1
        if self.posts >= self.after:
            raise Died(run_key)
        return message_id

    async def find_posted(self, channel: str, run_key: str) -> str | None:
        return await self.poster.find_posted(channel, run_key)


async def test_runs_posted_but_not_yet_recorded_at_a_crash_are_found_not_posted_again(setup: Setup) -> None:
    slot = the_slot()
    made = await setup.subscribe(12, slot - timedelta(hours=1))
    dying = setup.runner(poster=DiesAfter(setup.adapter, after=8), owner="dying", concurrency=4, record_batch=100)

    with pytest.raises(Died):
        await dying.tick(slot + timedelta(minutes=1))
    runs = await setup.runs()
    assert len(runs) == 12 and all(r.status == CLAIMED for r in runs)  # posted results were still in memory
    went_out = sum(len(setup.slack.marked(s.channel.removeprefix("slack:"))) for s in made)
    assert 8 <= went_out < 12

    assert (await setup.runner().tick(slot + timedelta(minutes=3))).posted == 0  # the lease still holds
    report = await setup.runner().tick(slot + timedelta(minutes=7))

    assert report == TickReport(posted=12)
    assert len(setup.slack.called("conversations.history")) == 12  # every orphan looked for before posting
    assert len(setup.slack.called("chat.postMessage")) == 12  # and only the missing ones posted
    await setup.assert_each_channel_once(made, slot)


# ---- composing and reading once


async def test_skipped_slots_are_named_in_their_channel_only(setup: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    """One digest is composed for every channel; the note about missed slots goes to the channel that missed
    them, not into the shared digest."""
    slot = the_slot()
    made = await setup.subscribe(5, slot - timedelta(hours=1))
    away = await setup.subscribe(1, slot - timedelta(days=2, hours=1), first=5)
    composed = count_digests(setup.briefings, monkeypatch)

    report = await setup.runner(concurrency=3).tick(slot + timedelta(minutes=1))

    assert report == TickReport(posted=6, skipped=2)
    assert len(composed) == 1
    [away_subscription] = [s for s in away if s.channel == "slack:C005"]
    for subscription in [*made, away_subscription]:
        [message] = setup.slack.history[subscription.channel.removeprefix("slack:")]
        missed = "Not posted while the bot was unavailable" in json.dumps(message)
        assert missed == (subscription.id == away_subscription.id), subscription.channel


async def test_a_tick_reads_and_writes_in_batches_not_per_subscription(setup: Setup) -> None:
    statements: list[str] = []

    def count(*args: Any) -> None:
        if not str(args[2]).lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            statements.append(str(args[2]))

    engine = setup.briefings.store.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        slot = the_slot()
        idle: list[int] = []
        for first, count_ in ((0, 10), (10, 50)):
            made = await setup.subscribe(count_, slot - timedelta(hours=1), first=first)
            statements.clear()
            assert (await setup.runner(concurrency=8).tick(slot + timedelta(minutes=1))).posted == count_
            assert len(statements) < 30, statements  # not four or five per subscription
            statements.clear()
            assert await setup.runner().tick(slot + timedelta(minutes=5)) == TickReport()
            idle.append(len(statements))
        assert len(made) == 60
        assert idle[0] == idle[1] <= 4, idle  # an idle tick costs the same with 60 subscriptions as with 10
    finally:
        event.remove(engine, "before_cursor_execute", count)
