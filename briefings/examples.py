"""Examples in help and suggestions, written with the channel's own situation: its places, actors, sources, days.

A template names what it needs in braces (`/toll {place}`); `fill` gives None when the situation has no such
thing yet, so the example is left out rather than naming something the situation does not know."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from briefings.categories import category
from briefings.facts import Actor, Event, Measure, Place, Reaction, Source, Sourced, Toll
from briefings.snapshot import Snapshot

_FIELD = re.compile(r"\{(\w+)\}")
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@dataclass(frozen=True)
class Names:
    """The names examples use: the ones this situation mentions most."""

    values: dict[str, str]


def names(snapshot: Snapshot) -> Names:
    found: Names = snapshot.derived("example names", _work_out)
    return found


def _most(snapshot: Snapshot, counts: Counter[str], known: list[str]) -> str | None:
    """The most mentioned of `known` (ties: the shortest name), or the first known one when none is mentioned."""
    if not known:
        return None
    return max(known, key=lambda key: (counts.get(key, 0), -len(snapshot.name_of(key))))


def _work_out(snapshot: Snapshot) -> Names:
    places, actors, sources, kinds = Counter[str](), Counter[str](), Counter[str](), Counter[str]()
    for _, toll in snapshot.all(Toll):
        if toll.place:
            places[toll.place] += 100  # a place with a toll makes the best example: every command answers it
        kinds.update(name for name in toll.given() if name != "killed")  # killed: the toll's own
    for _, fact in snapshot.all(Sourced):
        sources.update(fact.sources)
        if isinstance(fact, Event | Measure):
            places.update(fact.places)
        if isinstance(fact, Reaction):
            actors[fact.actor] += 1
    values: dict[str, str] = {"slug": snapshot.situation.slug}
    place = _most(snapshot, places, [k for k, _ in snapshot.all(Place)])
    actor = _most(snapshot, actors, [k for k, _ in snapshot.all(Actor)])
    source = _most(snapshot, sources, [k for k, _ in snapshot.all(Source)])
    if place:
        values["place"] = snapshot.name_of(place)
    if actor:
        values["actor"] = snapshot.name_of(actor)
    if source:
        values["source"] = snapshot.source_label(source)
    if kinds:  # the category most figures give, as one types it
        values["category"] = category(snapshot.situation, max(kinds, key=lambda k: (kinds[k], -len(k)))).short
    days = [f.when.day for _, f in snapshot.all(Event) if not f.when.month_only]
    if days:
        latest = max(days)
        values |= {
            "day": latest.isoformat(),
            "weekday": _WEEKDAYS[latest.weekday()].lower(),
            "next_day": (latest + timedelta(days=1)).isoformat(),
        }
    return Names(values)


def fill(template: str, snapshot: Snapshot) -> str | None:
    """`/toll {place}` with this situation's most mentioned place, or None if it has none."""
    values = names(snapshot).values
    if any(name not in values for name in _FIELD.findall(template)):
        return None
    return _FIELD.sub(lambda m: values[m.group(1)], template)


def filled(templates: tuple[str, ...], snapshot: Snapshot) -> list[str]:
    """The templates this situation can fill, filled."""
    return [text for template in templates if (text := fill(template, snapshot)) is not None]
