"""The store: situations, facts and their append-only revisions, and each channel's situation."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, String, bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from briefings.clock import now
from briefings.facts import KIND_BY_PREFIX, Situation
from briefings.revisions import Change, Revision, decode, encode
from briefings.snapshot import Snapshot
from briefings.store.database import WRITE, create_engine, migrate
from briefings.store.quick import QuickReader, Unavailable
from briefings.store.schema import channels, facts, revisions, situations
from briefings.store.upsert import dialect_insert

if TYPE_CHECKING:  # the file loader (and YAML) is loaded only by what imports files
    from briefings.loader import SituationFile


class NotFound(LookupError):
    """A situation or fact that does not exist."""


@dataclass(frozen=True)
class Stamp:
    """What every revision written by one command shares."""

    at: datetime
    author: str
    author_name: str | None
    batch: str
    undoes: str | None


LOCATE = select(situations.c.slug, situations.c.version).where(
    situations.c.id
    == func.coalesce(
        select(channels.c.situation_id).where(channels.c.channel == bindparam("channel")).scalar_subquery(),
        select(situations.c.id)
        .where((bindparam("default", type_=String) == "") | (situations.c.slug == bindparam("default", type_=String)))
        .order_by(situations.c.id)
        .limit(1)
        .scalar_subquery(),
    )
)
"""A channel's situation (its own choice, else the default, else the first loaded) and its version."""


def _latest_revisions(situation_id: int) -> Select[Any]:
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


PATCH_AT_MOST = 2000
"""Newer revisions a kept snapshot is patched with; past that, it is read afresh."""


async def _revisions_after(db: AsyncConnection, situation_id: int, upto: int) -> list[Any] | None:
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


