"""The digest runner on SQLite and PostgreSQL with an injected `now`: each slot posted once (across ticks and
restarts), late within the grace, skipped and said so beyond it, changes since the previous digest, retries,
permanent failures, takeover of a dead process's claim, urgent updates, the /digest command, and the real
APScheduler clock."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

import briefings.store.store as store_module
import briefings.store.subscriptions as subscriptions_module
from bot.scheduler import DigestClock
from briefings.access import Caller
from briefings.answers.common import local_time
from briefings.digests.posting import PostError
from briefings.digests.runner import DigestRunner
from briefings.digests.tick import TickReport, run_marker, slot_key
from briefings.render_text import render
from briefings.reply import Outcome, Reply
from briefings.schedules import Schedule, parse_days, parse_zone
from briefings.service import Briefings
from briefings.settings import CoreSettings
from briefings.store.run_history import RunHistory
from briefings.store.runs import FAILED, PENDING, POSTED, RETRY, SKIPPED, Run, RunStore
from briefings.store.schema import subscriptions
from briefings.store.subscriptions import Subscription, SubscriptionStore
from tests.conftest import Ask

SLUG = "syria-coast-2025-03"
DAMASCUS = ZoneInfo("Asia/Damascus")
LONDON = ZoneInfo("Europe/London")
UTC_ZONE = ZoneInfo("UTC")
MOD_SLACK = Caller("slack", "U0MOD", "slack:C1")
# Tue 10 Jun 2025, 08:00 in London (BST) is 07:00Z
SLOT = datetime(2025, 6, 10, 7, 0, tzinfo=UTC)
DAY = timedelta(days=1)
MINUTE = timedelta(minutes=1)


# --- helpers ------------------------------------------------------------------------------------------------


@dataclass
class Post:
    channel: str
    reply: Reply
    run_key: str
    message_id: str

    @property
    def text(self) -> str:
        return render(self.reply)

    @property
    def changes(self) -> str:
        """The part after the brief: what changed since the previous digest."""
        text = self.text
        return text[text.index("\nSince ") :]


@dataclass
class RecordingPoster:
    """A platform: remembers every post (with its run key), finds them again, fails when told to."""

    posts: list[Post] = field(default_factory=list)
    failures: list[Exception] = field(default_factory=list)
    """Raised by the next post calls, one each, in order."""
    always_fail: Exception | None = None
    attempts: int = 0
    lookups: list[tuple[str, str]] = field(default_factory=list)
    prefix: str = "m"
    posted: asyncio.Event = field(default_factory=asyncio.Event)

    async def post(self, channel: str, reply: Reply, run_key: str) -> str:
        self.attempts += 1
        if self.always_fail is not None:
            raise self.always_fail
        if self.failures:
            raise self.failures.pop(0)
        message_id = f"{self.prefix}{len(self.posts) + 1}"
        self.posts.append(Post(channel, reply, run_key, message_id))
        self.posted.set()
        return message_id

    async def find_posted(self, channel: str, run_key: str) -> str | None:
        self.lookups.append((channel, run_key))
        for post in self.posts:
            if post.channel == channel and post.run_key == run_key:
                return post.message_id
        return None

    def to(self, channel: str) -> list[Post]:
        return [p for p in self.posts if p.channel == channel]


async def subscribe(
    briefings: Briefings,
    channel: str,
    at: str = "08:00",
    zone: str = "Europe/London",
    days: str = "daily",
    created_at: datetime = SLOT - DAY / 2,
) -> Subscription:
    """Subscribes directly through the store, then dates the subscription `created_at` (the runner only
    schedules slots at or after it)."""
    hour, minute = (int(part) for part in at.split(":"))
    schedule = Schedule(time(hour, minute), parse_zone(zone), parse_days(days))
    made = await SubscriptionStore(briefings.store).subscribe(channel, SLUG, schedule, "test")
    await set_created_at(briefings, made.id, created_at)
    return await find_subscription(briefings, made.id)


async def set_created_at(briefings: Briefings, subscription_id: int, created_at: datetime) -> None:
    async with briefings.store.writing() as db:
        await db.execute(
            update(subscriptions).where(subscriptions.c.id == subscription_id).values(created_at=created_at)
        )


async def find_subscription(briefings: Briefings, subscription_id: int) -> Subscription:
    found = [s for s in await SubscriptionStore(briefings.store).subscriptions(active=None) if s.id == subscription_id]
    assert len(found) == 1
    return found[0]


async def history(briefings: Briefings, subscription: Subscription) -> list[Run]:
    return await RunHistory(briefings.store).history(subscription.id)


def marker(subscription: Subscription, slot: datetime) -> str:
    return f"d{subscription.id}-{slot:%y%m%d%H%M}"


def runner_for(briefings: Briefings, poster: RecordingPoster, **options: object) -> DigestRunner:
    posters = {"console": poster, "slack": poster, "discord": poster}
    return DigestRunner(briefings.store, posters, briefings.urgency, **options)  # type: ignore[arg-type]


class Clock:
    """Stands in for the real time wherever the store and commands read it (revisions, subscriptions, ctx.now)."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def clock(briefings: Briefings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    value = Clock(datetime.now(UTC))
    monkeypatch.setattr(store_module, "now", value)
    monkeypatch.setattr(subscriptions_module, "now", value)
    briefings.clock = value
    yield value


