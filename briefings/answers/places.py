"""`/where [place]`: where it is happening, by province, and what happened in one place."""

from __future__ import annotations

from briefings.answers.common import footer, unknown_name
from briefings.answers.timeline import entry_line
from briefings.answers.toll import claim_lines
from briefings.facts import Event, Measure, Place, PlaceKind, Toll
from briefings.names import UnknownName
from briefings.reply import Line, Part, Reply, Section, line, u
from briefings.snapshot import Snapshot


def _mentions(snapshot: Snapshot, place_key: str) -> tuple[list[tuple[str, Event | Measure]], list[tuple[str, Toll]]]:
    happened: list[tuple[str, Event | Measure]] = [*snapshot.all(Event), *snapshot.all(Measure)]
    happened = [(k, f) for k, f in happened if place_key in f.places]
    happened.sort(key=lambda e: e[1].when.sort_key())
    tolls = [(k, t) for k, t in snapshot.all(Toll) if t.place == place_key]
    return happened, tolls


def answer(snapshot: Snapshot, place_text: str = "") -> Reply:
    if place_text:
        try:
            return _one(snapshot, snapshot.places.resolve(place_text))
        except UnknownName as exc:
            return unknown_name("place", place_text, exc.suggestions, [p.name for _, p in snapshot.all(Place)])
    places = snapshot.all(Place)
    provinces: dict[str, list[tuple[str, Place]]] = {}
    for key, place in places:
        provinces.setdefault(place.province, []).append((key, place))
    sections = []
    for province, entries in provinces.items():
        lines: list[Line] = []
        for key, place in entries:
            if place.type is PlaceKind.province:
                continue
            happened, tolls = _mentions(snapshot, key)
            parts: list[Part] = [u(place.name, strong=True), f" ({place.type.value})"]
            if place.note:
                parts += [" — ", u(place.note)]
            lines.append(line(*parts))
            for tkey, toll in tolls[-1:]:
                lines.append(claim_lines(snapshot, tkey, toll)[0].indented())
            for ekey, fact in happened[-2:]:
                lines.append(entry_line(snapshot, ekey, fact).indented())
        sections.append(Section(f"{province} province", lines))
    return Reply(
        f"Where — {snapshot.situation.region}",
        sections,
        footer(snapshot, [], "/where PLACE for one place"),
    )


def _one(snapshot: Snapshot, key: str) -> Reply:
    place = snapshot.facts[key]
    assert isinstance(place, Place)
    about = [line(f"{place.type.value.capitalize()} in ", u(place.province), " province")]
    if place.district:
        about[0] = line(*about[0].spans, ", ", u(place.district), " district")
    if place.aliases:
        about.append(line("Also spelled: ", u(", ".join(place.aliases))))
    if place.note:
        about.append(line(u(place.note)))
    happened, tolls = _mentions(snapshot, key)
    sections = [Section(None, about)]
    if tolls:
        sections.append(Section("Toll", [ln for k, t in tolls for ln in claim_lines(snapshot, k, t)]))
    if happened:
        sections.append(Section("What happened there", [entry_line(snapshot, k, f) for k, f in happened]))
    if not tolls and not happened:
        sections.append(Section(None, [line("Nothing recorded there yet.")]))
    used = [f for _, f in happened] + [t for _, t in tolls]
    return Reply(f"{place.name} — {snapshot.situation.title}", sections, footer(snapshot, used))
