"""Digest runs. A run row per (subscription, key) is the exactly-once guarantee: only the process whose INSERT
created it (or that took over an expired lease) may post."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import and_, bindparam, or_, select, tuple_, update

from briefings.store.schema import runs
from briefings.store.store import Store
from briefings.store.upsert import dialect_insert

CLAIMED, POSTED, RETRY, FAILED, SKIPPED, PENDING = "claimed", "posted", "retry", "failed", "skipped", "pending"
CHUNK = 500
"""Rows per batched statement: well under the bound-parameter limits of SQLite and asyncpg."""
T = TypeVar("T")


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class NewRun:
    """A run row to create in a batch (see `RunStore.claim_many`)."""

    subscription_id: int
    key: str
    kind: str
    slot: datetime | None = None
    late: bool = False
    status: str = CLAIMED
    error: str | None = None


@dataclass(frozen=True)
class Posted:
    """A run's post that went out, to be recorded (see `RunStore.finish_posted`)."""

    run_id: int
    message_id: str
    posted_at: datetime


@dataclass(frozen=True)
class Run:
    id: int
    subscription_id: int
    key: str
    kind: str
    slot: datetime | None
    batch: str | None
    status: str
    attempts: int
    late: bool
    message_id: str | None
    created_at: datetime
    posted_at: datetime | None
    error: str | None


class RunStore:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.engine = store.engine

    def _insert(self) -> Any:
        return dialect_insert(self.engine.dialect.name)

    async def claim(
        self,
        subscription_id: int,
        key: str,
        *,
        kind: str,
        owner: str,
        at: datetime,
        lease_until: datetime | None,
        slot: datetime | None = None,
        batch: str | None = None,
        late: bool = False,
        status: str = CLAIMED,
    ) -> int | None:
        """Creates the run row; returns its id only to the one caller whose insert created it."""
        statement = (
            self._insert()(runs)
            .values(
                subscription_id=subscription_id,
                key=key,
                kind=kind,
                slot=slot,
                batch=batch,
                status=status,
                owner=owner,
                lease_until=lease_until,
                attempts=1 if status == CLAIMED else 0,
                late=late,
                created_at=at,
            )
            .on_conflict_do_nothing(index_elements=[runs.c.subscription_id, runs.c.key])
            .returning(runs.c.id)
        )
        async with self.store.writing() as db:
            created = await db.scalar(statement)
        return int(created) if created is not None else None

    async def claim_many(
        self, new: Sequence[NewRun], *, owner: str, at: datetime, lease_until: datetime | None
    ) -> dict[tuple[int, str], int]:
        """Creates many run rows at once (one transaction per CHUNK rows); returns the ids of the rows this call
        created, by (subscription id, key). As with `claim`, a row that exists already is left alone and not
        returned, so exactly one caller gets each. Rows go in (subscription id, key) order, so two processes
        claiming overlapping batches on PostgreSQL wait for each other instead of deadlocking."""
        created: dict[tuple[int, str], int] = {}
        ordered = sorted(new, key=lambda n: (n.subscription_id, n.key))
        for part in chunks(ordered):
            values = [
                {
                    "subscription_id": n.subscription_id,
                    "key": n.key,
                    "kind": n.kind,
                    "slot": n.slot,
                    "batch": None,
                    "status": n.status,
                    "owner": owner,
                    "lease_until": lease_until if n.status == CLAIMED else None,
                    "attempts": 1 if n.status == CLAIMED else 0,
                    "late": n.late,
                    "error": n.error,
                    "created_at": at,
                }
                for n in part
            ]
            statement = (
                self._insert()(runs)
                .values(values)
                .on_conflict_do_nothing(index_elements=[runs.c.subscription_id, runs.c.key])
                .returning(runs.c.id, runs.c.subscription_id, runs.c.key)
            )
            async with self.store.writing() as db:
                rows = (await db.execute(statement)).all()
            created.update({(row.subscription_id, row.key): int(row.id) for row in rows})
        return created

    async def takeable(self, at: datetime) -> list[Run]:
        """Runs another process may take: pending, due for a retry, or claimed with an expired lease."""
        condition = or_(
            runs.c.status == PENDING,
            and_(runs.c.status == RETRY, runs.c.next_attempt <= at),
            and_(runs.c.status == CLAIMED, runs.c.lease_until < at),
        )
        return await self._runs(condition)

    async def take_many(self, taking: Sequence[Run], owner: str, lease_until: datetime) -> set[int]:
        """Takes over runs (one transaction per CHUNK), each only if it is still in the state it was read in;
        returns the ids of the runs this call took. On PostgreSQL the rows are locked in id order first,
        so two processes taking overlapping sets wait for each other instead of deadlocking."""
        taken: set[int] = set()
        ordered = sorted(taking, key=lambda run: run.id)
        for part in chunks(ordered):
            ids = [run.id for run in part]
            states = [(run.id, run.status, run.attempts) for run in part]
            statement = (
                update(runs)
                .where(tuple_(runs.c.id, runs.c.status, runs.c.attempts).in_(states))
                .values(status=CLAIMED, owner=owner, lease_until=lease_until, attempts=runs.c.attempts + 1)
                .returning(runs.c.id)
            )
            async with self.store.writing() as db:
                if self.engine.dialect.name == "postgresql":
                    await db.execute(select(runs.c.id).where(runs.c.id.in_(ids)).order_by(runs.c.id).with_for_update())
                taken.update(int(run_id) for run_id in await db.scalars(statement))
        return taken

    async def finish(
        self,
        run_id: int,
        status: str,
        *,
        message_id: str | None = None,
        error: str | None = None,
        next_attempt: datetime | None = None,
        posted_at: datetime | None = None,
    ) -> None:
        async with self.store.writing() as db:
            await db.execute(
                update(runs)
                .where(runs.c.id == run_id)
                .values(
                    status=status,
                    message_id=message_id,
                    error=error,
                    next_attempt=next_attempt,
                    posted_at=posted_at,
                    lease_until=None,
                )
            )

    async def finish_posted(self, posted: Sequence[Posted], owner: str) -> None:
        """Marks many runs posted in one transaction (per CHUNK); only runs still claimed by `owner` (a run whose
        lease ran out and was taken over is the new owner's to finish)."""
        statement = (
            update(runs)
            .where(runs.c.id == bindparam("run_id"), runs.c.owner == owner, runs.c.status == CLAIMED)
            .values(
                status=POSTED,
                message_id=bindparam("posted_message_id"),
                posted_at=bindparam("posted_posted_at"),
                error=None,
                next_attempt=None,
                lease_until=None,
            )
        )
        for part in chunks(posted):
            params = [
                {"run_id": p.run_id, "posted_message_id": p.message_id, "posted_posted_at": p.posted_at} for p in part
            ]
            async with self.store.writing() as db:
                await db.execute(statement, params)

    async def _runs(self, condition: Any) -> list[Run]:
        async with self.store.reading() as db:
            rows = (await db.execute(select(runs).where(condition).order_by(runs.c.id))).all()
        return [run_from_row(row) for row in rows]


def run_from_row(row: Any) -> Run:
    return Run(
        row.id,
        row.subscription_id,
        row.key,
        row.kind,
        row.slot,
        row.batch,
        row.status,
        row.attempts,
        row.late,
        row.message_id,
        row.created_at,
        row.posted_at,
        row.error,
    )