def future_slot(hour: int = 8) -> datetime:
    """A UTC slot at least two days after the real time (so revisions written 'then' follow the seed load)."""
    start = datetime.now(UTC) + 2 * DAY
    return datetime.combine(start.date() + DAY, time(hour), UTC)


# --- posted once -------------------------------------------------------------------------------------------


async def test_a_due_slot_is_posted_once_across_ticks_and_restarts(
    settings: CoreSettings, briefings: Briefings
) -> None:
    subscription = await subscribe(briefings, "slack:C1")
    poster = RecordingPoster()
    runner = runner_for(briefings, poster)

    report = await runner.tick(SLOT - MINUTE)  # not due yet; yesterday's slot is before the subscription
    assert report.posted == 0 and poster.attempts == 0

    report = await runner.tick(SLOT + MINUTE)
    assert report.posted == 1 and report.skipped == 0
    assert len(poster.posts) == 1
    post = poster.posts[0]
    assert post.channel == "C1" and post.run_key == marker(subscription, SLOT)
    assert len(post.run_key) <= 25
    assert post.reply.title.startswith("Digest — ")
    assert "Posted late" not in post.text and "Not posted while" not in post.text

    for later in (SLOT + MINUTE, SLOT + 2 * MINUTE, SLOT + timedelta(hours=3), SLOT + DAY - MINUTE):
        assert (await runner.tick(later)).posted == 0
    restarted = runner_for(briefings, poster)  # a new owner on the same database
    assert restarted.owner != runner.owner
    assert (await restarted.tick(SLOT + 5 * MINUTE)).posted == 0

    reopened = await Briefings.start(settings)  # a real restart: a new engine
    try:
        assert (await runner_for(reopened, poster).tick(SLOT + 10 * MINUTE)).posted == 0
    finally:
        await reopened.close()
    assert len(poster.posts) == 1

    runs = await history(briefings, subscription)
    assert [(r.key, r.status, r.message_id, r.attempts, r.late) for r in runs] == [
        (slot_key(SLOT), POSTED, "m1", 1, False)
    ]
    assert runs[0].slot == SLOT and runs[0].posted_at == SLOT + MINUTE

    # the next day's slot is the next post, once
    assert (await runner.tick(SLOT + DAY + MINUTE)).posted == 1
    assert (await restarted.tick(SLOT + DAY + 2 * MINUTE)).posted == 0
    assert [p.run_key for p in poster.posts] == [marker(subscription, SLOT), marker(subscription, SLOT + DAY)]


async def test_each_channel_gets_its_own_slot_in_its_own_zone(briefings: Briefings) -> None:
    london = await subscribe(briefings, "slack:C1", "08:00", "Europe/London")
    damascus = await subscribe(briefings, "discord:D1", "08:00", "Asia/Damascus")
    console = await subscribe(briefings, "console:main", "08:00", "America/New_York")
    poster = RecordingPoster()
    runner = runner_for(briefings, poster)
    moments = [SLOT - timedelta(hours=3) + n * 10 * MINUTE for n in range(6 * 6 + 1)]  # 04:00Z .. 10:00Z
    for moment in moments:
        await runner.tick(moment)
    # Damascus 08:00 = 05:00Z, London 08:00 = 07:00Z; New York 08:00 = 12:00Z has not come yet
    assert [(p.channel, p.run_key) for p in poster.posts] == [
        ("D1", marker(damascus, SLOT - timedelta(hours=2))),
        ("C1", marker(london, SLOT)),
    ]
    await runner.tick(SLOT + timedelta(hours=5, minutes=1))
    assert poster.posts[-1].channel == "main" and poster.posts[-1].run_key == marker(console, SLOT + timedelta(hours=5))
    assert len(poster.posts) == 3


async def test_a_subscription_without_a_poster_for_its_platform_is_left_alone(briefings: Briefings) -> None:
    subscription = await subscribe(briefings, "discord:D1")
    poster = RecordingPoster()
    runner = DigestRunner(briefings.store, {"slack": poster})
    assert (await runner.tick(SLOT + MINUTE)).posted == 0
    assert poster.attempts == 0
    assert await history(briefings, subscription) == []  # not claimed: a Discord process will post it


# --- late, and missed -----------------------------------------------------------------------------------------


