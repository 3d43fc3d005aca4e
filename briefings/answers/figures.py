"""Comparable figures: each series' latest figure for one place and category, roll-ups that say what they
add, and ranges between different sources that say how far apart their dates are."""

from __future__ import annotations

from dataclasses import dataclass

from briefings.answers.hierarchy import place_tree
from briefings.answers.latest import Entry, LatestTolls, latest_tolls, rank
from briefings.categories import category
from briefings.facts import Qualifier, Toll, Vague
from briefings.snapshot import Snapshot
from briefings.when import When


def number(value: int | str) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def with_qualifier(value: int | Vague, qualifier: Qualifier | None) -> str:
    """`more than 1,311`, `dozens`: a figure as the source gave it."""
    if isinstance(value, int) and qualifier is not None and qualifier is not Qualifier.exactly:
        return f"{qualifier.value} {number(value)}"
    return number(value)


@dataclass(frozen=True)
class Figure:
    """One series' figure for a place and category: its own latest claim, or (`added` set) the sum of its
    latest figures for the places inside, none of which lies inside another."""

    series: str
    place: str | None
    category: str
    value: int | Vague
    qualifier: Qualifier | None
    as_of: When
    keys: tuple[str, ...]
    added: tuple[tuple[str, int], ...] = ()
    oldest: When | None = None
    source: str = ""
    """Who gave it: the claim's first source (a series' root for a roll-up)."""

    @property
    def coverage(self) -> tuple[str, ...]:
        """What it counts: the place itself (empty), or the places a roll-up adds."""
        return tuple(sorted(p for p, _ in self.added))

    @property
    def text(self) -> str:
        return with_qualifier(self.value, self.qualifier)

    @property
    def numeric(self) -> int | None:
        return self.value if isinstance(self.value, int) else None


def from_entry(series: str, place: str | None, name: str, entry: Entry) -> Figure | None:
    key, toll = entry
    value = toll.value(name)
    if value is None:
        return None
    return Figure(series, place, name, value, toll.qualifier, toll.as_of, (key,), source=toll.sources[0])


def own(snapshot: Snapshot, place: str | None, name: str) -> list[Figure]:
    """Each series' latest figure for exactly this place, newest first."""
    index = latest_tolls(snapshot)
    found = [
        f
        for (where, series), latest in index.latest.items()
        if where == place and name in latest
        if (f := from_entry(series, place, name, latest[name])) is not None
    ]
    return sorted(found, key=lambda f: f.as_of.sort_key(), reverse=True)


def rolled_up(snapshot: Snapshot, place: str, name: str, skip: set[str] | None = None) -> list[Figure]:
    """For each series with no figure of its own for `place` (and not in `skip`): its latest figures for
    the outermost places inside `place` that it gives one for, added up (whole numbers only)."""
    tree = place_tree(snapshot)
    inside = tree.descendants(place)
    index: LatestTolls = latest_tolls(snapshot)
    per_series: dict[str, list[tuple[str, Entry]]] = {}
    for (where, series), latest in index.latest.items():
        if where in inside and name in latest and isinstance(latest[name][1].value(name), int):
            per_series.setdefault(series, []).append((where, latest[name]))
    figures = []
    for series, found in per_series.items():
        if skip and series in skip:
            continue
        places = {where for where, _ in found}
        outer = [(w, e) for w, e in found if not any(a in places for a in tree.ancestors(w))]
        outer.sort(key=lambda item: inside.index(item[0]))
        values = [(w, int(e[1].value(name) or 0)) for w, e in outer]
        tolls = [e[1] for _, e in outer]
        qualifiers = {t.qualifier for t in tolls} - {None, Qualifier.exactly}
        qualifier = Qualifier.about if Qualifier.about in qualifiers else Qualifier.at_least if qualifiers else None
        dates = sorted((t.as_of for t in tolls), key=lambda w: w.sort_key())
        figures.append(
            Figure(
                series,
                place,
                name,
                sum(v for _, v in values),
                qualifier,
                dates[-1],
                tuple(e[0] for _, e in outer),
                tuple(values),
                dates[0],
                series,
            )
        )
    return sorted(figures, key=lambda f: f.as_of.sort_key(), reverse=True)


def at(snapshot: Snapshot, place: str | None, name: str) -> list[Figure]:
    """The figures for a place: the series' own, or when there are none (and it is a place, not the whole
    situation) each series' roll-up of the places inside it."""
    found = own(snapshot, place, name)
    if found or place is None:
        return found
    return rolled_up(snapshot, place, name)


def has_figures(snapshot: Snapshot, place: str | None, name: str) -> bool:
    tree = place_tree(snapshot)
    return any(
        name in latest and tree.within(where, place) for (where, _), latest in latest_tolls(snapshot).latest.items()
    )


def spread(figures: list[Figure]) -> str:
    """`dates 5 days apart` / `same day` for the figures compared."""
    days = [f.as_of.day for f in figures] + [f.oldest.day for f in figures if f.oldest]
    gap = (max(days) - min(days)).days
    return "same day" if gap == 0 else f"dates {gap:,} day{'s' if gap != 1 else ''} apart"


def extremes(figures: list[Figure]) -> tuple[Figure, Figure] | None:
    """The lowest and highest whole-number figures, when at least two differ and all count the same places
    (a roll-up of some places inside is never ranged against another)."""
    if len({f.coverage for f in figures}) > 1:
        return None
    counted = [f for f in figures if f.numeric is not None]
    if len({f.numeric for f in counted}) < 2:
        return None
    low = min(counted, key=lambda f: (f.numeric or 0, f.as_of.sort_key()))
    high = max(counted, key=lambda f: (f.numeric or 0, f.as_of.sort_key()))
    return low, high


def label(snapshot: Snapshot, name: str) -> str:
    return category(snapshot.situation, name).label


def newer_part_above(snapshot: Snapshot, figure: Figure) -> tuple[str, Toll, str] | None:
    """A newer figure of a part of this total (civilians of killed) from the same series and place that is
    above it: (claim id, claim, category)."""
    if figure.added or figure.numeric is None:
        return None
    latest = latest_tolls(snapshot).latest.get((figure.place, figure.series), {})
    total = latest.get(figure.category)
    for name, entry in latest.items():
        if category(snapshot.situation, name).part_of != figure.category or total is None:
            continue
        value = entry[1].value(name)
        if isinstance(value, int) and value > figure.numeric and rank(snapshot, entry) > rank(snapshot, total):
            return entry[0], entry[1], name
    return None
