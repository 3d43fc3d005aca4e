"""The store: situations and their facts' append-only revisions, each channel's situation, and the current state
of each situation kept per process. The queries live beside it: `revision_reads`, `revision_writes`, `channels`."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from briefings.clock import now
from briefings.facts import Situation
from briefings.revisions import Change, Revision, decode
from briefings.snapshot import Snapshot
from briefings.store import channels, revision_reads
from briefings.store.database import WRITE, create_engine, migrate
from briefings.store.errors import NotFound
from briefings.store.quick import QuickReader, Unavailable
from briefings.store.revision_writes import Stamp, add_revision, append
from briefings.store.schema import facts, revisions, situations
from briefings.stored_form import from_stored, to_stored

if TYPE_CHECKING:  # the file loader (and YAML) is loaded only by what imports files
    from briefings.loader import SituationFile


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
            return [from_stored(Situation, data) for (data,) in rows]

    async def situation(self, slug: str) -> Situation:
        async with self.reading() as db:
            data = await db.scalar(select(situations.c.data).where(situations.c.slug == slug))
        if data is None:
            raise NotFound(f"no situation '{slug}'")
        return from_stored(Situation, data)

    async def import_situation(self, file: SituationFile, author: str, at: datetime | None = None) -> bool:
        """Adds a whole situation; False (and nothing written) when its slug already exists."""
        stamp = Stamp(at or now(), author, None, str(uuid.uuid4()), None)
        try:
            async with self.writing() as db:
                data = to_stored(file.situation, exclude_none=False)
                situation_id = await db.scalar(
                    insert(situations)
                    .values(slug=file.situation.slug, data=data, created_at=stamp.at)
                    .returning(situations.c.id)
                )
                for key, fact in file.facts.items():
                    await add_revision(db, situation_id, key, Change(fact, key, "load", new=True), stamp, new=True)
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
            rows = await revision_reads.revisions_after(db, head.id, cached.upto) if cached is not None else None
            if rows is None:
                cached = None  # nothing kept, or too much changed to patch: read every fact's latest revision
                rows = list((await db.execute(revision_reads.latest_revisions(head.id))).all())
            base = cached or Snapshot(from_stored(Situation, head.data))
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
        async with self.reading() as db:
            return await revision_reads.revisions_where(db, slug, condition)

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
        async with self.writing() as db:
            situation_id = await self.situation_id(db, slug, lock=True)
            await db.execute(
                update(situations).where(situations.c.id == situation_id).values(version=situations.c.version + 1)
            )
            # Stamped once the situation is locked, so times follow the order writes are made in.
            stamp = Stamp(at or now(), author, author_name, str(uuid.uuid4()), undoes)
            written = [await append(db, situation_id, change, stamp) for change in changes]
        return written

    # --- channels -----------------------------------------------------------------------------

    async def locate(self, channel: str, default: str = "") -> tuple[str, int]:
        """The situation a channel follows (else `default`, else the first one loaded) and its version now,
        in one read."""
        values = {"channel": channel, "default": default}
        head = await self._first(channels.LOCATE, values)
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
            await channels.choose(db, channel, situation_id, now(), by)
