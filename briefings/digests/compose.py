"""The one place a digest is built: the scheduled post, the urgent update, `/digest preview` and
`briefing digest` all come from here, so each carries the same text and the same chart."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from briefings.answers import changed, chart, digest
from briefings.answers.cards import fact_lines
from briefings.answers.common import local_time
from briefings.reply import Line, Reply, Section, line
from briefings.store import Store

WINDOW = timedelta(hours=24)
"""What a digest covers when its channel never got one before."""


def start_of(since: datetime | None, now: datetime) -> datetime:
    """Where a digest's changes begin: the channel's previous digest, else `WINDOW` before `now`."""
    return since or now - WINDOW


async def situation_digest(
    store: Store, slug: str, since: datetime | None, now: datetime, version: int | None = None
) -> Reply:
    """The digest of a situation at `now`, its times in the situation's zone: the changes since `since`
    (default `WINDOW`), and the toll over time when tolls changed. Shared by every channel that gets it:
    callers must not change it (`for_channel` makes a channel's copy)."""
    snapshot = await store.snapshot(slug, version)
    found = await changed.gather(store, snapshot, start_of(since, now), slice(0, digest.SHOWN_AT_MOST))
    reply = digest.answer(snapshot, found, now)
    if found.tolls:
        # tolls changed: the toll over time goes with it (drawn in a worker thread, like every chart)
        reply.image = (await asyncio.to_thread(chart.answer, snapshot)).image
    return reply


def for_channel(
    shared: Reply, since: datetime | None, now: datetime, zone: ZoneInfo | None, notes: Sequence[Line] = ()
) -> Reply:
    """A channel's copy of a shared digest or urgent update: its times in the channel's zone (if given), the
    notes first."""
    reply = digest.in_zone(shared, start_of(since, now), now, zone) if zone is not None else shared
    if notes:
        return replace(reply, sections=[Section(None, list(notes)), *reply.sections], renderings={})
    return replace(reply, sections=list(reply.sections))  # the same text: what renderers made of it still holds


def notes(
    zone: ZoneInfo, late_slot: datetime | None, since: datetime | None, skipped: Sequence[datetime]
) -> list[Line]:
    """What a posted digest says first: that it is late (`late_slot`: when it was due), and which earlier
    digests were never posted (`skipped` slots after `since`)."""
    said = []
    if late_slot is not None:
        said.append(line(f"Posted late: this digest was due {local_time(late_slot, zone)}."))
    missed = [slot for slot in skipped if since is None or slot > since]
    if missed:
        times = ", ".join(local_time(slot, zone) for slot in missed[-5:])
        more = f" and {len(missed) - 5} earlier" if len(missed) > 5 else ""
        said.append(
            line(f"Not posted while the bot was unavailable: {times}{more}. What changed since then is included below.")
        )
    return said


async def urgent_update(store: Store, slug: str, batch: str) -> Reply:
    """The urgent update for a moderator's batch of changes: the facts as now recorded."""
    revisions = await store.batch(slug, batch)
    snapshot = await store.snapshot(slug)
    lines = [ln for r in revisions for ln in fact_lines(snapshot, r.key, r.fact)]
    return Reply(
        f"Urgent update — {snapshot.situation.title}",
        [Section(None, lines)],
        line("/history ID for the full record"),
    )
