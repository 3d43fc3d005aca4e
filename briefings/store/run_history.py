"""What earlier digest runs say: which runs exist, which slots were skipped, when a channel last got a digest.
Each lookup for many subscriptions or channels takes a few batched queries, not one per row."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import func, select

from briefings.store.runs import POSTED, SKIPPED, Run, chunks, run_from_row
from briefings.store.schema import runs, situations, subscriptions
from briefings.store.store import Store


class RunHistory:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def existing(self, keys: dict[int, str]) -> set[int]:
        """Of the given (subscription id -> run key) pairs, the subscriptions that have that run already."""
        found: set[int] = set()
        ids = sorted(keys)
        async with self.store.reading() as db:
            for part in chunks(ids):
                wanted = {keys[i] for i in part}
                rows = await db.execute(
                    select(runs.c.subscription_id, runs.c.key).where(
                        runs.c.subscription_id.in_(part), runs.c.key.in_(wanted)
                    )
                )
                found.update(row.subscription_id for row in rows if keys[row.subscription_id] == row.key)
        return found

    async def latest_slots(self, subscription_ids: Collection[int]) -> dict[int, datetime]:
        """`latest_slot` for many subscriptions at once (those without a digest run are left out)."""
        latest: dict[int, datetime] = {}
        async with self.store.reading() as db:
            for part in chunks(sorted(subscription_ids)):
                rows = await db.execute(
                    select(runs.c.subscription_id, func.max(runs.c.slot).label("slot"))
                    .where(runs.c.subscription_id.in_(part), runs.c.kind == "digest")
                    .group_by(runs.c.subscription_id)
                )
                latest.update({row.subscription_id: row.slot for row in rows if isinstance(row.slot, datetime)})
        return latest

    async def skipped_slots(self, subscription_ids: Collection[int]) -> dict[int, list[datetime]]:
        """The slots recorded as skipped, oldest run first, for many subscriptions at once."""
        skipped: dict[int, list[datetime]] = {}
        async with self.store.reading() as db:
            for part in chunks(sorted(subscription_ids)):
                rows = await db.execute(
                    select(runs.c.subscription_id, runs.c.slot)
                    .where(runs.c.subscription_id.in_(part), runs.c.status == SKIPPED, runs.c.slot.is_not(None))
                    .order_by(runs.c.id)
                )
                for row in rows:
                    skipped.setdefault(row.subscription_id, []).append(row.slot)
        return skipped

    async def last_digests_at(self, channels: Collection[str]) -> dict[tuple[str, str], datetime]:
        """`last_digest_at` for many channels at once, by (channel, situation slug)."""
        last: dict[tuple[str, str], datetime] = {}
        async with self.store.reading() as db:
            for part in chunks(sorted(channels)):
                rows = await db.execute(
                    select(subscriptions.c.channel, situations.c.slug, func.max(runs.c.posted_at).label("at"))
                    .join(subscriptions, subscriptions.c.id == runs.c.subscription_id)
                    .join(situations, situations.c.id == subscriptions.c.situation_id)
                    .where(subscriptions.c.channel.in_(part), runs.c.kind == "digest", runs.c.status == POSTED)
                    .group_by(subscriptions.c.channel, situations.c.slug)
                )
                last.update({(row.channel, row.slug): row.at for row in rows if isinstance(row.at, datetime)})
        return last

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
        """Every run of a subscription, oldest first: what was posted, skipped, failed or is waiting."""
        async with self.store.reading() as db:
            rows = (
                await db.execute(select(runs).where(runs.c.subscription_id == subscription_id).order_by(runs.c.id))
            ).all()
        return [run_from_row(row) for row in rows]
