"""Exactly once under real concurrency: several OS processes and several engines in one process racing for the
same digest slots and urgent posts on PostgreSQL (and SQLite), and one SQLite bot restarted and crashed mid-post
many times across daylight-saving changes. Every slot is posted exactly once: no duplicates, none missing."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time as clock
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from briefings.access import Caller
from briefings.digests.runner import DigestRunner
from briefings.digests.tick import run_marker
from briefings.reply import Reply
from briefings.schedules import ALL_DAYS, Schedule, parse_days
from briefings.service import Briefings
from briefings.settings import CoreSettings
from briefings.store.run_history import RunHistory
from briefings.store.runs import CLAIMED, PENDING, POSTED, RETRY
from briefings.store.schema import subscriptions
from briefings.store.subscriptions import Subscription, SubscriptionStore
from tests.conftest import ROOT, SEEDS

SLUG = "syria-coast-2025-03"
WORKER = ROOT / "tests" / "digest_worker.py"
ZONES = ["UTC", "Europe/London", "Asia/Damascus", "America/New_York", "Asia/Kolkata", "Australia/Sydney"]
NOW = datetime(2025, 6, 10, 12, 0, tzinfo=UTC)  # no daylight-saving change near it, in any of the zones
DAY = timedelta(days=1)
MODERATOR = Caller("console", "mod", "console")
SUBSCRIPTIONS = 24
"""Per race. Kept small: every tick re-reads and re-parses every subscription, and parse_zone costs ~17 ms each
(see test_digest_schedule.py), so 200 subscriptions x 4 processes took over a minute on a 2-core machine."""


def settings_for(url: str) -> CoreSettings:
    return CoreSettings(database_url=url, seeds=SEEDS, moderators="console:mod")


async def make_subscriptions(briefings: Briefings, count: int, now: datetime) -> list[Subscription]:
    """`count` daily subscriptions in several zones, each with one slot due within the 6 hours before `now`
    (so `now` posts it on time or late, never skips it), created 20 hours before `now`."""
    digests = SubscriptionStore(briefings.store)
    for i in range(count):
        zone = ZoneInfo(ZONES[i % len(ZONES)])
        slot = now - timedelta(minutes=(i * 7) % 300)
        local = slot.astimezone(zone)
        await digests.subscribe(f"console:c{i}", SLUG, Schedule(time(local.hour, local.minute), zone), "test")
    async with briefings.store.writing() as db:
        await db.execute(update(subscriptions).values(created_at=now - timedelta(hours=20)))
    made = await digests.subscriptions()
    assert len(made) == count
    return made


def expected_digests(made: list[Subscription], nows: list[datetime]) -> set[tuple[str, str]]:
    expected = set()
    for subscription in made:
        for now in nows:
            due = subscription.schedule.latest_due(now)
            assert due is not None and now - due < timedelta(hours=6)
            expected.add((subscription.channel.split(":", 1)[1], f"d{subscription.id}-{due:%y%m%d%H%M}"))
    return expected


async def queue_urgent(briefings: Briefings) -> int:
    reply = await briefings.handle("/update toll killed=120 source=SOHR as_of=2025-03-08T18:00 urgent=yes", MODERATOR)
    assert reply.ok
    runs = [r for r in await pending_runs(briefings) if r.kind == "urgent"]
    return len(runs)


async def pending_runs(briefings: Briefings) -> list:  # type: ignore[type-arg]
    subscribed = await SubscriptionStore(briefings.store).subscriptions()
    history = RunHistory(briefings.store)
    return [r for s in subscribed for r in await history.history(s.id) if r.status == PENDING]


async def assert_database_agrees(url: str, posts: Counter[tuple[str, str]]) -> None:
    """Every run is finished (posted), one row per post, each with a message id."""
    briefings = await Briefings.start(settings_for(url))
    try:
        digests = SubscriptionStore(briefings.store)
        history = RunHistory(briefings.store)
        rows = [r for s in await digests.subscriptions(active=None) for r in await history.history(s.id)]
        unfinished = [(r.key, r.status) for r in rows if r.status in (CLAIMED, RETRY, PENDING)]
        assert unfinished == []
        posted = [r for r in rows if r.status == POSTED]
        assert len(posted) == sum(posts.values())
        assert all(r.message_id for r in posted)
        assert len({r.message_id for r in posted}) == len(posted)
        by_id = {s.id: s for s in await digests.subscriptions(active=None)}
        recorded = {
            (by_id[r.subscription_id].channel.split(":", 1)[1], run_marker(r.subscription_id, r)) for r in posted
        }
        assert recorded == set(posts)
    finally:
        await briefings.close()


def assert_all_exit_cleanly(processes: list[subprocess.Popen[bytes]], out: Path, timeout: float = 60) -> None:
    deadline = clock.monotonic() + timeout
    errors = []
    for i, process in enumerate(processes):
        try:
            process.wait(timeout=max(deadline - clock.monotonic(), 1))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.returncode != 0:
            errors.append(
                f"worker {i} exited with {process.returncode}: {(out / f'stderr-{i}.txt').read_text()[-3000:]}"
            )
    assert errors == [], "\n---\n".join(errors)


def duplicates(posts: Counter[tuple[str, str]]) -> list[tuple[tuple[str, str], int]]:
    return [(key, n) for key, n in posts.items() if n > 1]


# --- (a) separate OS processes on PostgreSQL ---------------------------------------------------------------


async def test_four_processes_post_every_slot_exactly_once(postgres_url: str, tmp_path: Path) -> None:
    count, workers, repeats = SUBSCRIPTIONS, 4, 1
    nows = [NOW, NOW + DAY]
    briefings = await Briefings.start(settings_for(postgres_url))
    try:
        made = await make_subscriptions(briefings, count, NOW)
        assert await queue_urgent(briefings) == count  # 200 urgent posts waiting: raced for too
    finally:
        await briefings.close()
    expected = expected_digests(made, nows)
    assert len(expected) == count * len(nows)

    out = tmp_path / "out"
    out.mkdir()
    started = clock.monotonic()
    processes = [
        subprocess.Popen(
            [sys.executable, str(WORKER), postgres_url, str(out), str(i), str(workers), str(repeats)]
            + [n.isoformat() for n in nows],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=(out / f"stderr-{i}.txt").open("w"),
        )
        for i in range(workers)
    ]
    assert_all_exit_cleanly(processes, out)

    rows = [line.split("|") for path in sorted(out.glob("posted-*.txt")) for line in path.read_text().splitlines()]
    posts = Counter((channel, key) for channel, key, _ in rows)
    assert duplicates(posts) == []
    digests = {k for k in posts if k[1].startswith("d")}
    urgent = [k for k in posts if k[1].startswith("u")]
    assert len(digests - expected) == 0 and len(expected - digests) == 0, (
        f"missing {sorted(expected - digests)[:5]}, unexpected {sorted(digests - expected)[:5]}"
    )
    assert len(urgent) == count and len({channel for channel, _ in urgent}) == count  # one per channel
    assert sum(posts.values()) == count * (len(nows) + 1)

    reports = [json.loads(p.read_text()) for p in sorted(out.glob("report-*.json"))]
    assert len(reports) == workers
    assert sum(phase["posted"] for r in reports for phase in r["phases"]) == sum(posts.values())
    assert sum(phase["failed"] + phase["retrying"] + phase["skipped"] for r in reports for phase in r["phases"]) == 0
    by_worker = Counter(worker for _, _, worker in rows)
    print(f"posts by worker: {dict(sorted(by_worker.items()))}; {clock.monotonic() - started:.1f}s")
    await assert_database_agrees(postgres_url, posts)


# --- (b) several engines in one process ----------------------------------------------------------------------


@dataclass
class SharedPoster:
    """One platform shared by every runner of the process; remembers who posted what."""

    posts: list[tuple[str, str, str]] = field(default_factory=list)

    def for_runner(self, name: str) -> RunnerPoster:
        return RunnerPoster(self, name)


@dataclass
class RunnerPoster:
    shared: SharedPoster
    name: str

    async def post(self, channel: str, reply: Reply, run_key: str) -> str:
        await asyncio.sleep(0)  # a network call: the other runners get to run
        self.shared.posts.append((channel, run_key, self.name))
        return f"{self.name}-{len(self.shared.posts)}"

    async def find_posted(self, channel: str, run_key: str) -> str | None:
        for n, (posted_channel, posted_key, name) in enumerate(self.shared.posts, start=1):
            if (posted_channel, posted_key) == (channel, run_key):
                return f"{name}-{n}"
        return None


async def test_several_runners_in_one_process_post_every_slot_exactly_once(database_url: str) -> None:
    count, runners_count, repeats = SUBSCRIPTIONS // 2, 4, 1
    nows = [NOW, NOW + DAY]
    setup = await Briefings.start(settings_for(database_url))
    try:
        made = await make_subscriptions(setup, count, NOW)
        assert await queue_urgent(setup) == count
    finally:
        await setup.close()
    expected = expected_digests(made, nows)

    shared = SharedPoster()
    services = [await Briefings.start(settings_for(database_url)) for _ in range(runners_count)]
    try:
        runners = []
        for i, service in enumerate(services):
            poster = shared.for_runner(f"r{i}")
            runners.append(DigestRunner(service.store, {"console": poster}, owner=f"runner-{i}"))
        for now in nows:
            for _ in range(repeats):
                reports = await asyncio.wait_for(asyncio.gather(*(r.tick(now) for r in runners)), timeout=60)
                assert all(r.failed == r.retrying == r.skipped == 0 for r in reports)
    finally:
        for service in services:
            await service.close()

    posts = Counter((channel, key) for channel, key, _ in shared.posts)
    assert duplicates(posts) == []
    digests = {k for k in posts if k[1].startswith("d")}
    assert digests == expected
    urgent = [k for k in posts if k[1].startswith("u")]
    assert len(urgent) == count and len({channel for channel, _ in urgent}) == count
    print(f"posts by runner: {dict(sorted(Counter(name for _, _, name in shared.posts).items()))}")
    await assert_database_agrees(database_url, posts)


# --- (c) one SQLite bot, restarted and crashed many times ---------------------------------------------------


class Crash(BaseException):
    """The process dies here (not an error the runner could catch and record)."""


@dataclass
class CrashingPoster:
    """The platform outlives the bot. When told, the bot 'dies' just before or just after a post goes out."""

    posts: list[tuple[str, str]] = field(default_factory=list)
    crash_before: int = 0
    crash_after: int = 0
    lookups: int = 0
    found: int = 0

    async def post(self, channel: str, reply: Reply, run_key: str) -> str:
        if self.crash_before:
            self.crash_before -= 1
            raise Crash("killed before posting")
        self.posts.append((channel, run_key))
        if self.crash_after:
            self.crash_after -= 1
            raise Crash("killed after posting, before recording it")
        return f"m{len(self.posts)}"

    async def find_posted(self, channel: str, run_key: str) -> str | None:
        self.lookups += 1
        for n, posted in enumerate(self.posts, start=1):
            if posted == (channel, run_key):
                self.found += 1
                return f"m{n}"
        return None


SCHEDULES = [
    ("01:30", "Europe/London", "daily"),  # the doubled hour on 26 Oct
    ("08:00", "Europe/London", "daily"),
    ("01:30", "America/New_York", "daily"),  # the doubled hour on 2 Nov
    ("23:45", "Asia/Kolkata", "mon,wed,fri"),
    ("07:00", "Australia/Sydney", "fri-mon"),
    ("18:00", "UTC", "weekends"),
]


async def test_one_sqlite_bot_restarted_and_crashed_posts_every_slot_once(sqlite_url: str) -> None:
    start = datetime(2025, 10, 25, 0, 17, tzinfo=UTC)  # across the October change in London, November in New York
    end = datetime(2025, 11, 2, 12, 0, tzinfo=UTC)
    step = timedelta(hours=2, minutes=50)  # twice this is inside the grace; once is longer than the lease
    briefings = await Briefings.start(settings_for(sqlite_url))
    digests = SubscriptionStore(briefings.store)
    for i, (at, zone, days) in enumerate(SCHEDULES):
        hour, minute = (int(p) for p in at.split(":"))
        schedule = Schedule(time(hour, minute), ZoneInfo(zone), parse_days(days) if days != "daily" else ALL_DAYS)
        await digests.subscribe(f"console:c{i}", SLUG, schedule, "test")
    async with briefings.store.writing() as db:
        await db.execute(update(subscriptions).values(created_at=start - timedelta(minutes=1)))
    made = await digests.subscriptions()

    poster = CrashingPoster()
    runner = DigestRunner(briefings.store, {"console": poster}, owner="bot-0")
    now, last, ticks, restarts, crashes = start, start, 0, 0, 0
    try:
        while now <= end:
            if ticks % 9 == 4:
                poster.crash_before = 1
            elif ticks % 9 == 7:
                poster.crash_after = 1
            crashed = False
            try:
                await runner.tick(now)
            except Crash:
                crashed = True
                crashes += 1
                poster.crash_before = poster.crash_after = 0
            if crashed or ticks % 5 == 0:  # a crash is always followed by a restart; sometimes a clean one
                await briefings.close()
                restarts += 1
                briefings = await Briefings.start(settings_for(sqlite_url))
                runner = DigestRunner(briefings.store, {"console": poster}, owner=f"bot-{restarts}")
            ticks += 1
            last, now = now, now + step
        poster.crash_before = poster.crash_after = 0
        final = last + timedelta(minutes=10)  # past the lease of the last crash's claim
        await runner.tick(final)
    finally:
        await briefings.close()

    posts = Counter(poster.posts)
    assert duplicates(posts) == []
    expected = set()
    for subscription in made:
        for slot in subscription.schedule.slots_between(start - timedelta(minutes=1), final):
            expected.add((subscription.channel.split(":", 1)[1], f"d{subscription.id}-{slot:%y%m%d%H%M}"))
    assert set(posts) == expected, (sorted(expected - set(posts))[:5], sorted(set(posts) - expected)[:5])
    assert restarts > 15 and crashes >= 8 and poster.lookups >= crashes and poster.found >= 1
    # one post per local day on the change days too
    london_0130 = next(s for s in made if s.schedule.at == time(1, 30) and s.schedule.zone.key == "Europe/London")
    on_change_day = [
        key for channel, key in posts if channel == london_0130.channel.split(":", 1)[1] and key.endswith("2510260030")
    ]
    assert len(on_change_day) == 1
    new_york_0130 = next(s for s in made if s.schedule.zone.key == "America/New_York")
    assert len([k for c, k in posts if c == new_york_0130.channel.split(":", 1)[1] and k[-10:-4] == "251102"]) == 1
    await assert_database_agrees(sqlite_url, posts)


@pytest.mark.parametrize("processes", [3])
async def test_several_processes_on_one_sqlite_file_post_every_slot_exactly_once(
    sqlite_url: str, tmp_path: Path, processes: int
) -> None:
    """SQLite is for one bot, but two started by mistake on the same file must still not post twice."""
    count, repeats = SUBSCRIPTIONS // 2, 1
    nows = [NOW, NOW + DAY]
    briefings = await Briefings.start(settings_for(sqlite_url))
    try:
        made = await make_subscriptions(briefings, count, NOW)
    finally:
        await briefings.close()
    expected = expected_digests(made, nows)
    out = tmp_path / "out"
    out.mkdir()
    running = [
        subprocess.Popen(
            [sys.executable, str(WORKER), sqlite_url, str(out), str(i), str(processes), str(repeats)]
            + [n.isoformat() for n in nows],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=(out / f"stderr-{i}.txt").open("w"),
        )
        for i in range(processes)
    ]
    assert_all_exit_cleanly(running, out)
    rows = [line.split("|") for path in sorted(out.glob("posted-*.txt")) for line in path.read_text().splitlines()]
    posts = Counter((channel, key) for channel, key, _ in rows)
    assert duplicates(posts) == []
    assert set(posts) == expected
    await assert_database_agrees(sqlite_url, posts)
