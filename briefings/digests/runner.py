"""One tick of the digest clock: claim what is due, post it once, record what was missed.

Every decision is made against the database, so any number of processes may tick at once: a run row
is created by exactly one of them (INSERT ... ON CONFLICT DO NOTHING), and a run whose owner died is
taken over only after its lease, after checking the platform for a post that already went out.

A tick reads what it needs for all subscriptions in a few queries, claims due slots in batches just ahead of
posting them, posts to many channels at once (one channel's posts stay in order, see `ChannelPool`), composes
each distinct digest once, and records posted runs in batches (see `PostedRecorder`)."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
import uuid
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial

from briefings.answers import digest
from briefings.answers.cards import fact_lines
from briefings.answers.common import local_time
from briefings.digests.fanout import ChannelPool, PostedRecorder
from briefings.digests.posting import Poster, PostError
from briefings.reply import Line, Reply, Section, line
from briefings.schedules import Schedule
from briefings.service import Briefings
from briefings.store.digests import (
    CLAIMED,
    FAILED,
    RETRY,
    SKIPPED,
    DigestStore,
    NewRun,
    Posted,
    Run,
    Subscription,
    chunks,
)

log = logging.getLogger(__name__)
MAX_SKIPPED_RECORDED = 60
SUSPEND_AFTER = 3
"""Consecutive failed runs after which a channel's subscription is suspended."""


def default_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def slot_key(slot: datetime) -> str:
    return "digest:" + slot.strftime("%Y-%m-%dT%H:%MZ")


def run_marker(subscription_id: int, run: Run) -> str:
    """A short mark for the platform message (at most 25 characters: Discord's nonce limit)."""
    if run.slot is not None:
        return f"d{subscription_id}-{run.slot:%y%m%d%H%M}"
    return f"u{subscription_id}-{(run.batch or run.key)[-10:].replace('-', '')}"


@dataclass
class TickReport:
    posted: int = 0
    late: int = 0
    """Of those posted, how many were posted late."""
    skipped: int = 0
    failed: int = 0
    retrying: int = 0


@dataclass
class Tick:
    """What one tick knows: its instant, what it read for composing, the replies it composed, the posts it has
    yet to record."""

    now: datetime
    recorder: PostedRecorder
    started: float = field(default_factory=time.monotonic)
    skipped: dict[int, list[datetime]] = field(default_factory=dict)
    """Skipped slots by subscription id, oldest run first."""
    last_digest: dict[tuple[str, str], datetime] = field(default_factory=dict)
    """When each (channel, situation slug) last got a digest."""
    loaded: set[int] = field(default_factory=set)
    """Subscriptions whose skipped slots and last digest were read."""
    composed: dict[Hashable, asyncio.Future[Reply]] = field(default_factory=dict)

    def lease_until(self, lease: timedelta) -> datetime:
        """A lease from the moment it is taken: `now` is when the tick began, and a fan-out takes a while."""
        return self.now + timedelta(seconds=time.monotonic() - self.started) + lease

    async def once(self, key: Hashable, make: Callable[[], Awaitable[Reply]]) -> Reply:
        """The reply for `key`, made by the first caller; the others wait for it. Callers must not change it."""
        future = self.composed.get(key)
        if future is None:
            future = asyncio.get_running_loop().create_future()
            self.composed[key] = future
            try:
                future.set_result(await make())
            except BaseException as exc:
                del self.composed[key]
                if isinstance(exc, asyncio.CancelledError):
                    future.cancel()
                else:
                    future.set_exception(exc)
                    future.exception()  # retrieved: the callers waiting (if any) get it
                raise
        return await future