async def test_a_slot_missed_by_two_hours_is_posted_late(briefings: Briefings) -> None:
    subscription = await subscribe(briefings, "slack:C1")
    poster = RecordingPoster()
    report = await runner_for(briefings, poster).tick(SLOT + timedelta(hours=2))
    assert report.posted == 1 and report.skipped == 0
    [post] = poster.posts
    assert "Posted late: this digest was due Tue 10 Jun 2025 08:00 BST." in post.text, post.text
    assert "Not posted while" not in post.text
    [run] = await history(briefings, subscription)
    assert run.status == POSTED and run.late and run.slot == SLOT
    # the next one is on time again
    await runner_for(briefings, poster).tick(SLOT + DAY + MINUTE)
    assert len(poster.posts) == 2 and "Posted late" not in poster.posts[1].text


@pytest.mark.parametrize(
    ("late", "posted"),
    [
        (timedelta(minutes=4), True),
        (timedelta(hours=5, minutes=59), True),
        (timedelta(hours=6, minutes=1), False),
        (timedelta(hours=20), False),
    ],
)
async def test_the_grace_is_six_hours_by_default(briefings: Briefings, late: timedelta, posted: bool) -> None:
    subscription = await subscribe(briefings, "slack:C1")
    poster = RecordingPoster()
    runner = runner_for(briefings, poster)
    assert runner.grace == CoreSettings.model_fields["digest_grace"].default == timedelta(hours=6)
    report = await runner.tick(SLOT + late)
    assert (report.posted, report.skipped) == ((1, 0) if posted else (0, 1))
    [run] = await history(briefings, subscription)
    assert run.slot == SLOT
    assert run.status == (POSTED if posted else SKIPPED)
    if posted:
        assert ("Posted late" in poster.posts[0].text) == (late > timedelta(minutes=5))
    else:
        assert poster.attempts == 0 and run.error and "late" in run.error


async def test_a_runner_may_have_its_own_grace(briefings: Briefings) -> None:
    subscription = await subscribe(briefings, "slack:C1")
    poster = RecordingPoster()
    report = await runner_for(briefings, poster, grace=timedelta(hours=1)).tick(SLOT + timedelta(hours=2))
    assert (report.posted, report.skipped) == (0, 1)
    assert [r.status for r in await history(briefings, subscription)] == [SKIPPED]


async def test_slots_missed_beyond_the_grace_are_skipped_and_the_next_digest_says_so(briefings: Briefings) -> None:
    subscription = await subscribe(briefings, "slack:C1", created_at=SLOT - 2 * DAY + timedelta(hours=1))
    poster = RecordingPoster()
    runner = runner_for(briefings, poster)
    assert (await runner.tick(SLOT - DAY + MINUTE)).posted == 1  # Mon 9 Jun

    # the bot is down from Tue 10 to Thu 12 Jun; it comes back on Thu 12 at 15:00Z, 8 hours after the slot
    report = await runner_for(briefings, poster).tick(SLOT + 2 * DAY + timedelta(hours=8))
    assert (report.posted, report.skipped) == (0, 3)
    assert len(poster.posts) == 1
    runs = await history(briefings, subscription)
    assert [(r.slot, r.status) for r in runs] == [
        (SLOT - DAY, POSTED),
        (SLOT, SKIPPED),
        (SLOT + DAY, SKIPPED),
        (SLOT + 2 * DAY, SKIPPED),
    ]
    assert all(r.error for r in runs if r.status == SKIPPED)

    # a skipped slot is never posted afterwards
    assert (await runner.tick(SLOT + 2 * DAY + timedelta(hours=9))).posted == 0

    # Fri 13 Jun: the digest says what was not posted
    assert (await runner.tick(SLOT + 3 * DAY + MINUTE)).posted == 1
    text = poster.posts[-1].text
    assert "Not posted while the bot was unavailable: " in text, text
    for slot in (SLOT, SLOT + DAY, SLOT + 2 * DAY):
        assert local_time(slot, LONDON) in text, (local_time(slot, LONDON), text)
    assert local_time(SLOT - DAY, LONDON) not in text
    assert "Posted late" not in text
    # ... once: the digest after it does not repeat them
    await runner.tick(SLOT + 4 * DAY + MINUTE)
    assert len(poster.posts) == 3
    assert "Not posted while" not in poster.posts[-1].text


async def test_missed_slots_and_a_late_post_after_an_outage_inside_the_grace(briefings: Briefings) -> None:
    subscription = await subscribe(briefings, "slack:C1", created_at=SLOT - 3 * DAY + timedelta(hours=1))
    poster = RecordingPoster()
    report = await runner_for(briefings, poster).tick(SLOT + timedelta(hours=3))
    # 8 and 9 Jun were missed while the bot was off; 10 Jun is posted 3 hours late, coalesced into one post
    assert (report.posted, report.skipped) == (1, 2)
    [post] = poster.posts
    assert post.run_key == marker(subscription, SLOT)
    assert "Posted late: this digest was due Tue 10 Jun 2025 08:00 BST." in post.text
    assert "Not posted while the bot was unavailable: Sun 8 Jun 2025 08:00 BST, Mon 9 Jun 2025 08:00 BST" in post.text


