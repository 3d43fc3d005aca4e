"""Places within places: country -> first-level area -> second-level area -> locality.

A place's parent is its `parent` when given, else the place its `district`, `province` or `country` names
(the nearest that exists). Worked out once per state of the situation, again only when places change."""

from __future__ import annotations

from dataclasses import dataclass

from briefings.facts import Fact, Place, PlaceKind
from briefings.names import normalize
from briefings.snapshot import Snapshot

LEVELS = {PlaceKind.country: 0, PlaceKind.province: 1, PlaceKind.district: 2}
LOCALITY = 3
LEVEL_WORDS = {0: "country", 1: "province", 2: "district", LOCALITY: "place"}


@dataclass(frozen=True)
class PlaceTree:
    parent: dict[str, str | None]
    children: dict[str | None, list[str]]
    """Each place's direct children, in id order; None's are the places at the top."""

    def ancestors(self, key: str) -> list[str]:
        """The places that contain `key`, nearest first."""
        out: list[str] = []
        current = self.parent.get(key)
        while current is not None and current not in out:
            out.append(current)
            current = self.parent.get(current)
        return out

    def descendants(self, key: str | None) -> list[str]:
        """Every place inside `key` (None: every place), outer ones before inner ones."""
        out: list[str] = []
        todo = list(self.children.get(key, []))
        while todo:
            current = todo.pop(0)
            if current not in out:
                out.append(current)
                todo += self.children.get(current, [])
        return out

    def within(self, inner: str | None, outer: str | None) -> bool:
        """True when `inner` is `outer` or lies inside it (everything lies inside the whole situation)."""
        return outer is None or inner == outer or (inner is not None and outer in self.ancestors(inner))

    def roots(self) -> list[str]:
        return list(self.children.get(None, []))


def level(place: Place) -> int:
    return LEVELS.get(place.type, LOCALITY)


def place_tree(snapshot: Snapshot) -> PlaceTree:
    found: PlaceTree = snapshot.derived("place tree", _work_out, _patched)
    return found


def _patched(value: PlaceTree, old: Snapshot, new: Snapshot, changed: dict[str, Fact]) -> PlaceTree:
    touched = any(isinstance(f, Place) or isinstance(old.facts.get(k), Place) for k, f in changed.items())
    return _work_out(new) if touched else value


def _work_out(snapshot: Snapshot) -> PlaceTree:
    places = dict(snapshot.all(Place))
    by_level: dict[int, dict[str, list[str]]] = {0: {}, 1: {}, 2: {}}
    for key, place in places.items():
        lvl = level(place)
        if lvl in by_level:
            names = [place.name, *place.aliases, place.iso3 or ""]
            if lvl == 1 and place.province:
                names.append(place.province)
            if lvl == 2 and place.district:
                names.append(place.district)
            for name in names:
                if name:
                    by_level[lvl].setdefault(normalize(name), []).append(key)

    def find(lvl: int, name: str | None, this: str, country: str | None) -> str | None:
        candidates = [k for k in by_level[lvl].get(normalize(name or ""), []) if k != this]
        if country and len(candidates) > 1:
            same = [k for k in candidates if normalize(places[k].country or "") == normalize(country)]
            candidates = same or candidates
        return candidates[0] if candidates else None

    parent: dict[str, str | None] = {}
    for key, place in places.items():
        lvl = level(place)
        found: str | None = None
        if place.parent in places and place.parent != key:
            found = place.parent
        elif lvl > 0:
            if lvl > 2 and place.district:
                found = find(2, place.district, key, place.country)
            if found is None and lvl > 1 and place.province:
                found = find(1, place.province, key, place.country)
            if found is None and place.country:
                found = find(0, place.country, key, None)
        parent[key] = found
    for key in parent:  # a loop of explicit parents is cut where it closes
        seen = [key]
        current = parent[key]
        while current is not None:
            if current in seen:
                parent[seen[-1]] = None
                break
            seen.append(current)
            current = parent.get(current)
    children: dict[str | None, list[str]] = {}
    for key in places:
        children.setdefault(parent[key], []).append(key)
    return PlaceTree(parent, children)
