"""What changed since a time, as a reader means it: by when a fact was reported (its as-of), among what was
recorded since then; what was recorded since for earlier days is marked back-filled, not news.

Facts without a reported time (sources, places, actors) and the acts of correcting or retracting go by when
they were recorded. Worked out from the current state; the store is read only for the few facts shown."""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from briefings.answers.latest import series_of
from briefings.facts import Claim, Event, Fact, Measure, Reaction, Sourced, Status, Toll
from briefings.revisions import Revision
from briefings.snapshot import Snapshot, fact_order
from briefings.store import Store
from briefings.store.window import around, loaded_since
from briefings.when import When

TOLLS, LATE, CORRECTED, RETRACTED = "Tolls", "Recorded late, for earlier days", "Corrections", "Retracted"
ORDER = [TOLLS, "New events", "New measures", "New reactions", "New claims", CORRECTED, RETRACTED, LATE]
_PLACE = {heading: number for number, heading in enumerate(ORDER)}
_PART_ENDS = {"morning": 12, "afternoon": 17, "evening": 21, "night": 24}


def reported_end(when: When, zone: ZoneInfo) -> datetime:
    """The latest instant `when` may mean, in the situation's time (`zone`): a day's end, a part of a day's end."""
    if when.month_only:
        first = when.day.replace(day=1)
        return datetime.combine((first + timedelta(days=32)).replace(day=1), time(), zone)
    if when.clock is not None:
        return datetime.combine(when.day, when.clock, zone)
    hours = _PART_ENDS[when.part.value] if when.part is not None else 24
    return datetime.combine(when.day, time(), zone) + timedelta(hours=hours)


def reported(fact: Fact) -> When | None:
    """When a fact was reported (a toll's as-of, an event's or a statement's date); None for names."""
    if isinstance(fact, Toll):
        return fact.as_of
    return fact.when if isinstance(fact, Event | Measure | Reaction | Claim) else None


@dataclass
class Item:
    """One line of what changed: a source's tolls for one place, or one fact."""

    heading: str
    at: datetime
    keys: list[str]
    """For a source's tolls, its claims recorded since (newest last); else the one fact."""

    @property
    def key(self) -> str:
        return self.keys[-1]


@dataclass
class Changes:
    since: datetime
    items: list[Item]
    """The newest first (as many as were asked for)."""
    total: int = 0
    """How many there are in all."""
    tolls: bool = False
    """Whether any toll changed."""
    loaded: int = 0
    """Facts a situation file created since then: counted, not listed."""
    revisions: dict[str, list[Revision]] = field(default_factory=dict)
    """For facts shown that existed before or were retracted: where they stood then, and their latest revision."""


def work_out(snapshot: Snapshot, since: datetime, loaded: set[str], first: int) -> Changes:
    """The `first` changes since `since`, newest first, and how many there are, from the state alone."""
    zone = snapshot.situation.zone
    items: list[Item] = []
    groups: dict[tuple[str | None, str, bool], list[str]] = {}
    for key, revised in snapshot.revised_at.items():
        if revised <= since:
            continue
        recorded = snapshot.recorded_at.get(key, revised)
        if key in loaded and revised == recorded:
            continue
        fact = snapshot.facts[key]
        retracted = fact.status is Status.retracted
        if recorded <= since or retracted or key in loaded:
            items.append(Item(RETRACTED if retracted else CORRECTED, revised, [key]))
            continue
        when = reported(fact)
        if when is None or not isinstance(fact, Sourced):
            items.append(Item(f"New {fact.kind}s", recorded, [key]))
            continue
        end = reported_end(when, zone)
        late = end <= since
        if isinstance(fact, Toll):
            groups.setdefault((fact.place, series_of(snapshot, fact.sources[0]), late), []).append(key)
        else:
            items.append(Item(LATE if late else f"New {fact.kind}s", end, [key]))
    for (_, _, late), keys in groups.items():
        keys.sort(key=lambda k: _rank(snapshot, k))
        newest = snapshot.facts[keys[-1]]
        assert isinstance(newest, Toll)
        items.append(Item(LATE if late else TOLLS, reported_end(newest.as_of, zone), keys))
    top = heapq.nlargest(first, items, key=lambda item: (_tier(item), item.at, _order(item)))
    unlisted = len(loaded) - sum(1 for item in items if item.key in loaded)
    tolls = bool(groups) or any(isinstance(snapshot.facts[item.key], Toll) for item in items)
    return Changes(since, top, total=len(items), tolls=tolls, loaded=unlisted)


def _tier(item: Item) -> int:
    """News first (what was reported since, corrections, retractions), then late entries, then new names."""
    return 0 if item.heading not in ORDER else 1 if item.heading == LATE else 2


def _order(item: Item) -> tuple[int, tuple[str, int]]:
    return (-_PLACE.get(item.heading, len(ORDER)), fact_order(item.key))


def _rank(snapshot: Snapshot, key: str) -> tuple[tuple[date, int, int], datetime, tuple[str, int]]:
    fact = snapshot.facts[key]
    when = reported(fact)
    return (when.sort_key() if when else (date.min, 0, 0), snapshot.recorded_at[key], fact_order(key))


async def gather(store: Store, snapshot: Snapshot, since: datetime, shown: slice) -> Changes:
    """What changed since `since`, with the revisions needed to describe the items in `shown`."""
    slug = snapshot.situation.slug
    new = [key for key, recorded in snapshot.recorded_at.items() if recorded > since]
    changes = work_out(snapshot, since, await loaded_since(store, slug, new), shown.stop or 0)
    needed = {item.key for item in changes.items[shown] if item.heading in (CORRECTED, RETRACTED)}
    changes.revisions = await around(store, slug, needed, since)
    return changes