async def test_a_long_outage_posts_one_digest_not_a_burst(briefings: Briefings) -> None:
    subscription = await subscribe(briefings, "slack:C1", created_at=SLOT - 30 * DAY)
    poster = RecordingPoster()
    report = await runner_for(briefings, poster).tick(SLOT + MINUTE)
    assert report.posted == 1 and len(poster.posts) == 1
    assert report.skipped >= 29
    assert "and " in poster.posts[0].text and "earlier" in poster.posts[0].text  # the list is shortened
    assert len([r for r in await history(briefings, subscription) if r.status == POSTED]) == 1


# --- what a digest covers -----------------------------------------------------------------------------------


async def test_the_digest_covers_the_changes_since_the_previous_digest(
    briefings: Briefings, ask: Ask, clock: Clock
) -> None:
    first_slot = future_slot(8)
    clock.at = first_slot - timedelta(hours=30)
    await accepted(ask, '/add event date=2025-03-08 text="An old event" source=SOHR', MOD_SLACK)
    clock.at = first_slot - timedelta(hours=2)
    await accepted(ask, '/add event date=2025-03-08 text="A recent event" source=SOHR', MOD_SLACK)
    subscription = await subscribe(briefings, "slack:C1", "08:00", "UTC", created_at=first_slot - timedelta(hours=1))
    poster = RecordingPoster()
    runner = runner_for(briefings, poster)

    clock.at = first_slot + MINUTE
    assert (await runner.tick(clock.at)).posted == 1
    first = poster.posts[0].changes
    # a first digest covers the last 24 hours; its times are in the subscription's zone (UTC here)
    assert first.startswith(f"\nSince {local_time(first_slot + MINUTE - DAY, UTC_ZONE)}, by when reported"), first
    assert "A recent event" in first and "An old event" not in first
    assert "70 → 120" not in first

    clock.at = first_slot + timedelta(hours=4)
    await accepted(ask, "/update toll killed=120 source=SOHR as_of=2025-03-08T18:00", MOD_SLACK)

    clock.at = first_slot + DAY + MINUTE
    assert (await runner.tick(clock.at)).posted == 1
    second = poster.posts[1].changes
    assert second.startswith(f"\nSince {local_time(first_slot + MINUTE, UTC_ZONE)}, by when reported"), second
    assert "killed at least 70 → 120 (+50)" in second, second
    assert "A recent event" not in second

    clock.at = first_slot + 2 * DAY + MINUTE
    assert (await runner.tick(clock.at)).posted == 1
    third = poster.posts[2].changes
    assert third.startswith(f"\nSince {local_time(first_slot + DAY + MINUTE, UTC_ZONE)}, by when reported"), third
    assert "70 → 120" not in third
    assert [p.run_key for p in poster.posts] == [marker(subscription, first_slot + n * DAY) for n in range(3)]


async def test_a_channel_with_two_digests_a_day_gets_each_change_once(
    briefings: Briefings, ask: Ask, clock: Clock
) -> None:
    morning = future_slot(8)
    await subscribe(briefings, "slack:C1", "08:00", "UTC", created_at=morning - timedelta(hours=1))
    await subscribe(briefings, "slack:C1", "18:00", "UTC", created_at=morning - timedelta(hours=1))
    poster = RecordingPoster()
    runner = runner_for(briefings, poster)
    for moment in (morning, morning + timedelta(hours=10), morning + DAY):
        clock.at = moment + MINUTE
        assert (await runner.tick(clock.at)).posted == 1
    clock.at = morning + DAY + timedelta(hours=2)
    await accepted(ask, "/update toll killed=120 source=SOHR as_of=2025-03-08T18:00", MOD_SLACK)
    clock.at = morning + DAY + timedelta(hours=10) + MINUTE  # the evening digest shows the change
    assert (await runner.tick(clock.at)).posted == 1
    assert "killed at least 70 → 120" in poster.posts[-1].changes

    clock.at = morning + 2 * DAY
    preview = render(await briefings.handle("/digest preview", MOD_SLACK))
    # the preview covers what came after the evening digest
    assert "70 → 120" not in preview[preview.index("\nSince ") :]
    clock.at = morning + 2 * DAY + MINUTE  # the next morning's digest in the same channel
    assert (await runner.tick(clock.at)).posted == 1
    assert "70 → 120" not in poster.posts[-1].changes, "the channel was told about this change in the last digest"


# --- failures -----------------------------------------------------------------------------------------------


