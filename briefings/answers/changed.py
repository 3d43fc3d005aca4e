"""What changed since a time, as a reader means it: by when a fact was reported (its as-of), among what was
recorded since then; what was recorded since for earlier days is marked back-filled, not news.

Facts without a reported time (sources, places, actors) and the acts of correcting or retracting go by when
they were recorded. Worked out from the current state; the store is read only for the few facts shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from briefings.answers.latest import series_of
from briefings.facts import Fact, Sourced, Status, Toll
from briefings.snapshot import Snapshot, fact_order
from briefings.store import Revision, Store
from briefings.store.window import around, loaded_since
from briefings.when import When

TOLLS, LATE, CORRECTED, RETRACTED = "Tolls", "Recorded late, for earlier days", "Corrections", "Retracted"
ORDER = [TOLLS, "New events", "New measures", "New reactions", "New claims", CORRECTED, RETRACTED, LATE]
_PART_ENDS = {"morning": 12, "afternoon": 17, "evening": 21, "night": 24}


def reported_end(when: When, snapshot: Snapshot) -> datetime:
    """The latest instant `when` may mean, in the situation's time: a day's end, a part of a day's end."""
    zone = snapshot.situation.zone
    if when.month_only:
        first = when.day.replace(day=1)
        return datetime.combine((first + timedelta(days=32)).replace(day=1), time(), zone)
    if when.clock is not None:
        return datetime.combine(when.day, when.clock, zone)
    hours = _PART_ENDS[when.part.value] if when.part is not None else 24
    return datetime.combine(when.day, time(), zone) + timedelta(hours=hours)


def reported(fact: Fact) -> When | None:
    value = getattr(fact, "as_of", None) or getattr(fact, "when", None)
    return value if isinstance(value, When) else None


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
    """Newest first."""
    loaded: int = 0
    """Facts a situation file created since then: counted, not listed."""
    revisions: dict[str, list[Revision]] = field(default_factory=dict)
    """For facts shown that existed before or were retracted: where they stood then, and their latest revision."""


def work_out(snapshot: Snapshot, since: datetime, loaded: set[str]) -> Changes:
    """Every change since `since`, newest first, from the state alone."""
    items: list[Item] = []
    groups: dict[tuple[str | None, str, bool], list[str]] = {}
    for key, recorded in snapshot.recorded_at.items():
        revised = snapshot.revised_at.get(key, recorded)
        if revised <= since or (key in loaded and revised == recorded):
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
        end = reported_end(when, snapshot)
        late = end <= since
        if isinstance(fact, Toll):
            groups.setdefault((fact.place, series_of(snapshot, fact.sources[0]), late), []).append(key)
        else:
            items.append(Item(LATE if late else f"New {fact.kind}s", end, [key]))
    for (_, _, late), keys in groups.items():
        keys.sort(key=lambda k: _rank(snapshot, k))
        newest = snapshot.facts[keys[-1]]
        assert isinstance(newest, Toll)
        items.append(Item(LATE if late else TOLLS, reported_end(newest.as_of, snapshot), keys))
    items.sort(key=lambda item: (_tier(item), item.at, _order(item)), reverse=True)
    return Changes(since, items, len(loaded) - sum(1 for item in items if item.key in loaded))


def _tier(item: Item) -> int:
    """News first (what was reported since, corrections, retractions), then late entries, then new names."""
    return 0 if item.heading not in ORDER else 1 if item.heading == LATE else 2


def _order(item: Item) -> tuple[int, tuple[str, int]]:
    heading = ORDER.index(item.heading) if item.heading in ORDER else len(ORDER)
    return (-heading, fact_order(item.key))


def _rank(snapshot: Snapshot, key: str) -> tuple[tuple[date, int, int], datetime, tuple[str, int]]:
    fact = snapshot.facts[key]
    when = reported(fact)
    return (when.sort_key() if when else (date.min, 0, 0), snapshot.recorded_at[key], fact_order(key))


async def gather(store: Store, snapshot: Snapshot, since: datetime, shown: slice) -> Changes:
    """What changed since `since`, with the revisions needed to describe the items in `shown`."""
    slug = snapshot.situation.slug
    changes = work_out(snapshot, since, await loaded_since(store, slug, since))
    needed = {item.key for item in changes.items[shown] if item.heading in (CORRECTED, RETRACTED)}
    changes.revisions = await around(store, slug, needed, since)
    return changes
