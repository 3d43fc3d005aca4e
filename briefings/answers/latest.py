"""Each source's latest toll claim per place and category, kept up to date as revisions arrive.

Claims are grouped by place and series: a source's own figures, with those of sources that announce its count
(`Source.speaks_for`). Worked out once for a situation, then patched for each write: only the (place, series)
groups a changed toll was or is in are looked at again, so an answer after a write costs what changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from briefings.facts import Fact, Source, Status, Toll
from briefings.snapshot import Snapshot, fact_order

Entry = tuple[str, Toll]
Group = tuple[str | None, str]
"""(place or None for the whole situation, the series: the source whose count the claim gives)."""
Rank = tuple[tuple[date, int, int], datetime, tuple[str, int]]
EARLIEST = datetime.min.replace(tzinfo=UTC)


def rank(snapshot: Snapshot, entry: Entry) -> Rank:
    """Newer is greater: by the claim's own date, then when it was recorded, then its id."""
    key, toll = entry
    return (toll.as_of.sort_key(), snapshot.recorded_at.get(key, EARLIEST), fact_order(key))


def series_of(snapshot: Snapshot, source: str) -> str:
    """The source whose count `source` gives: itself, or the one it speaks for (followed to the end)."""
    seen = [source]
    while True:
        fact = snapshot.facts.get(seen[-1])
        nxt = fact.speaks_for if isinstance(fact, Source) and fact.status is not Status.retracted else None
        if nxt is None or nxt in seen:
            return seen[-1]
        seen.append(nxt)


def latest_in(snapshot: Snapshot, entries: list[Entry], categories: tuple[str, ...] | None = None) -> dict[str, Entry]:
    """Of claims from one series, the latest that gives each category (category -> claim)."""
    return top_two(snapshot, entries, categories)[0]


def top_two(
    snapshot: Snapshot, entries: list[Entry], categories: tuple[str, ...] | None = None
) -> tuple[dict[str, Entry], dict[str, Entry]]:
    """Of claims from one series, the latest and the one before it that give each category."""
    latest: dict[str, Entry] = {}
    before: dict[str, Entry] = {}
    best: dict[str, Rank] = {}
    second: dict[str, Rank] = {}
    for entry in entries:
        given = [c for c in entry[1].given() if categories is None or c in categories]
        if not given:
            continue
        this = rank(snapshot, entry)
        for category in given:
            if category not in best or this > best[category]:
                if category in best:
                    second[category], before[category] = best[category], latest[category]
                best[category], latest[category] = this, entry
            elif category not in second or this > second[category]:
                second[category], before[category] = this, entry
    return latest, before


@dataclass(frozen=True)
class LatestTolls:
    groups: dict[Group, list[Entry]]
    """Every toll claim (not retracted) of each group, in id order."""
    latest: dict[Group, dict[str, Entry]]
    """Each group's latest claim per category."""
    previous: dict[Group, dict[str, Entry]]
    """Each group's claim before the latest, per category."""

    def places(self) -> set[str | None]:
        return {place for place, _ in self.groups}

    def table(self, place: str | None) -> dict[str, dict[str, Entry]]:
        """For one place: category -> series -> that series' latest claim giving it (every fixed category is
        present, perhaps empty)."""
        table: dict[str, dict[str, Entry]] = {category: {} for category in Toll.FIGURES}
        for (where, series), latest in self.latest.items():
            if where == place:
                for category, entry in latest.items():
                    table.setdefault(category, {})[series] = entry
        return table

    def claims(self, place: str | None) -> list[Entry]:
        return [e for (where, _), entries in self.groups.items() if where == place for e in entries]

    def categories(self) -> set[str]:
        """Every category some latest claim gives."""
        return {category for latest in self.latest.values() for category in latest}


def latest_tolls(snapshot: Snapshot) -> LatestTolls:
    found: LatestTolls = snapshot.derived("latest tolls", _work_out, _patched)
    return found


def _group(snapshot: Snapshot, toll: Toll) -> Group:
    return (toll.place, series_of(snapshot, toll.sources[0]))


def _work_out(snapshot: Snapshot) -> LatestTolls:
    groups: dict[Group, list[Entry]] = {}
    for key, toll in snapshot.all(Toll):
        groups.setdefault(_group(snapshot, toll), []).append((key, toll))
    found = {group: top_two(snapshot, entries) for group, entries in groups.items()}
    return LatestTolls(groups, {g: f[0] for g, f in found.items()}, {g: f[1] for g, f in found.items()})


def _patched(value: LatestTolls, old: Snapshot, new: Snapshot, changed: dict[str, Fact]) -> LatestTolls:
    if any(
        isinstance(f, Source) and getattr(old.facts.get(k), "speaks_for", None) != f.speaks_for
        for k, f in changed.items()
    ):
        return _work_out(new)  # a series changed: rare, worked out afresh
    touched: set[Group] = set()
    for key, fact in changed.items():
        for toll, snap in ((old.facts.get(key), old), (fact, new)):
            if isinstance(toll, Toll):
                touched.add(_group(snap, toll))
    if not touched:
        return value
    groups, latest, previous = dict(value.groups), dict(value.latest), dict(value.previous)
    for group in touched:
        entries = [e for e in groups.get(group, []) if e[0] not in changed]
        entries += [
            (k, f)
            for k, f in changed.items()
            if isinstance(f, Toll) and f.status is not Status.retracted and _group(new, f) == group
        ]
        entries.sort(key=lambda e: fact_order(e[0]))
        if entries:
            groups[group] = entries
            latest[group], previous[group] = top_two(new, entries)
        else:
            groups.pop(group, None)
            latest.pop(group, None)
            previous.pop(group, None)
    return LatestTolls(groups, latest, previous)