async def test_a_transient_failure_is_retried_after_a_backoff_and_posted_once(briefings: Briefings) -> None:
    subscription = await subscribe(briefings, "slack:C1")
    poster = RecordingPoster(failures=[PostError("rate limited"), ConnectionError("connection reset")])
    runner = runner_for(briefings, poster)

    report = await runner.tick(SLOT + MINUTE)
    assert (report.posted, report.retrying, report.failed) == (0, 1, 0)
    [run] = await history(briefings, subscription)
    assert run.status == RETRY and run.error == "rate limited"

    assert (await runner.tick(SLOT + MINUTE + timedelta(seconds=20))).retrying == 0  # still backing off
    assert poster.attempts == 1

    report = await runner.tick(SLOT + MINUTE + timedelta(seconds=31))  # 30 s later: second attempt fails too
    assert (report.posted, report.retrying) == (0, 1) and poster.attempts == 2
    assert (await runner.tick(SLOT + MINUTE + timedelta(seconds=100))).retrying == 0  # the wait grew
    assert poster.attempts == 2

    report = await runner_for(briefings, poster).tick(SLOT + MINUTE + timedelta(minutes=3))  # another process
    assert report.posted == 1 and poster.attempts == 3
    assert poster.lookups == [("C1", marker(subscription, SLOT))] * 2  # looked before re-posting
    for later in range(4, 40, 5):
        await runner.tick(SLOT + timedelta(minutes=later))
    assert len(poster.posts) == 1 and poster.attempts == 3
    [run] = await history(briefings, subscription)
    assert run.status == POSTED and run.message_id == "m1" and run.attempts == 3 and run.error is None
    assert (await find_subscription(briefings, subscription.id)).active


async def test_transient_failures_stop_after_max_attempts(briefings: Briefings) -> None:
    subscription = await subscribe(briefings, "slack:C1")
    poster = RecordingPoster(always_fail=PostError("service unavailable"))
    runner = runner_for(briefings, poster, max_attempts=3)
    moment = SLOT + MINUTE
    for _ in range(30):
        await runner.tick(moment)
        moment += timedelta(minutes=1)
    assert poster.attempts == 3
    [run] = await history(briefings, subscription)
    assert run.status == FAILED and run.error == "service unavailable"
    after = await find_subscription(briefings, subscription.id)
    assert after.failures == 1 and after.active  # one failed slot does not stop the channel


async def test_a_permanent_failure_suspends_the_subscription(briefings: Briefings) -> None:
    broken = await subscribe(briefings, "slack:C1")
    fine = await subscribe(briefings, "slack:C2")
    poster = RecordingPoster()
    poster.failures = [PostError("channel_not_found", permanent=True)]
    runner = runner_for(briefings, poster)

    report = await runner.tick(SLOT + MINUTE)
    assert (report.posted, report.failed, report.retrying) == (1, 1, 0)
    assert [p.channel for p in poster.posts] == ["C2"]
    [run] = await history(briefings, broken)
    assert run.status == FAILED and run.error == "channel_not_found"
    suspended = await find_subscription(briefings, broken.id)
    assert not suspended.active and suspended.suspended_reason == "channel_not_found"

    for moment in (SLOT + 2 * MINUTE, SLOT + timedelta(hours=1), SLOT + DAY + MINUTE, SLOT + 2 * DAY + MINUTE):
        await runner.tick(moment)
    assert poster.attempts == 4  # C1 once, C2 three times: no retries to C1
    assert all(p.channel == "C2" for p in poster.posts)
    assert [r.status for r in await history(briefings, broken)] == [FAILED]
    assert len(await history(briefings, fine)) == 3

    reply = await briefings.handle("/digest list", Caller("slack", "U0READER", "slack:C1"))
    text = render(reply)
    assert reply.ok and "suspended" in text and "channel_not_found" in text, text
    assert "Next:" not in text


async def test_three_failed_slots_in_a_row_suspend_the_channel(briefings: Briefings) -> None:
    subscription = await subscribe(briefings, "slack:C1")
    poster = RecordingPoster(always_fail=ConnectionError("timeout"))
    runner = runner_for(briefings, poster, max_attempts=1)
    for day in range(5):
        await runner.tick(SLOT + day * DAY + MINUTE)
    after = await find_subscription(briefings, subscription.id)
    assert not after.active and after.suspended_reason == "timeout"
    assert poster.attempts == 3


# --- a process that died mid-post ---------------------------------------------------------------------------


async def claim_as_dead_process(briefings: Briefings, subscription: Subscription, slot: datetime) -> Run:
    run_id = await RunStore(briefings.store).claim(
        subscription.id,
        slot_key(slot),
        kind="digest",
        owner="dead-host:1234:abcdef",
        at=slot + MINUTE,
        lease_until=slot + MINUTE + timedelta(minutes=5),
        slot=slot,
    )
    assert run_id is not None
    [run] = [r for r in await RunHistory(briefings.store).history(subscription.id) if r.id == run_id]
    return run


async def test_a_claim_whose_owner_died_before_posting_is_taken_over_after_the_lease(briefings: Briefings) -> None:
    subscription = await subscribe(briefings, "slack:C1")
    run = await claim_as_dead_process(briefings, subscription, SLOT)
    poster = RecordingPoster()
    runner = runner_for(briefings, poster)

    assert (await runner.tick(SLOT + 3 * MINUTE)).posted == 0  # the lease still holds
    assert poster.attempts == 0 and poster.lookups == []

    report = await runner.tick(SLOT + 7 * MINUTE)
    assert report.posted == 1
    assert poster.lookups == [("C1", run_marker(subscription.id, run))]
    assert [p.run_key for p in poster.posts] == [marker(subscription, SLOT)]

    for moment in (SLOT + 8 * MINUTE, SLOT + 20 * MINUTE, SLOT + timedelta(hours=2)):
        await runner_for(briefings, poster).tick(moment)
    assert len(poster.posts) == 1
    [after] = await history(briefings, subscription)
    assert after.status == POSTED and after.message_id == "m1" and after.attempts == 2


