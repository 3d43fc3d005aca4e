"""The review queue: facts proposed from articles, each pending until one moderator accepts or rejects it.

A decision is taken with a conditional update (only a pending proposal changes), so of two moderators deciding
at once, on one instance or several, exactly one decides."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from briefings.ingest.model import Proposal
from briefings.store.schema import proposals
from briefings.store.store import Store

PENDING, ACCEPTED, REJECTED = "pending", "accepted", "rejected"
TAKING = "taking"
"""Accepted by a moderator whose command is still running (back to pending if it records nothing)."""


@dataclass(frozen=True)
class Queued:
    """A stored proposal and what became of it."""

    id: int
    slug: str
    proposal: Proposal
    url: str | None
    title: str | None
    published: datetime
    status: str
    proposed_by: str
    decided_by: str | None
    decided_at: datetime | None
    written: str | None


class ProposalQueue:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def add(
        self,
        slug: str,
        found: list[Proposal],
        *,
        published: datetime,
        by: str,
        at: datetime,
        url: str | None = None,
        title: str | None = None,
    ) -> list[int]:
        """Stores proposals as pending, in order; their ids."""
        async with self.store.writing() as db:
            return await insert_proposals(db, slug, found, published=published, by=by, at=at, url=url, title=title)

    async def pending(self, slug: str) -> list[Queued]:
        """The situation's pending proposals, oldest first."""
        query = proposals.select().where(proposals.c.slug == slug, proposals.c.status == PENDING)
        async with self.store.reading() as db:
            rows = (await db.execute(query.order_by(proposals.c.id))).all()
        return [_queued(row) for row in rows]

    async def get(self, slug: str, id: int) -> Queued | None:
        query = select(proposals).where(proposals.c.slug == slug, proposals.c.id == id)
        async with self.store.reading() as db:
            row = (await db.execute(query)).first()
        return _queued(row) if row else None

    async def move(
        self, id: int, old: str, new: str, by: str | None, at: datetime | None, written: str | None = None
    ) -> bool:
        """Moves a proposal from status `old` to `new`; False when it was not in `old` (someone else decided)."""
        statement = (
            update(proposals)
            .where(proposals.c.id == id, proposals.c.status == old)
            .values(status=new, decided_by=by, decided_at=at, written=written)
            .returning(proposals.c.id)
        )
        async with self.store.writing() as db:
            return await db.scalar(statement) is not None


async def insert_proposals(
    db: AsyncConnection,
    slug: str,
    found: list[Proposal],
    *,
    published: datetime,
    by: str,
    at: datetime,
    url: str | None = None,
    title: str | None = None,
) -> list[int]:
    """Inserts proposals as pending within the caller's transaction; their ids, in order."""
    ids: list[int] = []
    for proposal in found:
        values = {
            "slug": slug,
            "kind": proposal.kind,
            "proposal": proposal.to_json(),
            "evidence": proposal.evidence,
            "spans": [list(span) for span in proposal.spans],
            "url": url,
            "title": title,
            "published": published,
            "status": PENDING,
            "proposed_by": by,
            "proposed_at": at,
        }
        ids.append(int(await db.scalar(insert(proposals).values(**values).returning(proposals.c.id))))
    return ids


def _queued(row: object) -> Queued:
    r = row._mapping  # type: ignore[attr-defined]
    return Queued(
        r["id"],
        r["slug"],
        Proposal.from_json(r["proposal"]),
        r["url"],
        r["title"],
        r["published"],
        r["status"],
        r["proposed_by"],
        r["decided_by"],
        r["decided_at"],
        r["written"],
    )
