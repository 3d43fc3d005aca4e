"""What `/whatchanged` and the digest read besides the current state: only for the few facts they show."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from briefings.revisions import Revision
from briefings.store.schema import facts, revisions, situations
from briefings.store.store import Store


async def around(store: Store, slug: str, keys: Collection[str], since: datetime) -> dict[str, list[Revision]]:
    """For each of `keys`: its first revision, the one it stood at `since` (if it existed then) and its latest,
    oldest first."""
    if not keys:
        return {}
    earlier, last = aliased(revisions), aliased(revisions)
    stood = (
        select(func.max(earlier.c.number))
        .where(earlier.c.fact_id == revisions.c.fact_id, earlier.c.at <= since)
        .scalar_subquery()
    )
    latest = select(func.max(last.c.number)).where(last.c.fact_id == revisions.c.fact_id).scalar_subquery()
    found: dict[str, list[Revision]] = {}
    ids = select(facts.c.id).join(situations, situations.c.id == facts.c.situation_id)
    async with store.reading() as db:
        owners = list((await db.execute(ids.where(situations.c.slug == slug, facts.c.key.in_(list(keys))))).scalars())
    # by fact id, so every planner reads only these facts' revisions (by the (fact, number) index)
    wanted = (revisions.c.number == 1) | (revisions.c.number == stood) | (revisions.c.number == latest)
    condition = revisions.c.fact_id.in_(owners) & wanted
    for revision in await store._revisions(slug, condition):  # the store package's own reader
        found.setdefault(revision.key, []).append(revision)
    for revisions_of in found.values():
        revisions_of.sort(key=lambda r: r.number)
    return found


async def loaded_since(store: Store, slug: str, keys: Collection[str]) -> set[str]:
    """Of `keys` (facts first recorded since a time), those a situation file created: counted in what changed,
    not listed one by one."""
    if not keys:
        return set()
    query = (
        select(facts.c.key)
        .join(revisions, revisions.c.fact_id == facts.c.id)
        .join(situations, situations.c.id == facts.c.situation_id)
        .where(and_(situations.c.slug == slug, facts.c.key.in_(list(keys)), revisions.c.action == "load"))
        .where(revisions.c.number == 1)
    )
    async with store.reading() as db:
        return {row.key for row in await db.execute(query)}