async def test_a_claim_whose_owner_died_after_posting_is_not_posted_again(briefings: Briefings) -> None:
    subscription = await subscribe(briefings, "slack:C1")
    run = await claim_as_dead_process(briefings, subscription, SLOT)
    poster = RecordingPoster(prefix="slack-ts-")
    # the dead process's message did go out
    dead_post = await poster.post("C1", await briefings.digest(SLUG, None, SLOT), run_marker(subscription.id, run))
    assert dead_post == "slack-ts-1"

    for moment in (SLOT + 3 * MINUTE, SLOT + 7 * MINUTE, SLOT + 8 * MINUTE, SLOT + timedelta(hours=1)):
        await runner_for(briefings, poster).tick(moment)
    assert len(poster.posts) == 1 and poster.attempts == 1
    assert poster.lookups == [("C1", marker(subscription, SLOT))]
    [after] = await history(briefings, subscription)
    assert after.status == POSTED and after.message_id == "slack-ts-1"


# --- urgent updates -----------------------------------------------------------------------------------------


async def test_an_urgent_update_is_posted_once_to_each_subscribed_channel(briefings: Briefings) -> None:
    c1 = await subscribe(briefings, "slack:C1")
    c2 = await subscribe(briefings, "slack:C2", "18:00", "Asia/Damascus", "mon-fri")
    d1 = await subscribe(briefings, "discord:D1")
    gone = await subscribe(briefings, "slack:C9")
    assert await SubscriptionStore(briefings.store).unsubscribe("slack:C9", SLUG) == 1
    woken: list[bool] = []
    briefings.urgency.listen(lambda: woken.append(True))
    poster = RecordingPoster()
    runner = runner_for(briefings, poster)

    reply = await briefings.handle("/update toll killed=120 source=SOHR as_of=2025-03-08T18:00 urgent=yes", MOD_SLACK)
    text = render(reply)
    assert reply.ok, text
    assert "Marked urgent: posting now to 3 subscribed channel(s)." in text
    assert woken == [True]
    for subscription in (c1, c2, d1):
        assert [(r.kind, r.status) for r in await history(briefings, subscription)] == [("urgent", PENDING)]
    assert await history(briefings, gone) == []

    now = SLOT - timedelta(hours=3)  # no digest due: only the urgent posts go out
    report = await runner.tick(now)
    assert report.posted == 3
    assert sorted(p.channel for p in poster.posts) == ["C1", "C2", "D1"]
    for post in poster.posts:
        assert post.reply.title.startswith("Urgent update — "), post.reply.title
        assert "120" in post.text
        assert post.run_key.startswith("u") and len(post.run_key) <= 25
    for moment in (now, now + MINUTE, now + timedelta(hours=1)):
        assert (await runner_for(briefings, poster).tick(moment)).posted == 0
    assert len(poster.posts) == 3

    # the next scheduled digest is a digest, and the urgent update is not posted again
    await runner.tick(SLOT + MINUTE)
    assert len(poster.posts) == 5
    assert all(p.reply.title.startswith("Digest") for p in poster.posts[3:])
    assert sorted(p.channel for p in poster.posts[3:]) == ["C1", "D1"]
    for subscription in (c1, c2, d1):
        urgent = [r for r in await history(briefings, subscription) if r.kind == "urgent"]
        assert [r.status for r in urgent] == [POSTED]


async def test_an_update_not_marked_urgent_posts_nothing(briefings: Briefings) -> None:
    await subscribe(briefings, "slack:C1")
    poster = RecordingPoster()
    reply = await briefings.handle("/update toll killed=120 source=SOHR as_of=2025-03-08T18:00", MOD_SLACK)
    assert reply.ok and "Marked urgent" not in render(reply)
    assert (await runner_for(briefings, poster).tick(SLOT - timedelta(hours=3))).posted == 0


async def test_a_channel_with_two_digest_times_gets_an_urgent_update_once(briefings: Briefings) -> None:
    await subscribe(briefings, "slack:C1", "08:00")
    await subscribe(briefings, "slack:C1", "18:00")
    poster = RecordingPoster()
    reply = await briefings.handle("/update toll killed=120 source=SOHR as_of=2025-03-08T18:00 urgent=yes", MOD_SLACK)
    assert reply.ok
    await runner_for(briefings, poster).tick(SLOT - timedelta(hours=3))
    assert [p.channel for p in poster.posts] == ["C1"]
    assert "posting now to 1 subscribed channel(s)" in render(reply)


# --- /digest ------------------------------------------------------------------------------------------------


