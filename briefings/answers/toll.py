"""`/toll [place]`: each source's latest figures per place, the range where sources differ, and
breakdowns that do not add up, all said plainly."""

from __future__ import annotations

from collections.abc import Iterable

from briefings.answers.common import as_of_text, cite, footer, sources_text, unknown_name
from briefings.answers.latest import Entry, LatestTolls, latest_in, latest_tolls
from briefings.facts import Claim, Fact, Place, PlaceKind, Toll
from briefings.names import UnknownName
from briefings.reply import Line, Part, Reply, Section, b, line, u
from briefings.snapshot import Snapshot

WORDS = {
    "killed": "killed",
    "security": "security forces",
    "insurgents": "insurgents",
    "civilians": "civilians",
    "unknown": "unidentified",
    "wounded": "wounded",
    "kidnapped": "kidnapped or detained",
}
COMPARED = ("killed", "civilians", "security", "insurgents", "wounded", "kidnapped")
"""Categories whose figures are compared across sources (each only with its own kind)."""


def number(value: int | str) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def latest_by_source(snapshot: Snapshot, tolls: Iterable[Entry], category: str) -> dict[str, Entry]:
    """For each source (the first one a claim names), its most recent claim that gives `category`."""
    by_source: dict[str, list[Entry]] = {}
    for entry in tolls:
        by_source.setdefault(entry[1].sources[0], []).append(entry)
    found = {source: latest_in(snapshot, entries, (category,)) for source, entries in by_source.items()}
    return {source: latest[category] for source, latest in found.items() if latest}


def figures(toll: Toll) -> list[Part]:
    """`at least 70 killed (35 security forces, 32 insurgents, 4 civilians); dozens wounded`."""
    parts: list[Part] = []
    qualifier = f"{toll.qualifier.value} " if toll.qualifier else ""
    if toll.killed is not None:
        parts.append(b(f"{qualifier}{number(toll.killed)} killed"))
        if toll.low is not None or toll.high is not None:
            parts.append(f" (estimates {number(toll.low or toll.killed)}–{number(toll.high or toll.killed)})")
        breakdown = [f"{number(v)} {WORDS[n]}" for n in Toll.BREAKDOWN if (v := getattr(toll, n)) is not None]
        if breakdown:
            parts.append(": " + ", ".join(breakdown))
    else:
        given = [f"{number(v)} {WORDS[n]} killed" for n in Toll.BREAKDOWN if (v := getattr(toll, n)) is not None]
        if given:
            parts.append(b(qualifier + ", ".join(given)))
    for name in ("wounded", "kidnapped"):
        value = getattr(toll, name)
        if value is not None:
            text = f"{qualifier if isinstance(value, int) else ''}{number(value)} {WORDS[name]}"
            parts.append("; " + text if parts else b(text))
    return parts


def claim_lines(snapshot: Snapshot, key: str, toll: Toll) -> list[Line]:
    lines = [
        line(
            u(sources_text(snapshot, toll.sources), strong=True),
            ": ",
            *figures(toll),
            *cite(snapshot, toll, toll.as_of, key, named=False),
        )
    ]
    mismatch = breakdown_mismatch(toll)
    if mismatch:
        lines.append(line(f"⚠ {mismatch}", level=1))
    if toll.note:
        lines.append(line(u(toll.note), level=1))
    return lines


def breakdown_mismatch(toll: Toll) -> str | None:
    """A breakdown (two or more groups) that does not add up to the total the same source gives."""
    total, parts = toll.killed, toll.breakdown_sum()
    groups = sum(getattr(toll, name) is not None for name in Toll.BREAKDOWN)
    if total is None or parts is None or parts == total or (groups < 2 and parts < total):
        return None
    if parts > total:
        return f"Its breakdown adds up to {number(parts)}, more than the {number(total)} total it gives."
    return f"Its breakdown accounts for {number(parts)} of the {number(total)} total it gives."


def disagreement(snapshot: Snapshot, table: dict[str, dict[str, Entry]]) -> list[Line]:
    """One line per category where sources give different figures (civilians only with civilians), from
    `latest_table` of one place's claims."""
    lines = []
    for category in COMPARED:
        latest = table[category]
        values = {src: getattr(t, category) for src, (_, t) in latest.items()}
        numeric = [v for v in values.values() if isinstance(v, int)]
        if len(values) >= 2 and len(set(values.values())) > 1 and numeric:
            word = (
                "killed"
                if category == "killed"
                else WORDS[category] + (" killed" if category in Toll.BREAKDOWN else "")
            )
            who = "; ".join(f"{snapshot.source_label(s)} {number(v)}" for s, v in values.items())
            lines.append(
                line(f"Sources differ on {word}: {number(min(numeric))} to {number(max(numeric))} (", u(who), ")")
            )
    return lines


