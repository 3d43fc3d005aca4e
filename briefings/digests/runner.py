"""One tick of the digest clock: claim what is due, post it once, record what was missed.

Every decision is made against the database, so any number of processes may tick at once: a run row
is created by exactly one of them (INSERT ... ON CONFLICT DO NOTHING), and a run whose owner died is
taken over only after its lease, after checking the platform for a post that already went out."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from briefings.answers.cards import fact_lines
from briefings.answers.common import local_time
from briefings.digests.posting import Poster, PostError
from briefings.reply import Reply, Section, line
from briefings.service import Briefings
from briefings.store.digests import (
    CLAIMED,
    FAILED,
    POSTED,
    RETRY,
    SKIPPED,
    DigestStore,
    Run,
    Subscription,
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
    skipped: int = 0
    failed: int = 0
    retrying: int = 0


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
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def digests(self) -> DigestStore:
        return DigestStore(self.briefings.store)

    async def tick(self, now: datetime) -> TickReport:
        """Claims and posts every due slot and every run left to take; safe to call from many processes."""
        report = TickReport()
        async with self._lock:
            subscriptions = {s.id: s for s in await self.digests.subscriptions() if self._poster(s)}
            for subscription in subscriptions.values():
                await self._schedule(subscription, now, report)
            for run in await self.digests.takeable(now):
                owner = subscriptions.get(run.subscription_id)
                if owner and await self.digests.take(run, self.owner, now, now + self.lease):
                    taken = replace(run, attempts=run.attempts + 1, status=CLAIMED)
                    await self._post(owner, taken, now, report, first=run.attempts == 0)
        return report

    def _poster(self, subscription: Subscription) -> Poster | None:
        return self.posters.get(subscription.channel.split(":", 1)[0])

    async def _schedule(self, subscription: Subscription, now: datetime, report: TickReport) -> None:
        due = subscription.schedule.latest_due(now)
        if due is None or due < subscription.created_at:
            return
        key = slot_key(due)
        known = await self.digests.keys(subscription.id)
        if key in known:
            return
        since = await self.digests.latest_slot(subscription.id) or subscription.created_at
        missed = subscription.schedule.slots_between(since, due)[:-1][-MAX_SKIPPED_RECORDED:]
        for slot in missed:
            if await self._skip(subscription, slot, now, "the bot was not running at the time"):
                report.skipped += 1
        grace = self.grace if self.grace is not None else self.briefings.digest_grace
        if now - due > grace:
            if await self._skip(subscription, due, now, f"more than {grace} late"):
                report.skipped += 1
            return
        late = now - due > self.late_after
        run_id = await self.digests.claim(
            subscription.id,
            key,
            kind="digest",
            owner=self.owner,
            at=now,
            lease_until=now + self.lease,
            slot=due,
            late=late,
        )
        if run_id is None:
            return  # another process claimed it first
        run = Run(run_id, subscription.id, key, "digest", due, None, CLAIMED, 1, late, None, now, None, None)
        await self._post(subscription, run, now, report, first=True)

    async def _skip(self, subscription: Subscription, slot: datetime, now: datetime, why: str) -> bool:
        created = await self.digests.claim(
            subscription.id,
            slot_key(slot),
            kind="digest",
            owner=self.owner,
            at=now,
            lease_until=None,
            slot=slot,
            status=SKIPPED,
        )
        if created is not None:
            await self.digests.finish(created, SKIPPED, error=why)
            log.warning("digest for %s due %s skipped: %s", subscription.channel, slot.isoformat(), why)
        return created is not None

    async def _post(
        self, subscription: Subscription, run: Run, now: datetime, report: TickReport, *, first: bool
    ) -> None:
        poster = self._poster(subscription)
        assert poster is not None
        channel = subscription.channel.split(":", 1)[-1]
        marker = run_marker(subscription.id, run)
        try:
            if not first:
                existing = await poster.find_posted(channel, marker)
                if existing:
                    log.info("run %s was already posted as %s; not posting again", run.key, existing)
                    await self.digests.finish(run.id, POSTED, message_id=existing, posted_at=now)
                    report.posted += 1
                    return
            reply = await self.compose(subscription, run, now)
            message_id = await poster.post(channel, reply, marker)
        except Exception as exc:
            await self._failed(subscription, run, now, exc, report)
            return
        await self.digests.finish(run.id, POSTED, message_id=message_id, posted_at=now)
        if subscription.failures:
            await self.digests.record_success(subscription.id)
        report.posted += 1

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

    async def compose(self, subscription: Subscription, run: Run, now: datetime) -> Reply:
        if run.kind == "urgent":
            return await self._urgent(subscription, run)
        history = await self.digests.history(subscription.id)
        since = await self.digests.last_digest_at(subscription.channel, subscription.slug)
        reply = await self.briefings.digest(subscription.slug, since, now)
        zone = subscription.schedule.zone
        notes = []
        if run.late and run.slot:
            notes.append(line(f"Posted late: this digest was due {local_time(run.slot, zone)}."))
        skipped = [r for r in history if r.status == SKIPPED and r.slot and (since is None or r.slot > since)]
        if skipped:
            times = ", ".join(local_time(r.slot, zone) for r in skipped[-5:] if r.slot)
            more = f" and {len(skipped) - 5} earlier" if len(skipped) > 5 else ""
            notes.append(
                line(
                    f"Not posted while the bot was unavailable: {times}{more}. "
                    "What changed since then is included below."
                )
            )
        if notes:
            reply.sections.insert(0, Section(None, notes))
        return reply

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
