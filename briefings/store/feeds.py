"""Feeds per situation and the entries read from them. An entry row per (feed, key) is the exactly-once
guarantee: only the process whose insert created it reads the entry, and announcing it is taken with a
conditional update (a lease), so of several processes exactly one reads and one announces each entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select, update

from briefings.ingest.model import Proposal
from briefings.store.proposals import insert_proposals
from briefings.store.schema import feed_entries, feeds
from briefings.store.store import Store
from briefings.store.upsert import dialect_insert
from briefings.values import field_names

CLAIMED, PROPOSED, ANNOUNCED, QUIET = "claimed", "proposed", "announced", "quiet"
"""Entry states: being read; proposals stored, announcement due; announced; nothing to announce."""


@dataclass(frozen=True)
class Feed:
    id: int
    slug: str
    url: str
    channel: str
    added_by: str
    added_at: datetime
    polled_at: datetime | None
    ok_at: datetime | None
    error: str | None
    entries: int


@dataclass(frozen=True)
class Entry:
    id: int
    feed_id: int
    key: str
    link: str | None
    title: str | None
    summary: str | None
    published: datetime | None
    status: str
    attempts: int
    proposals: str | None


class FeedStore:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def add(self, slug: str, url: str, channel: str, by: str, at: datetime) -> bool:
        """Follows a feed (again, if it was removed); False when the situation already follows it."""
        async with self.store.writing() as db:
            found = (await db.execute(select(feeds.c.id, feeds.c.active).where(*_same(slug, url)))).first()
            if found is not None:
                if found.active:
                    return False
                values = {"active": True, "channel": channel, "added_by": by, "added_at": at, "error": None}
                await db.execute(update(feeds).where(feeds.c.id == found.id).values(**values))
                return True
            insert = dialect_insert(self.store.engine.dialect.name)(feeds)
            values = {"slug": slug, "url": url, "channel": channel, "added_by": by, "added_at": at, "active": True}
            created = await db.scalar(insert.values(**values, entries=0).on_conflict_do_nothing().returning(feeds.c.id))
            return created is not None

    async def remove(self, slug: str, url: str) -> bool:
        """Stops following a feed (its entries stay known, so adding it again proposes nothing twice)."""
        async with self.store.writing() as db:
            done = await db.execute(
                update(feeds)
                .where(*_same(slug, url), feeds.c.active.is_(True))
                .values(active=False)
                .returning(feeds.c.id)
            )
            return done.first() is not None

    async def followed(self, slug: str | None = None) -> list[Feed]:
        """The feeds followed (by one situation, or all), oldest first."""
        query = select(feeds).where(feeds.c.active.is_(True)).order_by(feeds.c.id)
        if slug is not None:
            query = query.where(feeds.c.slug == slug)
        async with self.store.reading() as db:
            return [Feed(**_fields(row, Feed)) for row in (await db.execute(query)).all()]

    async def turn(self, feed_id: int, now: datetime, since: datetime) -> bool:
        """Takes this round's poll of the feed when nobody polled it after `since`, and marks it polled `now`:
        of several processes polling at about the same time, exactly one is told to fetch it."""
        async with self.store.writing() as db:
            taken = await db.execute(
                update(feeds)
                .where(feeds.c.id == feed_id, or_(feeds.c.polled_at.is_(None), feeds.c.polled_at <= since))
                .values(polled_at=now)
                .returning(feeds.c.id)
            )
            return taken.first() is not None

    async def polled(self, feed_id: int, at: datetime, error: str | None, entries: int | None = None) -> None:
        """Records a poll: its time, and the error that stopped it or (when it worked) the entries it saw."""
        values: dict[str, Any] = {"polled_at": at, "error": error}
        if error is None:
            values |= {"ok_at": at, "entries": entries or 0}
        async with self.store.writing() as db:
            await db.execute(update(feeds).where(feeds.c.id == feed_id).values(**values))

    async def claim(
        self, feed_id: int, key: str, data: dict[str, Any], owner: str, at: datetime, lease_until: datetime
    ) -> int | None:
        """Creates the entry's row, claimed by `owner`; its id, or None when the entry was seen before."""
        values = {"feed_id": feed_id, "key": key, "status": CLAIMED, "owner": owner, "lease_until": lease_until}
        values["created_at"] = at
        insert = dialect_insert(self.store.engine.dialect.name)(feed_entries)
        statement = (
            insert.values(**values, **data, attempts=0)
            .on_conflict_do_nothing(index_elements=[feed_entries.c.feed_id, feed_entries.c.key])
            .returning(feed_entries.c.id)
        )
        async with self.store.writing() as db:
            created = await db.scalar(statement)
        return int(created) if created is not None else None

    async def take(self, now: datetime, owner: str, lease_until: datetime) -> list[Entry]:
        """Entries left to read or announce whose lease ran out (an owner that died, a retry due), now `owner`'s."""
        due = and_(
            feed_entries.c.status.in_((CLAIMED, PROPOSED)),
            or_(feed_entries.c.lease_until.is_(None), feed_entries.c.lease_until < now),
        )
        async with self.store.writing() as db:
            ids = [row.id for row in (await db.execute(select(feed_entries.c.id).where(due).limit(100))).all()]
            if not ids:
                return []
            taken = await db.execute(
                update(feed_entries)
                .where(feed_entries.c.id.in_(ids), due)
                .values(owner=owner, lease_until=lease_until)
                .returning(*feed_entries.c)
            )
            return [Entry(**_fields(row, Entry)) for row in taken.all()]

    async def proposed(
        self, entry: Entry, feed: Feed, found: list[Proposal], *, owner: str, at: datetime, published: datetime
    ) -> list[int]:
        """Stores the entry's proposals and moves it on, in one transaction: to be announced, or quiet when it
        proposed nothing. Nothing is stored when `owner` no longer holds the entry."""
        async with self.store.writing() as db:
            mine = await db.execute(
                update(feed_entries)
                .where(feed_entries.c.id == entry.id, feed_entries.c.status == CLAIMED, feed_entries.c.owner == owner)
                .values(status=PROPOSED if found else QUIET)
                .returning(feed_entries.c.id)
            )
            if mine.first() is None:
                return []
            by = f"feed:{feed.id}"
            ids = await insert_proposals(
                db, feed.slug, found, published=published, by=by, at=at, url=entry.link, title=entry.title
            )
            if ids:
                listed = ",".join(map(str, ids))[:400]
                await db.execute(update(feed_entries).where(feed_entries.c.id == entry.id).values(proposals=listed))
            return ids

    async def announced(self, entry_id: int, owner: str, message_id: str | None, error: str | None = None) -> None:
        """Records the announcement (or, with `error` and no message, that there was nowhere to post it)."""
        status = ANNOUNCED if message_id else QUIET
        async with self.store.writing() as db:
            await db.execute(
                update(feed_entries)
                .where(feed_entries.c.id == entry_id, feed_entries.c.owner == owner)
                .values(status=status, message_id=message_id, error=error, owner=None, lease_until=None)
            )

    async def retry(self, entry_id: int, owner: str, error: str, at: datetime) -> None:
        """An announcement failed: released for another try at `at`."""
        async with self.store.writing() as db:
            await db.execute(
                update(feed_entries)
                .where(feed_entries.c.id == entry_id, feed_entries.c.owner == owner)
                .values(error=error, owner=None, lease_until=at, attempts=feed_entries.c.attempts + 1)
            )

    async def feed(self, feed_id: int) -> Feed | None:
        async with self.store.reading() as db:
            row = (await db.execute(select(feeds).where(feeds.c.id == feed_id))).first()
        return Feed(**_fields(row, Feed)) if row else None


def _same(slug: str, url: str) -> tuple[Any, Any]:
    return feeds.c.slug == slug, feeds.c.url == url


def _fields(row: Any, kind: type) -> dict[str, Any]:
    names = field_names(kind)
    return {name: value for name, value in row._mapping.items() if name in names}
