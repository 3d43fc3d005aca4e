"""Writing revisions: each change appended as a fact's next revision (a new fact gets the next free id of its
kind), every one of a command's revisions stamped alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from briefings.facts import KIND_BY_PREFIX
from briefings.revisions import Change, Revision, encode
from briefings.store.errors import NotFound
from briefings.store.schema import facts, revisions


@dataclass(frozen=True)
class Stamp:
    """What every revision written by one command shares."""

    at: datetime
    author: str
    author_name: str | None
    batch: str
    undoes: str | None


async def append(db: AsyncConnection, situation_id: int, change: Change, stamp: Stamp) -> Revision:
    """Appends one change as a revision; a change without a key gets the next free id of its kind."""
    key = change.key or await next_key(db, situation_id, change.fact.prefix)
    number = await add_revision(db, situation_id, key, change, stamp, new=change.new or change.key is None)
    return Revision(
        key,
        number,
        stamp.at,
        stamp.author,
        change.action,
        change.reason,
        stamp.batch,
        change.fact,
        stamp.author_name,
        stamp.undoes,
    )


async def next_key(db: AsyncConnection, situation_id: int, prefix: str) -> str:
    keys = await db.scalars(
        select(facts.c.key).where(facts.c.situation_id == situation_id, facts.c.key.like(f"{prefix}%"))
    )
    numbers = [int(k[1:]) for k in keys if k[1:].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1}"


async def add_revision(
    db: AsyncConnection, situation_id: int, key: str, change: Change, stamp: Stamp, *, new: bool
) -> int:
    """Appends one revision (creating the fact first when `new`); returns its number."""
    fact = change.fact
    if new:
        if KIND_BY_PREFIX.get(key[:1]) is not type(fact):
            raise ValueError(f"id '{key}' does not fit a {fact.kind}")
        fact_id = await db.scalar(
            insert(facts)
            .values(situation_id=situation_id, key=key, kind=fact.kind, created_at=stamp.at)
            .returning(facts.c.id)
        )
        number = 1
    else:
        row = (
            await db.execute(
                select(facts.c.id, facts.c.kind).where(facts.c.situation_id == situation_id, facts.c.key == key)
            )
        ).first()
        if row is None:
            raise NotFound(f"no fact '{key}'")
        if row.kind != fact.kind:
            raise ValueError(f"'{key}' is a {row.kind}, not a {fact.kind}")
        fact_id = row.id
        last = await db.scalar(select(func.max(revisions.c.number)).where(revisions.c.fact_id == fact_id))
        number = int(last or 0) + 1
    await db.execute(
        insert(revisions).values(
            fact_id=fact_id,
            number=number,
            at=stamp.at,
            author=stamp.author,
            author_name=stamp.author_name,
            action=change.action,
            reason=change.reason,
            batch=stamp.batch,
            undoes=stamp.undoes,
            data=encode(fact),
        )
    )
    return number
