"""Digest subscriptions and runs. A run row per (subscription, key) is the exactly-once guarantee: only the
process whose INSERT created it (or that took over an expired lease) may post."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from briefings.digests.schedule import Schedule, days_text, parse_days, parse_time, parse_zone
from briefings.store.schema import runs, situations, subscriptions
from briefings.store.store import Store, now

CLAIMED, POSTED, RETRY, FAILED, SKIPPED, PENDING = "claimed", "posted", "retry", "failed", "skipped", "pending"


@dataclass(frozen=True)
class Subscription:
    id: int
    channel: str
    slug: str
    schedule: Schedule
    created_at: datetime
    active: bool
    failures: int
    suspended_reason: str | None


@dataclass(frozen=True)
class Run:
    id: int
    subscription_id: int
    key: str
    kind: str
    slot: datetime | None
    batch: str | None
    status: str
    attempts: int
    late: bool
    message_id: str | None
    created_at: datetime
    posted_at: datetime | None
    error: str | None


class DigestStore:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.engine = store.engine

    def _insert(self) -> Any:
        return postgres_insert if self.engine.dialect.name == "postgresql" else sqlite_insert

    # --- subscriptions ----------------------------------------------------------------------

    async def subscribe(self, channel: str, slug: str, schedule: Schedule, by: str) -> Subscription:
        async with self.store.writing() as db:
            situation_id = await self.store.situation_id(db, slug)
            new_id = await db.scalar(
                insert(subscriptions)
                .values(
                    channel=channel,
                    situation_id=situation_id,
                    at_time=schedule.at.strftime("%H:%M"),
                    timezone=schedule.zone.key,
                    days=days_text(schedule.days),
                    created_by=by,
                    created_at=now(),
                    active=True,
                    failures=0,
                )
                .returning(subscriptions.c.id)
            )
        found = [s for s in await self.subscriptions(channel=channel) if s.id == new_id]
        return found[0]

    async def unsubscribe(self, channel: str, slug: str) -> int:
        async with self.store.writing() as db:
            situation_id = await self.store.situation_id(db, slug)
            result = await db.execute(
                update(subscriptions)
                .where(
                    subscriptions.c.channel == channel,
                    subscriptions.c.situation_id == situation_id,
                    subscriptions.c.active.is_(True),
                )
                .values(active=False, suspended_reason="unsubscribed")
            )
            return int(result.rowcount or 0)

    async def subscriptions(
        self, *, channel: str | None = None, slug: str | None = None, active: bool | None = True
    ) -> list[Subscription]:
        query = select(subscriptions, situations.c.slug).join(
            situations, situations.c.id == subscriptions.c.situation_id
        )
        if channel is not None:
            query = query.where(subscriptions.c.channel == channel)
        if slug is not None:
            query = query.where(situations.c.slug == slug)
        if active is not None:
            query = query.where(subscriptions.c.active.is_(active))
        async with self.store.reading() as db:
            rows = (await db.execute(query.order_by(subscriptions.c.id))).all()
        return [
            Subscription(
                row.id,
                row.channel,
                row.slug,
                Schedule(parse_time(row.at_time), parse_zone(row.timezone), parse_days(row.days)),
                row.created_at,
                row.active,
                row.failures,
                row.suspended_reason,
            )
            for row in rows
        ]

    async def record_failure(self, subscription_id: int, error: str, *, suspend: bool) -> int:
        """Counts a failed post; `suspend` stops the subscription (a channel that keeps failing)."""
        async with self.store.writing() as db:
            values: dict[str, Any] = {"failures": subscriptions.c.failures + 1}
            if suspend:
                values |= {"active": False, "suspended_reason": error}
            await db.execute(update(subscriptions).where(subscriptions.c.id == subscription_id).values(**values))
            return int(
                await db.scalar(select(subscriptions.c.failures).where(subscriptions.c.id == subscription_id)) or 0
            )

    async def record_success(self, subscription_id: int) -> None:
        async with self.store.writing() as db:
            await db.execute(update(subscriptions).where(subscriptions.c.id == subscription_id).values(failures=0))

    # --- runs ---------------------------------------------------------------------------------

    async def claim(
        self,
        subscription_id: int,
        key: str,
        *,
        kind: str,
        owner: str,
        at: datetime,
        lease_until: datetime | None,
        slot: datetime | None = None,
        batch: str | None = None,
        late: bool = False,
        status: str = CLAIMED,
    ) -> int | None:
        """Creates the run row; returns its id only to the one caller whose insert created it."""
        statement = (
            self._insert()(runs)
            .values(
                subscription_id=subscription_id,
                key=key,
                kind=kind,
                slot=slot,
                batch=batch,
                status=status,
                owner=owner,
                lease_until=lease_until,
                attempts=1 if status == CLAIMED else 0,
                late=late,
                created_at=at,
            )
            .on_conflict_do_nothing(index_elements=[runs.c.subscription_id, runs.c.key])
            .returning(runs.c.id)
        )
        async with self.store.writing() as db:
            created = await db.scalar(statement)
        return int(created) if created is not None else None

    async def keys(self, subscription_id: int) -> set[str]:
        async with self.store.reading() as db:
            return set(await db.scalars(select(runs.c.key).where(runs.c.subscription_id == subscription_id)))

    async def latest_slot(self, subscription_id: int) -> datetime | None:
        async with self.store.reading() as db:
            value = await db.scalar(
                select(func.max(runs.c.slot)).where(runs.c.subscription_id == subscription_id, runs.c.kind == "digest")
            )
        return value if isinstance(value, datetime) else None

    async def takeable(self, at: datetime) -> list[Run]:
        """Runs another process may take: pending, due for a retry, or claimed with an expired lease."""
        condition = or_(
            runs.c.status == PENDING,
            and_(runs.c.status == RETRY, runs.c.next_attempt <= at),
            and_(runs.c.status == CLAIMED, runs.c.lease_until < at),
        )
        return await self._runs(condition)

    async def take(self, run: Run, owner: str, at: datetime, lease_until: datetime) -> bool:
        """Atomically takes over `run` if it is still in the state it was read in."""
        async with self.store.writing() as db:
            result = await db.execute(
                update(runs)
                .where(runs.c.id == run.id, runs.c.status == run.status, runs.c.attempts == run.attempts)
                .values(status=CLAIMED, owner=owner, lease_until=lease_until, attempts=run.attempts + 1)
            )
            return bool(result.rowcount)

    async def finish(
        self,
        run_id: int,
        status: str,
        *,
        message_id: str | None = None,
        error: str | None = None,
        next_attempt: datetime | None = None,
        posted_at: datetime | None = None,
    ) -> None:
        async with self.store.writing() as db:
            await db.execute(
                update(runs)
                .where(runs.c.id == run_id)
                .values(
                    status=status,
                    message_id=message_id,
                    error=error,
                    next_attempt=next_attempt,
                    posted_at=posted_at,
                    lease_until=None,
                )
            )

    async def last_digest_at(self, channel: str, slug: str) -> datetime | None:
        """When this channel last got a digest of this situation (from any of its subscriptions)."""
        query = (
            select(func.max(runs.c.posted_at))
            .join(subscriptions, subscriptions.c.id == runs.c.subscription_id)
            .join(situations, situations.c.id == subscriptions.c.situation_id)
            .where(
                subscriptions.c.channel == channel,
                situations.c.slug == slug,
                runs.c.kind == "digest",
                runs.c.status == POSTED,
            )
        )
        async with self.store.reading() as db:
            value = await db.scalar(query)
        return value if isinstance(value, datetime) else None

    async def history(self, subscription_id: int) -> list[Run]:
        return await self._runs(runs.c.subscription_id == subscription_id)

    async def posted_messages(self) -> list[Run]:
        return await self._runs(runs.c.status == POSTED)

    async def _runs(self, condition: Any) -> list[Run]:
        async with self.store.reading() as db:
            rows = (await db.execute(select(runs).where(condition).order_by(runs.c.id))).all()
        return [
            Run(
                row.id,
                row.subscription_id,
                row.key,
                row.kind,
                row.slot,
                row.batch,
                row.status,
                row.attempts,
                row.late,
                row.message_id,
                row.created_at,
                row.posted_at,
                row.error,
            )
            for row in rows
        ]
