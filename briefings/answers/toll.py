"""`/toll [place]`: each source's latest figures per place, the range where sources differ, and
breakdowns that do not add up, all said plainly."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

from briefings.answers.common import as_of_text, cite, footer, sources_text, unknown_name
from briefings.facts import Claim, Fact, Place, PlaceKind, Toll
from briefings.names import UnknownName
from briefings.reply import Line, Part, Reply, Section, b, line, u
from briefings.snapshot import Snapshot, fact_order

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

Entry = tuple[str, Toll]
EARLIEST = datetime.min.replace(tzinfo=UTC)


def number(value: int | str) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def latest_by_source(snapshot: Snapshot, tolls: Iterable[Entry], category: str) -> dict[str, Entry]:
    """For each source (the first one a claim names), its most recent claim that gives `category`."""
    return latest_table(snapshot, tolls, (category,))[category]


def latest_table(
    snapshot: Snapshot, tolls: Iterable[Entry], categories: tuple[str, ...] = Toll.FIGURES
) -> dict[str, dict[str, Entry]]:
    """`latest_by_source` for several categories in one pass: category -> source -> entry."""
    table: dict[str, dict[str, Entry]] = {category: {} for category in categories}
    best: dict[tuple[str, str], tuple[tuple[date, int, int], datetime, tuple[str, int]]] = {}
    for key, toll in tolls:
        given = [category for category in categories if getattr(toll, category) is not None]
        if not given:
            continue
        source = toll.sources[0]
        rank = (toll.as_of.sort_key(), snapshot.recorded_at.get(key, EARLIEST), fact_order(key))
        for category in given:
            if (category, source) not in best or rank > best[(category, source)]:
                best[(category, source)] = rank
                table[category][source] = (key, toll)
    return table


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


def headline(snapshot: Snapshot, tolls: list[Entry]) -> list[Part]:
    """The overall figure without hiding disagreement."""
    latest = latest_by_source(snapshot, tolls, "killed")
    if not latest:
        civilians = latest_by_source(snapshot, tolls, "civilians")
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
    tolls = snapshot.all(Toll)
    title = f"Death toll — {snapshot.situation.title}"
    if place_text:
        try:
            place_key = snapshot.places.resolve(place_text)
        except UnknownName as exc:
            return unknown_name("place", place_text, exc.suggestions, [p.name for _, p in snapshot.all(Place)])
        return _for_place(snapshot, tolls, place_key, title)
    overall = [(k, t) for k, t in tolls if t.place is None]
    sections = [Section(None, [line(*headline(snapshot, overall))])]
    used: list[Fact] = []
    for scope, entries in _by_scope(snapshot, tolls):
        table = latest_table(snapshot, entries)
        lines, shown = scope_lines(snapshot, table)
        if scope is None:
            lines += _toll_claims(snapshot)
        lines += disagreement(snapshot, table)
        heading = "Whole situation" if scope is None else snapshot.name_of(scope)
        sections.append(Section(heading, lines))
        used += [t for _, t in shown]
    return Reply(title, sections, footer(snapshot, used, "Earlier figures: /history ID"))


def _for_place(snapshot: Snapshot, tolls: list[Entry], place_key: str, title: str) -> Reply:
    place = snapshot.facts[place_key]
    assert isinstance(place, Place)
    inside = {place_key}
    if place.type is PlaceKind.province:
        inside |= {k for k, p in snapshot.all(Place) if p.province == place.province}
    scoped = [(k, t) for k, t in tolls if t.place in inside]
    sections = []
    used: list[Fact] = []
    for scope, entries in _by_scope(snapshot, scoped):
        table = latest_table(snapshot, entries)
        lines, shown = scope_lines(snapshot, table)
        sections.append(Section(snapshot.name_of(scope or ""), lines + disagreement(snapshot, table)))
        used += [t for _, t in shown]
    if not sections:
        sections.append(Section(None, [line("No toll has been reported for ", u(place.name), " specifically.")]))
    overall = [(k, t) for k, t in tolls if t.place is None]
    sections.append(Section("Whole situation", [line(*headline(snapshot, overall))]))
    overall_latest = latest_table(snapshot, overall, ("killed", "civilians"))
    used += [t for latest in overall_latest.values() for _, t in latest.values()]
    return Reply(f"{title}: {place.name}", sections, footer(snapshot, used))


def _by_scope(snapshot: Snapshot, tolls: list[Entry]) -> list[tuple[str | None, list[Entry]]]:
    """Whole situation first, then places by their largest figure."""
    groups: dict[str | None, list[Entry]] = {}
    for entry in tolls:
        groups.setdefault(entry[1].place, []).append(entry)

    def rank(item: tuple[str | None, list[Entry]]) -> tuple[int, int]:
        scope, entries = item
        return (0 if scope is None else 1, -max((t.killed or 0) for _, t in entries))

    return sorted(groups.items(), key=rank)


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