class Store:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._quick = QuickReader.open(engine)
        self._snapshots: dict[str, Snapshot] = {}
        """The newest snapshot read of each situation (any write raises the situation's version)."""

    @classmethod
    async def open(cls, url: str) -> Store:
        """Connects and applies any pending migrations."""
        engine = create_engine(url)
        await migrate(engine)
        return cls(engine)

    async def close(self) -> None:
        if self._quick:
            self._quick.close()
        await self.engine.dispose()

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncConnection]:
        async with self.engine.connect() as connection, connection.begin():
            yield connection

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[AsyncConnection]:
        async with self.engine.connect() as connection:
            connection = await connection.execution_options(**{WRITE: True})
            async with connection.begin():
                yield connection

    # --- situations -------------------------------------------------------------------------

    async def situations(self) -> list[Situation]:
        async with self.reading() as db:
            rows = await db.execute(select(situations.c.data).order_by(situations.c.id))
            return [Situation.model_validate(data) for (data,) in rows]

    async def situation(self, slug: str) -> Situation:
        async with self.reading() as db:
            data = await db.scalar(select(situations.c.data).where(situations.c.slug == slug))
        if data is None:
            raise NotFound(f"no situation '{slug}'")
        return Situation.model_validate(data)

    async def import_situation(self, file: SituationFile, author: str, at: datetime | None = None) -> bool:
        """Adds a whole situation; False (and nothing written) when its slug already exists."""
        stamp = Stamp(at or now(), author, None, str(uuid.uuid4()), None)
        try:
            async with self.writing() as db:
                situation_id = await db.scalar(
                    insert(situations)
                    .values(slug=file.situation.slug, data=file.situation.model_dump(mode="json"), created_at=stamp.at)
                    .returning(situations.c.id)
                )
                for key, fact in file.facts.items():
                    await self._add_revision(
                        db, situation_id, key, Change(fact, key, "load", new=True), stamp, new=True
                    )
        except IntegrityError:
            return False
        return True

    async def has_situations(self) -> bool:
        async with self.reading() as db:
            return bool(await db.scalar(select(func.count()).select_from(situations)))

    async def situation_id(self, db: AsyncConnection, slug: str, *, lock: bool = False) -> int:
        query = select(situations.c.id).where(situations.c.slug == slug)
        if lock:
            query = query.with_for_update()
        situation_id = await db.scalar(query)
        if situation_id is None:
            raise NotFound(f"no situation '{slug}'")
        return int(situation_id)

    # --- facts --------------------------------------------------------------------------------

    async def snapshot(self, slug: str, seen: int | None = None) -> Snapshot:
        """Every fact of the situation as its latest revision left it.

        Shared and kept per process, never changed (`Snapshot.revised` makes the next state). While the situation's
        version is unchanged the same snapshot is returned; after a write only the newer revisions are read and
        applied.
        `seen`: a version just read (by `locate`); a kept snapshot at least that new is returned unread."""
        cached = self._snapshots.get(slug)
        if cached is not None and seen is not None and cached.version >= seen:
            return cached
        async with self.reading() as db:
            head = (
                await db.execute(
                    select(situations.c.id, situations.c.data, situations.c.version).where(situations.c.slug == slug)
                )
            ).first()
            if head is None:
                raise NotFound(f"no situation '{slug}'")
            if cached is not None and cached.version == head.version:
                return cached
            rows = await _revisions_after(db, head.id, cached.upto) if cached is not None else None
            if rows is None:
                cached = None  # nothing kept, or too much changed to patch: read every fact's latest revision
                rows = list((await db.execute(_latest_revisions(head.id))).all())
            base = cached or Snapshot(Situation.model_validate(head.data))
        snapshot = base.revised(
            ((key, decode(kind, data), created_at, at) for _, key, kind, created_at, at, data in rows),
            head.version,
            max((row[0] for row in rows), default=0),
        )
        if cached is None or cached.version < head.version:
            self._snapshots[slug] = snapshot
        return snapshot

    async def history(self, slug: str, key: str) -> list[Revision]:
        """Every revision of one fact, oldest first."""
        rows = await self._revisions(slug, facts.c.key == key)
        if not rows:
            raise NotFound(f"no fact '{key}' in '{slug}'")
        return sorted(rows, key=lambda r: r.number)

    async def revisions_since(self, slug: str, since: datetime) -> list[Revision]:
        """Every revision recorded after `since`, oldest first."""
        return await self._revisions(slug, revisions.c.at > since)

    async def batch(self, slug: str, batch: str) -> list[Revision]:
        """The revisions one command wrote."""
        return await self._revisions(slug, revisions.c.batch == batch)

    async def all_revisions(self, slug: str) -> list[Revision]:
        return await self._revisions(slug, True)

    async def last_batch(self, slug: str, author: str) -> list[Revision]:
        """The author's most recent command that changed facts and has not been undone (undos excluded)."""
        undone = select(revisions.c.undoes).where(revisions.c.undoes.is_not(None))
        candidates = await self._revisions(
            slug,
            (revisions.c.author == author) & revisions.c.undoes.is_(None) & revisions.c.batch.not_in(undone),
        )
        if not candidates:
            return []
        last = candidates[-1].batch
        return [r for r in candidates if r.batch == last]

    async def _revisions(self, slug: str, condition: Any) -> list[Revision]:
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
        async with self.reading() as db:
            rows = (await db.execute(query)).all()
        return [
            Revision(key, number, at, author, action, reason, batch, decode(kind, data), author_name, undoes)
            for key, kind, number, at, author, action, reason, batch, data, author_name, undoes in rows
        ]

    async def write(
        self,
        slug: str,
        changes: Sequence[Change],
        author: str,
        *,
        author_name: str | None = None,
        undoes: str | None = None,
        at: datetime | None = None,
    ) -> list[Revision]:
        """Writes all changes in one transaction (all or nothing) and returns the new revisions.
        New facts (`key` None) get the next free id of their kind."""
        written: list[Revision] = []
        async with self.writing() as db:
            situation_id = await self.situation_id(db, slug, lock=True)
            await db.execute(
                update(situations).where(situations.c.id == situation_id).values(version=situations.c.version + 1)
            )
            # Stamped once the situation is locked, so times follow the order writes are made in.
            stamp = Stamp(at or now(), author, author_name, str(uuid.uuid4()), undoes)
            for change in changes:
                key = change.key or await self._next_key(db, situation_id, change.fact.prefix)
                new = change.new or change.key is None
                number = await self._add_revision(db, situation_id, key, change, stamp, new=new)
                written.append(
                    Revision(
                        key,
                        number,
                        stamp.at,
                        author,
                        change.action,
                        change.reason,
                        stamp.batch,
                        change.fact,
                        author_name,
                        undoes,
                    )
                )
        return written

    async def _next_key(self, db: AsyncConnection, situation_id: int, prefix: str) -> str:
        keys = await db.scalars(
            select(facts.c.key).where(facts.c.situation_id == situation_id, facts.c.key.like(f"{prefix}%"))
        )
        numbers = [int(k[1:]) for k in keys if k[1:].isdigit()]
        return f"{prefix}{max(numbers, default=0) + 1}"

    async def _add_revision(
        self, db: AsyncConnection, situation_id: int, key: str, change: Change, stamp: Stamp, *, new: bool
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

    # --- channels -----------------------------------------------------------------------------

    async def channel_situation(self, channel: str) -> str | None:
        async with self.reading() as db:
            slug = await db.scalar(
                select(situations.c.slug)
                .join(channels, channels.c.situation_id == situations.c.id)
                .where(channels.c.channel == channel)
            )
        return str(slug) if slug else None

    async def locate(self, channel: str, default: str = "") -> tuple[str, int]:
        """The situation a channel follows (else `default`, else the first one loaded) and its version now,
        in one read."""
        values = {"channel": channel, "default": default}
        head = await self._first(LOCATE, values)
        if head is None:
            raise NotFound(f"no situation '{default}'" if default else "no situation loaded yet")
        return str(head[0]), int(head[1])

    async def _first(self, query: Select[Any], values: dict[str, Any]) -> tuple[Any, ...] | None:
        """One small read: in place on SQLite (see `QuickReader`), else through the engine."""
        if self._quick is not None:
            try:
                return self._quick.first(query, **values)
            except Unavailable:
                pass
        async with self.reading() as db:
            row = (await db.execute(query, values)).first()
        return tuple(row) if row is not None else None

    async def set_channel_situation(self, channel: str, slug: str, by: str) -> None:
        async with self.writing() as db:
            situation_id = await self.situation_id(db, slug)
            values = {"channel": channel, "situation_id": situation_id, "updated_at": now(), "updated_by": by}
            statement = dialect_insert(self.engine.dialect.name)(channels).values(**values)
            await db.execute(
                statement.on_conflict_do_update(
                    index_elements=[channels.c.channel],
                    set_={k: statement.excluded[k] for k in ("situation_id", "updated_at", "updated_by")},
                )
            )
