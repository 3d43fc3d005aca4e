"""Queueing an urgent update: one pending run per subscribed channel, which the digest runner posts once."""

from __future__ import annotations

from datetime import datetime

from briefings.store import Store
from briefings.store.runs import PENDING, RunStore
from briefings.store.subscriptions import SubscriptionStore


async def queue_urgent(store: Store, slug: str, batch: str, at: datetime) -> int:
    """One pending urgent run for a moderator's `batch` of changes per channel subscribed to the situation (not
    per subscription: a channel with two digest times still gets it once); returns how many were queued."""
    runs = RunStore(store)
    count = 0
    by_channel = {s.channel: s for s in reversed(await SubscriptionStore(store).subscriptions(slug=slug))}
    for subscription in by_channel.values():
        created = await runs.claim(
            subscription.id,
            f"urgent:{batch}",
            kind="urgent",
            owner="",
            at=at,
            lease_until=None,
            batch=batch,
            status=PENDING,
        )
        count += created is not None
    return count
