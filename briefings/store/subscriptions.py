"""Digest subscriptions: which channel gets which situation's digest when, and whether posting there still works."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update

from briefings.clock import now
from briefings.schedules import Schedule, days_text, parse_days, parse_time, parse_zone
from briefings.store.schema import situations, subscriptions
from briefings.store.store import Store


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


class SubscriptionStore:
    def __init__(self, store: Store) -> None:
        self.store = store

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
