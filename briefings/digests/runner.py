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
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial

from briefings.digests import compose
from briefings.digests.fanout import ChannelPool, PostedRecorder
from briefings.digests.posting import Poster, PostError
from briefings.digests.tick import Tick, TickReport, default_owner, run_marker, slot_key
from briefings.plain_settings import DIGEST_GRACE
from briefings.reply import Reply
from briefings.schedules import Schedule
from briefings.store import Store
from briefings.store.run_history import RunHistory
from briefings.store.runs import CLAIMED, FAILED, RETRY, SKIPPED, NewRun, Posted, Run, RunStore, chunks
from briefings.store.subscriptions import Subscription, SubscriptionStore
from briefings.urgency import Urgency

log = logging.getLogger(__name__)
MAX_SKIPPED_RECORDED = 60
SUSPEND_AFTER = 3
"""Consecutive failed runs after which a channel's subscription is suspended."""


@dataclass
class DigestRunner:
    store: Store
    posters: dict[str, Poster]
    """By platform: `slack`, `discord`, `console` (the prefix of a subscription's channel key)."""
    urgency: Urgency = field(default_factory=Urgency)
    """Raised by the commands that leave urgent posts waiting (the clock ticks at once)."""
    grace: timedelta = DIGEST_GRACE
    """How late a missed slot may still be posted (the `digest_grace` setting)."""
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
    subscriptions: SubscriptionStore = field(init=False)
    runs: RunStore = field(init=False)
    history: RunHistory = field(init=False)

    def __post_init__(self) -> None:
        self.subscriptions = SubscriptionStore(self.store)
        self.runs = RunStore(self.store)
        self.history = RunHistory(self.store)

    async def tick(self, now: datetime) -> TickReport:
        """Claims and posts every due slot and every run left to take; safe to call from many processes."""
        report = TickReport()
        async with self._lock:
            tick = Tick(now, PostedRecorder(self.runs, self.owner, self.record_batch))
            subscriptions = {s.id: s for s in await self.subscriptions.subscriptions() if self._poster(s)}
            due = await self._due(list(subscriptions.values()), now, report)
            await self._load(tick, [subscription for subscription, _ in due])
            async with ChannelPool(self.concurrency) as pool:
                for part in chunks(due, self.claim_batch):
                    await self._claim_and_post(tick, part, pool, report)
            await tick.recorder.flush()

            takeable = [run for run in await self.runs.takeable(now) if run.subscription_id in subscriptions]
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
        known = await self.history.existing({id_: slot_key(slot) for id_, slot in due.items()})
        todo = [s for s in subscriptions if s.id in due and s.id not in known]
        if not todo:
            return []
        last_slots = await self.history.latest_slots([s.id for s in todo])
        grace = self.grace
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
            created = await self.runs.claim_many(skips, owner=self.owner, at=now, lease_until=None)
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
        tick.skipped.update(await self.history.skipped_slots([s.id for s in new]))
        last = await self.history.last_digests_at({s.channel for s in new})
        for channel_slug, at in last.items():
            tick.last_digest.setdefault(channel_slug, at)
        tick.loaded.update(s.id for s in new)

    async def _claim_and_post(
        self, tick: Tick, due: Sequence[tuple[Subscription, datetime]], pool: ChannelPool, report: TickReport
    ) -> None:
        now = tick.now
        claims = [NewRun(s.id, slot_key(slot), "digest", slot, late=now - slot > self.late_after) for s, slot in due]
        created = await self.runs.claim_many(claims, owner=self.owner, at=now, lease_until=tick.lease_until(self.lease))
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
        taken = await self.runs.take_many(takeable, self.owner, tick.lease_until(self.lease))
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
            await self.subscriptions.record_success(subscription.id)

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
            await self.runs.finish(run.id, RETRY, error=str(exc), next_attempt=now + wait)
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
        await self.runs.finish(run.id, FAILED, error=str(exc))
        failures = await self.subscriptions.record_failure(subscription.id, str(exc), suspend=permanent)
        if not permanent and failures >= SUSPEND_AFTER:
            await self.subscriptions.record_failure(subscription.id, str(exc), suspend=True)
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
            batch = run.batch or ""
            shared = await tick.once(("urgent", slug, batch), partial(compose.urgent_update, self.store, slug, batch))
            return compose.for_channel(shared, None, tick.now, None)
        since = tick.last_digest.get((subscription.channel, slug))
        make = partial(compose.situation_digest, self.store, slug, since, tick.now)
        shared = await tick.once(("digest", slug, since), make)
        zone = subscription.schedule.zone
        notes = compose.notes(zone, run.slot if run.late else None, since, tick.skipped.get(subscription.id, []))
        return compose.for_channel(shared, since, tick.now, zone, notes)
