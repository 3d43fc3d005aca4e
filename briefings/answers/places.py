"""`/where [place]`: where it is happening, by country and first-level area (with what happened across
each area as a whole), and what happened in one place and the places inside it."""

from __future__ import annotations

from briefings.answers.common import footer, named_place
from briefings.answers.hierarchy import level, place_tree
from briefings.answers.timeline import entry_line
from briefings.answers.toll import claim_lines
from briefings.facts import Event, Fact, Measure, Place, PlaceKind, Toll
from briefings.reply import Line, Part, Reply, Section, line, untrusted
from briefings.snapshot import Snapshot


def _mentions(snapshot: Snapshot, place_key: str) -> tuple[list[tuple[str, Event | Measure]], list[tuple[str, Toll]]]:
    happened: list[tuple[str, Event | Measure]] = [*snapshot.all(Event), *snapshot.all(Measure)]
    happened = [(k, f) for k, f in happened if place_key in f.places]
    happened.sort(key=lambda e: e[1].when.sort_key())
    tolls = [(k, t) for k, t in snapshot.all(Toll) if t.place == place_key]
    return happened, tolls


def _entry(snapshot: Snapshot, key: str, place: Place, used: list[Fact], latest: int = 2) -> list[Line]:
    """A place's line, its latest toll claim and its latest events or measures."""
    happened, tolls = _mentions(snapshot, key)
    parts: list[Part] = [untrusted(place.name, strong=True), f" ({place.type.value})"]
    if place.note:
        parts += [" — ", untrusted(place.note)]
    lines = [line(*parts)]
    for tkey, toll in tolls[-1:]:
        lines.append(claim_lines(snapshot, tkey, toll)[0].indented())
    for ekey, fact in happened[-latest:]:
        lines.append(entry_line(snapshot, ekey, fact).indented())
    used += [t for _, t in tolls[-1:]] + [f for _, f in happened[-latest:]]
    return lines


def answer(snapshot: Snapshot, place_text: str = "") -> Reply:
    if place_text:
        place_key = named_place(snapshot, place_text)
        return place_key if isinstance(place_key, Reply) else _one(snapshot, place_key)
    tree = place_tree(snapshot)
    places = dict(snapshot.all(Place))
    areas = [k for k in [*tree.roots(), *tree.descendants(None)] if level(places[k]) <= 1]
    areas = list(dict.fromkeys(areas))
    sections: list[Section] = []
    used: list[Fact] = []
    placed: set[str] = set(areas)
    countries = any(places[k].type is PlaceKind.country for k in areas)
    for area in areas:
        place = places[area]
        lines: list[Line] = []
        happened, tolls = _mentions(snapshot, area)
        if happened or tolls:
            lines += _entry(snapshot, area, place, used, latest=4)
        for key in tree.descendants(area):
            nearest = next((a for a in tree.ancestors(key) if a in areas), None)
            if key not in placed and nearest == area:
                placed.add(key)
                lines += _entry(snapshot, key, places[key], used)
        if not lines:
            continue  # nothing recorded there (a country's areas have sections of their own)
        outer = tree.parent.get(area)
        heading = place.name + (f", {places[outer].name}" if countries and outer else "")
        sections.append(Section(heading, lines))
    by_province: dict[str, list[Line]] = {}
    for key, place in places.items():
        if key not in placed:
            by_province.setdefault(place.province or "Elsewhere", []).extend(_entry(snapshot, key, place, used))
    sections += [
        Section(f"{name} province" if name != "Elsewhere" else name, lines) for name, lines in by_province.items()
    ]
    return Reply(
        f"Where — {snapshot.situation.region}",
        sections,
        footer(snapshot, used, "/where PLACE for one place"),
    )


def _one(snapshot: Snapshot, key: str) -> Reply:
    place = snapshot.facts[key]
    assert isinstance(place, Place)
    tree = place_tree(snapshot)
    outer = [snapshot.name_of(a) for a in tree.ancestors(key)]
    if place.province and place.type not in (PlaceKind.province, PlaceKind.country):
        about = [line(f"{place.type.value.capitalize()} in ", untrusted(place.province), " province")]
        if place.district:
            about[0] = line(*about[0].spans, ", ", untrusted(place.district), " district")
        if place.country:
            about[0] = line(*about[0].spans, ", ", untrusted(place.country))
    elif outer:
        about = [line(f"{place.type.value.capitalize()} in ", untrusted(", ".join(outer)))]
    else:
        about = [line(place.type.value.capitalize())]
    codes = [f"P-code {place.pcode}" if place.pcode else "", f"ISO {place.iso3}" if place.iso3 else ""]
    if place.lat is not None and place.lon is not None:
        codes.append(f"{place.lat:.4f}, {place.lon:.4f}")
    if any(codes):
        about.append(line(" · ".join(c for c in codes if c)))
    if place.aliases:
        about.append(line("Also spelled: ", untrusted(", ".join(place.aliases))))
    if place.note:
        about.append(line(untrusted(place.note)))
    inner = tree.descendants(key)
    if inner:
        about.append(line("Places inside: ", untrusted(", ".join(snapshot.name_of(k) for k in inner))))
    happened, tolls = _mentions(snapshot, key)
    sections = [Section(None, about)]
    if tolls:
        sections.append(Section("Toll", [ln for k, t in tolls for ln in claim_lines(snapshot, k, t)]))
    if happened:
        sections.append(Section("What happened there", [entry_line(snapshot, k, f) for k, f in happened]))
    if inner:
        lines = [
            ln
            for k in inner
            for ln in _entry(snapshot, k, snapshot.facts[k], [])  # type: ignore[arg-type]
            if _mentions(snapshot, k) != ([], [])
        ]
        if lines:
            sections.append(Section(f"Inside {place.name}", lines))
    if not tolls and not happened and len(sections) == 1:
        sections.append(Section(None, [line("Nothing recorded there yet.")]))
    used = [f for _, f in happened] + [t for _, t in tolls]
    return Reply(f"{place.name} — {snapshot.situation.title}", sections, footer(snapshot, used))