def headline(snapshot: Snapshot, table: dict[str, dict[str, Entry]]) -> list[Part]:
    """The overall figure without hiding disagreement, from the whole situation's `LatestTolls.table`."""
    latest = table["killed"]
    if not latest:
        civilians = table["civilians"]
        if civilians:
            key, toll = max(civilians.values(), key=lambda e: e[1].as_of.sort_key())
            return ["No overall toll yet. ", *figures(toll), *cite(snapshot, toll, toll.as_of, key)]
        return ["No death toll has been reported yet."]
    entries = sorted(latest.values(), key=lambda e: -(e[1].killed or 0))
    values = {toll.killed for _, toll in entries}
    if len(values) == 1:
        toll = entries[0][1]
        text = (f"{toll.qualifier.value} " if toll.qualifier else "") + f"{number(toll.killed or 0)} killed"
        names = sources_text(snapshot, [t.sources[0] for _, t in entries])
        newest = max(entries, key=lambda e: e[1].as_of.sort_key())[1]
        return [b(text[:1].upper() + text[1:]), ", according to ", u(names), f" ({as_of_text(newest.as_of)})."]
    counted = [v for v in values if v is not None]
    low, high = min(counted), max(counted)
    return [
        b(f"Between {number(low)} and {number(high)} killed"),
        f", depending on the source ({len(entries)} sources).",
    ]


def answer(snapshot: Snapshot, place_text: str = "") -> Reply:
    index = latest_tolls(snapshot)
    title = f"Death toll — {snapshot.situation.title}"
    if place_text:
        try:
            place_key = snapshot.places.resolve(place_text)
        except UnknownName as exc:
            return unknown_name("place", place_text, exc.suggestions, [p.name for _, p in snapshot.all(Place)])
        return _for_place(snapshot, index, place_key, title)
    sections = [Section(None, [line(*headline(snapshot, index.table(None)))])]
    used: list[Fact] = []
    for scope, table in _by_scope(index, index.places()):
        lines, shown = scope_lines(snapshot, table)
        if scope is None:
            lines += _toll_claims(snapshot)
        lines += disagreement(snapshot, table)
        heading = "Whole situation" if scope is None else snapshot.name_of(scope)
        sections.append(Section(heading, lines))
        used += [t for _, t in shown]
    return Reply(title, sections, footer(snapshot, used, "Earlier figures: /history ID"))


def _for_place(snapshot: Snapshot, index: LatestTolls, place_key: str, title: str) -> Reply:
    place = snapshot.facts[place_key]
    assert isinstance(place, Place)
    inside: set[str | None] = {place_key}
    if place.type is PlaceKind.province:
        inside |= {k for k, p in snapshot.all(Place) if p.province == place.province}
    sections = []
    used: list[Fact] = []
    for scope, table in _by_scope(index, index.places() & inside):
        lines, shown = scope_lines(snapshot, table)
        sections.append(Section(snapshot.name_of(scope or ""), lines + disagreement(snapshot, table)))
        used += [t for _, t in shown]
    if not sections:
        sections.append(Section(None, [line("No toll has been reported for ", u(place.name), " specifically.")]))
    overall = index.table(None)
    sections.append(Section("Whole situation", [line(*headline(snapshot, overall))]))
    used += [t for category in ("killed", "civilians") for _, t in overall[category].values()]
    return Reply(f"{title}: {place.name}", sections, footer(snapshot, used))


def _by_scope(index: LatestTolls, places: set[str | None]) -> list[tuple[str | None, dict[str, dict[str, Entry]]]]:
    """Whole situation first, then places by the largest latest figure of any source."""
    tables = [(place, index.table(place)) for place in places]

    def order(item: tuple[str | None, dict[str, dict[str, Entry]]]) -> tuple[int, int, str]:
        place, table = item
        largest = max((t.killed or 0 for _, t in table["killed"].values()), default=0)
        return (0 if place is None else 1, -largest, place or "")

    return sorted(tables, key=order)


def scope_lines(snapshot: Snapshot, table: dict[str, dict[str, Entry]]) -> tuple[list[Line], list[Entry]]:
    """Each source's latest claims for one place (from its `latest_table`), and those claims; an older claim
    still shown for its breakdown says which newer claim replaced its total."""
    newest_total = {src: key for src, (key, _) in table["killed"].items()}
    lines: list[Line] = []
    shown = _shown(table)
    for key, toll in shown:
        lines += claim_lines(snapshot, key, toll)
        newer = newest_total.get(toll.sources[0])
        if toll.killed is not None and newer and newer != key:
            lines.append(line(f"Its total has since been updated: see [{newer}].", level=1))
    return lines, shown


def _shown(table: dict[str, dict[str, Entry]]) -> list[Entry]:
    """The claims that are some source's latest for some category, newest first."""
    shown: dict[str, Toll] = {}
    for category in Toll.FIGURES:
        for key, toll in table[category].values():
            shown[key] = toll
    return sorted(shown.items(), key=lambda e: e[1].as_of.sort_key(), reverse=True)


def _toll_claims(snapshot: Snapshot) -> list[Line]:
    """Statements about the toll itself (for example that the authorities have given none)."""
    lines = []
    for key, claim in snapshot.all(Claim):
        if claim.topic and claim.topic.lower() == "toll":
            who = snapshot.name_of(claim.actor) if claim.actor else "Unattributed"
            lines.append(line(u(who, strong=True), ": ", u(claim.text), *cite(snapshot, claim, claim.when, key)))
    return lines