async def accepted(ask: Ask, command: str, caller: Caller | None = None) -> str:
    reply, text = await ask(command, caller)
    assert reply.outcome is Outcome.answered, text
    return text


async def test_the_preview_is_the_digest_the_channel_gets_chart_included(
    briefings: Briefings, ask: Ask, clock: Clock
) -> None:
    slot = future_slot(5)  # 08:00 in Damascus
    await subscribe(briefings, "slack:C1", "08:00", "Asia/Damascus", created_at=slot - timedelta(hours=3))
    clock.at = slot - timedelta(hours=2)
    await accepted(ask, "/update toll killed=120 source=SOHR as_of=2025-03-08T18:00", MOD_SLACK)
    clock.at = slot + MINUTE
    preview = await briefings.handle("/digest preview", MOD_SLACK)
    poster = RecordingPoster()
    assert (await runner_for(briefings, poster).tick(clock.at)).posted == 1
    [post] = poster.posts
    assert post.reply.image is not None, "tolls changed: the posted digest carries the toll over time"
    assert preview.image == post.reply.image
    assert render(preview) == post.text
    assert "UTC+03" in preview.title


async def test_digest_subscribe_list_preview_unsubscribe(
    briefings: Briefings, ask: Ask, moderator: Caller, reader: Caller
) -> None:
    reply, text = await ask("/digest subscribe 07:30 Europe/London mon-fri", reader)
    assert reply.outcome is Outcome.refused and "for moderators" in text
    reply, text = await ask("/digest unsubscribe", reader)
    assert reply.outcome is Outcome.refused
    assert await SubscriptionStore(briefings.store).subscriptions(active=None) == []

    _, text = await ask("/digest list")
    assert "No digest in this channel yet" in text

    text = await accepted(ask, "/digest subscribe 07:30 Europe/London mon-fri", moderator)
    assert "Digest subscribed" in text and "07:30 Europe/London, weekdays" in text and "Next: " in text
    reply, text = await ask("/digest subscribe mon-fri 07:30 europe/london", moderator)
    assert not reply.ok and "already gets the digest at 07:30 Europe/London, weekdays" in text

    text = await accepted(ask, "/digest subscribe", moderator)  # 08:00 daily in the situation's zone
    assert "08:00 Asia/Damascus, daily" in text
    text = await accepted(ask, "/digest subscribe time=18:00 tz=UTC days=fri-mon", moderator)
    assert "18:00 UTC, mon,fri,sat,sun" in text

    [subscription, *_] = await SubscriptionStore(briefings.store).subscriptions(channel="console")
    assert subscription.schedule == Schedule(time(7, 30), LONDON, frozenset(range(5)))
    assert subscription.slug == SLUG and subscription.active

    _, text = await ask("/digest list")  # anyone may list
    assert "07:30 Europe/London, weekdays" in text and "08:00 Asia/Damascus, daily" in text
    assert "18:00 UTC" in text and text.count("Next: ") == 3
    _, other = await ask("/digest list", Caller("console", "reader", "elsewhere"))
    assert "No digest in this channel yet" in other

    reply, text = await ask("/digest preview")
    assert reply.ok and reply.title.startswith("Digest — ") and "Since " in text, text

    text = await accepted(ask, "/digest unsubscribe", moderator)
    assert "Removed 3 subscription(s)" in text
    _, text = await ask("/digest list")
    assert "No digest in this channel yet" in text and "suspended" not in text
    reply, text = await ask("/digest unsubscribe", moderator)
    assert not reply.ok and "no digest subscription to remove" in text


async def test_digest_subscribe_on_slack_through_the_core(briefings: Briefings) -> None:
    reply = await briefings.handle("/digest subscribe 08:00 Europe/London daily", MOD_SLACK)
    assert reply.ok, render(reply)
    [subscription] = await SubscriptionStore(briefings.store).subscriptions(channel="slack:C1")
    assert subscription.schedule.describe() == "08:00 Europe/London, daily"
    reply = await briefings.handle("/digest subscribe 08:00 Europe/London", Caller("slack", "U0OTHER", "slack:C1"))
    assert reply.outcome is Outcome.refused


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/digest subscribe 25:00", "'25:00' is not a time of day; use HH:MM, for example 08:00 or 18:30"),
        ("/digest subscribe 8:61 Europe/London", "is not a time of day; use HH:MM"),
        ("/digest subscribe 08:00 Londn", "unknown timezone 'Londn' (did you mean Europe/London?)"),
        ("/digest subscribe 08:00 Mars/Olympus", "use an IANA name such as Europe/London"),
        ("/digest subscribe 08:00 days=funday", "'funday' is not a set of days; use daily, weekdays"),
        ("/digest subscribe 08:00 09:00", "two times given"),
        ("/digest subscribe 08:00 UTC Europe/London", "two timezones given"),
        ("/digest subscribe 08:00 mon-fri weekends", "days given twice"),
    ],
)
async def test_digest_subscribe_errors_give_examples(
    briefings: Briefings, ask: Ask, moderator: Caller, command: str, expected: str
) -> None:
    reply, text = await ask(command, moderator)
    assert reply.outcome is not Outcome.answered, text
    assert "Not subscribed — " in text and expected in text, text
    assert "Example: /digest subscribe 07:30 Europe/London mon-fri" in text
    assert await SubscriptionStore(briefings.store).subscriptions(active=None) == []


