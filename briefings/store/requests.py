"""The ledger of moderators' requests already taken: the same request seen again (a replayed signed request, a
form submitted twice, an interaction delivered twice) is recognised by every instance sharing the database.

A request is claimed (INSERT ... ON CONFLICT DO NOTHING) before it runs, so of two copies arriving together only
one runs; its result (the ids it wrote) is kept once it is done. A request that changed nothing is released, so
a corrected form can be submitted again. Entries are kept `KEEP` (longer than any platform lets a request be
sent again: Slack's signatures last 5 minutes, Discord's interaction tokens 15) and then pruned.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update

from briefings.clock import now
from briefings.store.schema import requests
from briefings.store.store import Store
from briefings.store.upsert import dialect_insert

KEEP = timedelta(hours=1)


@dataclass(frozen=True)
class Taken:
    """A request taken before: when, by whom, and what it wrote (None while it is still running)."""

    received_at: datetime
    caller: str
    result: str | None


def hashed(key: str) -> str:
    """The stored form of a request key: fixed length, and no platform id kept in the clear."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


class RequestLedger:
    def __init__(self, store: Store, keep: timedelta = KEEP) -> None:
        self.store = store
        self.keep = keep

    def _insert(self) -> Any:
        return dialect_insert(self.store.engine.dialect.name)

    async def claim(self, key: str, caller: str, at: datetime | None = None) -> Taken | None:
        """None when this call took the request (run it, then `done` or `release`); else the earlier taking.
        Prunes entries older than `keep` on the way."""
        at = at or now()
        statement = (
            self._insert()(requests)
            .values(key=hashed(key), caller=caller, received_at=at, result=None)
            .on_conflict_do_nothing(index_elements=[requests.c.key])
            .returning(requests.c.key)
        )
        async with self.store.writing() as db:
            await db.execute(delete(requests).where(requests.c.received_at < at - self.keep))
            if await db.scalar(statement) is not None:
                return None
            row = (
                await db.execute(
                    select(requests.c.received_at, requests.c.caller, requests.c.result).where(
                        requests.c.key == hashed(key)
                    )
                )
            ).first()
        if row is None:  # pruned between the two statements: cannot happen within one transaction
            return None
        return Taken(row.received_at, row.caller, row.result)

    async def done(self, key: str, result: str) -> None:
        """Records what the request wrote; it stays taken."""
        async with self.store.writing() as db:
            await db.execute(update(requests).where(requests.c.key == hashed(key)).values(result=result))

    async def release(self, key: str) -> None:
        """Forgets a request that changed nothing (refused or invalid), so it may be sent again corrected."""
        async with self.store.writing() as db:
            await db.execute(delete(requests).where(requests.c.key == hashed(key), requests.c.result.is_(None)))
