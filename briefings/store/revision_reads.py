"""Reading revisions: each fact's latest one (a situation's current state), the ones written since a known
point (to patch a kept snapshot), and the full rows for history and change lists."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from briefings.revisions import Revision, decode
from briefings.store.schema import facts, revisions, situations

PATCH_AT_MOST = 2000
"""Newer revisions a kept snapshot is patched with; past that, it is read afresh."""


def latest_revisions(situation_id: int) -> Select[Any]:
    """Each fact's latest revision (id, key, kind, first recorded, revised, data)."""
    latest = (
        select(func.max(revisions.c.id).label("id"))
        .join(facts, facts.c.id == revisions.c.fact_id)
        .where(facts.c.situation_id == situation_id)
        .group_by(revisions.c.fact_id)
        .subquery()
    )
    return (
        select(revisions.c.id, facts.c.key, facts.c.kind, facts.c.created_at, revisions.c.at, revisions.c.data)
        .join(facts, facts.c.id == revisions.c.fact_id)
        .where(revisions.c.id.in_(select(latest.c.id)))
    )


async def revisions_after(db: AsyncConnection, situation_id: int, upto: int) -> list[Any] | None:
    """The situation's revisions written after revision `upto`, in the order they were written (id, key, kind,
    first recorded, revised, data); None if there are more than PATCH_AT_MOST. Newer revisions are found by id
    and their facts by id, two lookups every planner makes by primary key whatever the tables' size."""
    newer = (
        await db.execute(
            select(revisions.c.id, revisions.c.fact_id, revisions.c.at, revisions.c.data)
            .where(revisions.c.id > upto)
            .order_by(revisions.c.id)
            .limit(PATCH_AT_MOST + 1)
        )
    ).all()
    if len(newer) > PATCH_AT_MOST:
        return None
    owners = {
        row.id: row
        for row in await db.execute(
            select(facts.c.id, facts.c.key, facts.c.kind, facts.c.created_at, facts.c.situation_id).where(
                facts.c.id.in_({r.fact_id for r in newer})
            )
        )
        if row.situation_id == situation_id
    }
    return [
        (r.id, owner.key, owner.kind, owner.created_at, r.at, r.data)
        for r in newer
        if (owner := owners.get(r.fact_id)) is not None
    ]


async def revisions_where(db: AsyncConnection, slug: str, condition: Any) -> list[Revision]:
    """The situation's revisions that meet `condition`, in the order they were recorded."""
    query = (
        select(
            facts.c.key,
            facts.c.kind,
            revisions.c.number,
            revisions.c.at,
            revisions.c.author,
            revisions.c.action,
            revisions.c.reason,
            revisions.c.batch,
            revisions.c.data,
            revisions.c.author_name,
            revisions.c.undoes,
        )
        .join(facts, facts.c.id == revisions.c.fact_id)
        .join(situations, situations.c.id == facts.c.situation_id)
        .where(situations.c.slug == slug, condition)
        .order_by(revisions.c.at, revisions.c.fact_id, revisions.c.number)
    )
    return [
        Revision(key, number, at, author, action, reason, batch, decode(kind, data), author_name, undoes)
        for key, kind, number, at, author, action, reason, batch, data, author_name, undoes in await db.execute(query)
    ]