async def test_digest_subscribe_then_the_runner_posts_it(briefings: Briefings, ask: Ask, moderator: Caller) -> None:
    """A subscription made through the command is posted at its first slot after it was made (real time)."""
    await accepted(ask, "/digest subscribe 08:00 UTC", moderator)
    [subscription] = await SubscriptionStore(briefings.store).subscriptions()
    first = subscription.schedule.next_after(subscription.created_at)
    poster = RecordingPoster()
    runner = runner_for(briefings, poster)
    assert (await runner.tick(first - MINUTE)).posted == 0
    assert (await runner.tick(first + MINUTE)).posted == 1
    assert [p.channel for p in poster.posts] == ["console"]


# --- the real clock -----------------------------------------------------------------------------------------


class CountedRunner:
    """Wraps a runner's tick to count ticks begun and still running (to stop the clock between ticks)."""

    def __init__(self, runner: DigestRunner) -> None:
        self.runner = runner
        self.started: list[datetime] = []
        self.running = 0
        self._tick = runner.tick
        runner.tick = self.tick  # type: ignore[method-assign]

    async def tick(self, now: datetime) -> TickReport:
        self.started.append(now)
        self.running += 1
        try:
            return await self._tick(now)
        finally:
            self.running -= 1

    async def idle(self, timeout: float = 10) -> None:
        async with asyncio.timeout(timeout):
            while self.running:
                await asyncio.sleep(0.01)


async def stop_between_ticks(clock: DigestClock, counted: CountedRunner) -> None:
    clock.scheduler.pause()
    await counted.idle()
    await clock.stop()


async def test_the_apscheduler_clock_posts_a_due_digest(briefings: Briefings) -> None:
    real_now = datetime.now(UTC)
    slot = real_now.replace(second=0, microsecond=0)
    subscription = await subscribe(briefings, "slack:C1", f"{slot:%H:%M}", "UTC", created_at=slot - MINUTE)
    poster = RecordingPoster()
    runner = runner_for(briefings, poster)
    counted = CountedRunner(runner)
    clock = DigestClock(runner, interval=0.2)
    clock.start()
    try:
        await asyncio.wait_for(poster.posted.wait(), timeout=10)
        await asyncio.sleep(1.0)  # several more ticks
    finally:
        await stop_between_ticks(clock, counted)
    assert len(counted.started) >= 4
    assert [p.run_key for p in poster.posts] == [marker(subscription, slot)]
    [run] = await history(briefings, subscription)
    assert run.status == POSTED


async def test_the_clock_wakes_up_for_an_urgent_update(briefings: Briefings) -> None:
    await subscribe(briefings, "slack:C1", created_at=datetime.now(UTC))
    poster = RecordingPoster()
    runner = runner_for(briefings, poster)
    counted = CountedRunner(runner)
    clock = DigestClock(runner, interval=3600)
    clock.start()
    try:
        async with asyncio.timeout(5):  # the first tick runs at start
            while not counted.started:
                await asyncio.sleep(0.02)
        await counted.idle()
        assert poster.posts == []
        reply = await briefings.handle(
            "/update toll killed=120 source=SOHR as_of=2025-03-08T18:00 urgent=yes", MOD_SLACK
        )
        assert reply.ok
        await asyncio.wait_for(poster.posted.wait(), timeout=5)
    finally:
        await stop_between_ticks(clock, counted)
    assert len(counted.started) == 2  # woken, not the hourly interval
    assert [p.channel for p in poster.posts] == ["C1"]
    assert poster.posts[0].reply.title.startswith("Urgent update")
    briefings.urgency.signal()  # a stopped clock no longer listens: no tick is started
    assert all(task.done() for task in clock._pending)


async def test_stopping_the_clock_leaves_no_tick_running(briefings: Briefings) -> None:
    slot = datetime.now(UTC).replace(second=0, microsecond=0)
    await subscribe(briefings, "slack:C1", f"{slot:%H:%M}", "UTC", created_at=slot - MINUTE)
    entered, release = asyncio.Event(), asyncio.Event()

    class SlowPoster(RecordingPoster):
        async def post(self, channel: str, reply: Reply, run_key: str) -> str:
            entered.set()
            await release.wait()  # a slow platform call, in flight at shutdown
            return await super().post(channel, reply, run_key)

    runner = runner_for(briefings, SlowPoster())
    counted = CountedRunner(runner)
    clock = DigestClock(runner, interval=3600)
    clock.start()
    try:
        await asyncio.wait_for(entered.wait(), timeout=10)
        await clock.stop()
        still_running = counted.running
    finally:
        release.set()
        await counted.idle()
    assert still_running == 0, "stop() returned while a tick was still running"
