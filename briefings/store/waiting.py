"""How many proposed facts wait for review: one count, cheap enough for every brief (it needs nothing else of
the review queue)."""

from __future__ import annotations

from sqlalchemy import func, select

from briefings.store.schema import proposals
from briefings.store.store import Store


async def waiting(store: Store, slug: str) -> int:
    """The number of the situation's proposals still pending."""
    query = select(func.count()).where(proposals.c.slug == slug, proposals.c.status == "pending")
    async with store.reading() as db:
        return int(await db.scalar(query) or 0)