@dataclass
class DigestRunner:
    briefings: Briefings
    posters: dict[str, Poster]
    """By platform: `slack`, `discord`, `console` (the prefix of a subscription's channel key)."""
    grace: timedelta | None = None
    """How late a missed slot may still be posted; default: the service's setting."""
    lease: timedelta = timedelta(minutes=5)
    late_after: timedelta = timedelta(minutes=5)
    max_attempts: int = 5
    owner: str = field(default_factory=default_owner)
    concurrency: int = 16
    """Channels posted to at once. Each platform call waits out its own rate limit (slack_sdk sleeps a 429's
    Retry-After), so one limited channel holds one place, not the whole tick."""
    claim_batch: int = 100
    """Due slots claimed per transaction, just ahead of posting them (each claim's lease starts then)."""
    record_batch: int = 100
    """Posted runs recorded per transaction."""
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def digests(self) -> DigestStore:
        return DigestStore(self.briefings.store)

    async def tick(self, now: datetime) -> TickReport:
        """Claims and posts every due slot and every run left to take; safe to call from many processes."""
        report = TickReport()
        async with self._lock:
            tick = Tick(now, PostedRecorder(self.digests, self.owner, self.record_batch))
            subscriptions = {s.id: s for s in await self.digests.subscriptions() if self._poster(s)}
            due = await self._due(list(subscriptions.values()), now, report)
            await self._load(tick, [subscription for subscription, _ in due])
            async with ChannelPool(self.concurrency) as pool:
                for part in chunks(due, self.claim_batch):
                    await self._claim_and_post(tick, part, pool, report)
            await tick.recorder.flush()

            takeable = [run for run in await self.digests.takeable(now) if run.subscription_id in subscriptions]
            await self._load(tick, [subscriptions[run.subscription_id] for run in takeable if run.kind == "digest"])
            async with ChannelPool(self.concurrency) as pool:
                for runs in chunks(takeable, self.claim_batch):
                    await self._take_and_post(tick, runs, subscriptions, pool, report)
            await tick.recorder.flush()
        return report

    def _poster(self, subscription: Subscription) -> Poster | None:
        return self.posters.get(subscription.channel.split(":", 1)[0])

    async def _due(
        self, subscriptions: list[Subscription], now: datetime, report: TickReport
    ) -> list[tuple[Subscription, datetime]]:
        """The subscriptions with a slot to post now (and the slot), after recording the slots they missed."""
        latest: dict[Schedule, datetime | None] = {}
        due: dict[int, datetime] = {}
        for subscription in subscriptions:
            if subscription.schedule not in latest:
                latest[subscription.schedule] = subscription.schedule.latest_due(now)
            slot = latest[subscription.schedule]
            if slot is not None and slot >= subscription.created_at:
                due[subscription.id] = slot
        if not due:
            return []
        known = await self.digests.existing({id_: slot_key(slot) for id_, slot in due.items()})
        todo = [s for s in subscriptions if s.id in due and s.id not in known]
        if not todo:
            return []
        last_slots = await self.digests.latest_slots([s.id for s in todo])
        grace = self.grace if self.grace is not None else self.briefings.digest_grace
        skips: list[NewRun] = []
        postable: list[tuple[Subscription, datetime]] = []
        for subscription in todo:
            slot = due[subscription.id]
            since = last_slots.get(subscription.id) or subscription.created_at
            missed = subscription.schedule.slots_between(since, slot)[:-1][-MAX_SKIPPED_RECORDED:]
            why = "the bot was not running at the time"
            skips += [NewRun(subscription.id, slot_key(m), "digest", m, status=SKIPPED, error=why) for m in missed]
            if now - slot > grace:
                skips.append(
                    NewRun(
                        subscription.id, slot_key(slot), "digest", slot, status=SKIPPED, error=f"more than {grace} late"
                    )
                )
            else:
                postable.append((subscription, slot))
        if skips:
            created = await self.digests.claim_many(skips, owner=self.owner, at=now, lease_until=None)
            channels = {s.id: s.channel for s in todo}
            for skip in skips:
                if (skip.subscription_id, skip.key) in created and skip.slot is not None:
                    report.skipped += 1
                    log.warning(
                        "digest for %s due %s skipped: %s",
                        channels[skip.subscription_id],
                        skip.slot.isoformat(),
                        skip.error,
                    )
        return postable

    async def _load(self, tick: Tick, subscriptions: Sequence[Subscription]) -> None:
        """Reads the skipped slots and last digests the notes and `since` of these subscriptions' digests need."""
        new = [s for s in subscriptions if s.id not in tick.loaded]
        if not new:
            return
        tick.skipped.update(await self.digests.skipped_slots([s.id for s in new]))
        last = await self.digests.last_digests_at({s.channel for s in new})
        for channel_slug, at in last.items():
            tick.last_digest.setdefault(channel_slug, at)
        tick.loaded.update(s.id for s in new)

    async def _claim_and_post(
        self, tick: Tick, due: Sequence[tuple[Subscription, datetime]], pool: ChannelPool, report: TickReport
    ) -> None:
        now = tick.now
        claims = [NewRun(s.id, slot_key(slot), "digest", slot, late=now - slot > self.late_after) for s, slot in due]
        created = await self.digests.claim_many(
            claims, owner=self.owner, at=now, lease_until=tick.lease_until(self.lease)
        )
        for claim, (subscription, slot) in zip(claims, due, strict=True):
            run_id = created.get((claim.subscription_id, claim.key))
            if run_id is None:
                continue  # another process claimed it first
            run = Run(
                run_id, subscription.id, claim.key, "digest", slot, None, CLAIMED, 1, claim.late, None, now, None, None
            )
            await pool.submit(subscription.channel, partial(self._post, tick, subscription, run, report, first=True))

    async def _take_and_post(
        self,
        tick: Tick,
        takeable: Sequence[Run],
        subscriptions: dict[int, Subscription],
        pool: ChannelPool,
        report: TickReport,
    ) -> None:
        """Takes pending runs, runs due for a retry and runs whose owner's lease ran out; posts the ones it got
        (after looking for the post on the platform, unless the run was never attempted)."""
        taken = await self.digests.take_many(takeable, self.owner, tick.lease_until(self.lease))
        for run in takeable:
            if run.id in taken:
                mine = replace(run, attempts=run.attempts + 1, status=CLAIMED)
                post = partial(
                    self._post, tick, subscriptions[run.subscription_id], mine, report, first=run.attempts == 0
                )
                await pool.submit(subscriptions[run.subscription_id].channel, post)

    async def _post(self, tick: Tick, subscription: Subscription, run: Run, report: TickReport, *, first: bool) -> None:
        poster = self._poster(subscription)
        assert poster is not None
        now = tick.now
        channel = subscription.channel.split(":", 1)[-1]
        marker = run_marker(subscription.id, run)
        try:
            if not first:
                existing = await poster.find_posted(channel, marker)
                if existing:
                    log.info("run %s was already posted as %s; not posting again", run.key, existing)
                    await self._posted(tick, subscription, run, existing, report)
                    return
            reply = await self._compose(tick, subscription, run)
            message_id = await poster.post(channel, reply, marker)
        except Exception as exc:
            await self._failed(subscription, run, now, exc, report)
            return
        await self._posted(tick, subscription, run, message_id, report)
        if subscription.failures:
            await self.digests.record_success(subscription.id)

    async def _posted(
        self, tick: Tick, subscription: Subscription, run: Run, message_id: str, report: TickReport
    ) -> None:
        if run.kind == "digest":
            tick.last_digest[(subscription.channel, subscription.slug)] = tick.now
        report.posted += 1
        report.late += int(run.late)
        await tick.recorder.add(Posted(run.id, message_id, tick.now))

    async def _failed(
        self, subscription: Subscription, run: Run, now: datetime, exc: Exception, report: TickReport
    ) -> None:
        permanent = isinstance(exc, PostError) and exc.permanent
        attempts = max(run.attempts, 1)
        if not permanent and attempts < self.max_attempts:
            wait = timedelta(seconds=30 * 4 ** (attempts - 1))
            await self.digests.finish(run.id, RETRY, error=str(exc), next_attempt=now + wait)
            log.warning(
                "posting %s to %s failed (attempt %d), retrying in %s: %s",
                run.key,
                subscription.channel,
                attempts,
                wait,
                exc,
            )
            report.retrying += 1
            return
        await self.digests.finish(run.id, FAILED, error=str(exc))
        failures = await self.digests.record_failure(subscription.id, str(exc), suspend=permanent)
        if not permanent and failures >= SUSPEND_AFTER:
            await self.digests.record_failure(subscription.id, str(exc), suspend=True)
        log.error(
            "posting %s to %s failed for good%s: %s. Moderators: check the bot is still in that channel, "
            "then /digest subscribe again there.",
            run.key,
            subscription.channel,
            " (subscription suspended)" if permanent or failures >= SUSPEND_AFTER else "",
            exc,
        )
        report.failed += 1

    async def _compose(self, tick: Tick, subscription: Subscription, run: Run) -> Reply:
        """The reply for a run: the tick's one copy of the digest (or urgent update) with this channel's notes."""
        slug = subscription.slug
        if run.kind == "urgent":
            shared = await tick.once(("urgent", slug, run.batch or ""), partial(self._urgent, subscription, run))
            return replace(shared, sections=list(shared.sections))
        since = tick.last_digest.get((subscription.channel, slug))
        shared = await tick.once(("digest", slug, since), partial(self.briefings.digest, slug, since, tick.now))
        start = since or tick.now - timedelta(hours=24)
        reply = digest.in_zone(shared, start, tick.now, subscription.schedule.zone)
        notes = self._notes(subscription, run, since, tick.skipped.get(subscription.id, []))
        if notes:
            reply.sections.insert(0, Section(None, notes))
        return reply

    @staticmethod
    def _notes(subscription: Subscription, run: Run, since: datetime | None, skipped: list[datetime]) -> list[Line]:
        zone = subscription.schedule.zone
        notes = []
        if run.late and run.slot:
            notes.append(line(f"Posted late: this digest was due {local_time(run.slot, zone)}."))
        missed = [slot for slot in skipped if since is None or slot > since]
        if missed:
            times = ", ".join(local_time(slot, zone) for slot in missed[-5:])
            more = f" and {len(missed) - 5} earlier" if len(missed) > 5 else ""
            notes.append(
                line(
                    f"Not posted while the bot was unavailable: {times}{more}. "
                    "What changed since then is included below."
                )
            )
        return notes

    async def _urgent(self, subscription: Subscription, run: Run) -> Reply:
        store = self.briefings.store
        revisions = await store.batch(subscription.slug, run.batch or "")
        snapshot = await store.snapshot(subscription.slug)
        lines = [ln for r in revisions for ln in fact_lines(snapshot, r.key, r.fact)]
        return Reply(
            f"Urgent update — {snapshot.situation.title}",
            [Section(None, lines)],
            line("/history ID for the full record"),
        )
