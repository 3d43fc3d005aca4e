"""`/toll [place]`: the headline and one line per comparable figure, then each source's latest claims per
place (older ones marked superseded), with warnings where a source's own figures do not fit together."""

from __future__ import annotations

from collections.abc import Iterable

from briefings.answers.common import as_of_text, cite, footer, named_place, sources_text
from briefings.answers.figures import extremes, label, number, own, spread, with_qualifier
from briefings.answers.headline import headline, lead_lines
from briefings.answers.hierarchy import place_tree
from briefings.answers.latest import Entry, latest_in, latest_tolls, rank
from briefings.answers.sanity import claim_warnings, series_warnings
from briefings.categories import categories, category, parts_of
from briefings.facts import Claim, Fact, Place, Qualifier, Source, SourceKind, Toll
from briefings.reply import Line, Part, Reply, Section, line, untrusted
from briefings.snapshot import Snapshot

__all__ = ["WORDS", "claim_lines", "figures", "headline", "latest_by_source", "number"]
WORDS = {
    "killed": "killed",
    "security": "security forces",
    "insurgents": "insurgents",
    "civilians": "civilians",
    "unknown": "unidentified",
    "wounded": "wounded",
    "kidnapped": "kidnapped",
}
"""Short words for the fixed categories (the others: `briefings.categories`)."""


def latest_by_source(snapshot: Snapshot, tolls: Iterable[Entry], name: str) -> dict[str, Entry]:
    """For each source (the first one a claim names), its most recent claim that gives `name`."""
    by_source: dict[str, list[Entry]] = {}
    for entry in tolls:
        by_source.setdefault(entry[1].sources[0], []).append(entry)
    found = {source: latest_in(snapshot, entries, (name,)) for source, entries in by_source.items()}
    return {source: latest[name] for source, latest in found.items() if latest}


def figures(snapshot: Snapshot, toll: Toll, only: Iterable[str] | None = None) -> list[Part]:
    """`at least 70 killed (estimates 60–80): 35 security forces, 4 civilians; dozens wounded`."""
    situation = snapshot.situation
    names = [n for n in toll.given() if only is None or n in set(only)]
    texts: list[str] = []
    shown: set[str] = set()
    for name in names:
        if name in shown:
            continue
        this = category(situation, name)
        if this.part_of and this.part_of in names:
            continue  # shown with its total
        if this.part_of:
            group = [n for n in names if category(situation, n).part_of == this.part_of]
            shown |= set(group)
            listed = ", ".join(
                with_qualifier(toll.value(n) or 0, None) + " " + category(situation, n).short for n in group
            )
            prefix = f"{toll.qualifier.value} " if toll.qualifier and toll.qualifier is not Qualifier.exactly else ""
            texts.append(f"{prefix}{listed} {category(situation, this.part_of).label}")
            continue
        value = toll.value(name)
        assert value is not None
        text = f"{with_qualifier(value, toll.qualifier)} {this.label}"
        if name == "killed" and (toll.low is not None or toll.high is not None):
            text += f" (estimates {number(toll.low or value)}–{number(toll.high or value)})"
        parts = [n for n in parts_of(situation, name) if n in names]
        if parts:
            text += ": " + ", ".join(f"{number(toll.value(n) or 0)} {category(situation, n).short}" for n in parts)
            shown |= set(parts)
        texts.append(text)
    if not texts:
        return []
    return [untrusted(texts[0], strong=True), *(untrusted("; " + t) for t in texts[1:])]


def claim_lines(snapshot: Snapshot, key: str, toll: Toll, only: Iterable[str] | None = None) -> list[Line]:
    lines = [
        line(
            untrusted(sources_text(snapshot, toll.sources), strong=True),
            ": ",
            *figures(snapshot, toll, only),
            *cite(snapshot, toll, toll.as_of, key, named=False),
        )
    ]
    lines += [line("⚠ ", untrusted(text), level=1) for text in claim_warnings(snapshot, toll)]
    if toll.note:
        lines.append(line(untrusted(toll.note), level=1))
    return lines


def scope_lines(snapshot: Snapshot, place: str | None) -> tuple[list[Line], list[Fact]]:
    """Each series' newest claim for one place in full; figures of other kinds it takes from older claims,
    marked as such (those claims' other figures are superseded)."""
    index = latest_tolls(snapshot)
    groups = [(g, latest) for g, latest in index.latest.items() if g[0] == place and latest]
    newest = {g: max(latest.values(), key=lambda e: rank(snapshot, e)) for g, latest in groups}
    lines: list[Line] = []
    used: list[Fact] = []
    for group, latest in sorted(groups, key=lambda item: rank(snapshot, newest[item[0]]), reverse=True):
        key, toll = newest[group]
        lines += claim_lines(snapshot, key, toll)
        lines += [line("⚠ ", untrusted(text), level=1) for text in series_warnings(snapshot, group, key)]
        used.append(toll)
        older: dict[str, list[str]] = {}
        for name, (other, _) in latest.items():
            if other != key and name not in toll.given():
                older.setdefault(other, []).append(name)
        if older:
            parts: list[Part] = ["Its latest figures of other kinds are older: "]
            for i, (other, names) in enumerate(
                sorted(older.items(), key=lambda e: _as_of(snapshot, e[0]), reverse=True)
            ):
                earlier = snapshot.facts[other]
                assert isinstance(earlier, Toll)
                parts += [
                    "; " if i else "",
                    *figures(snapshot, earlier, names),
                    f" ({as_of_text(earlier.as_of)}) [{other}]",
                ]
                used.append(earlier)
            parts.append(". Their other figures are superseded.")
            lines.append(line(*parts, level=1))
    return lines, used


def _as_of(snapshot: Snapshot, key: str) -> tuple[object, ...]:
    fact = snapshot.facts[key]
    return fact.as_of.sort_key() if isinstance(fact, Toll) else ()


def disagreement(snapshot: Snapshot, place: str | None) -> list[Line]:
    """One line per category where different sources' latest figures for this place differ."""
    lines = []
    present = {c for (where, _), latest in latest_tolls(snapshot).latest.items() if where == place for c in latest}
    for name in [c for c in categories(snapshot.situation) if c in present]:
        found = own(snapshot, place, name)
        ends = extremes(found)
        if ends:
            who = "; ".join(
                f"{snapshot.source_label(f.series)} {f.text} ({f.as_of.human(with_year=False)})" for f in found
            )
            lines.append(
                line(
                    "Sources differ on ",
                    untrusted(label(snapshot, name)),
                    f": {ends[0].text} to {ends[1].text} (",
                    untrusted(who),
                    f") · {spread(found)}",
                )
            )
    return lines


def toll_claims(snapshot: Snapshot) -> list[Line]:
    """Statements about the toll itself (that the authorities have given none, say), marked superseded once
    an official body has given a figure dated the same day or later."""
    official = [
        entry
        for (_, series), latest in latest_tolls(snapshot).latest.items()
        if isinstance(s := snapshot.facts.get(series), Source) and s.type is SourceKind.government_body
        for entry in latest.values()
    ]
    lines = []
    for key, claim in snapshot.all(Claim):
        if not (claim.topic and claim.topic.lower() == "toll"):
            continue
        who = snapshot.name_of(claim.actor) if claim.actor else "Unattributed"
        lines.append(
            line(untrusted(who, strong=True), ": ", untrusted(claim.text), *cite(snapshot, claim, claim.when, key))
        )
        later = [(k, t) for k, t in official if t.as_of.day >= claim.when.day]
        if later:
            k, t = max(later, key=lambda e: rank(snapshot, e))
            lines.append(
                line(
                    "Superseded: an official figure has since been given — ",
                    untrusted(sources_text(snapshot, t.sources)),
                    ": ",
                    *figures(snapshot, t),
                    f" ({as_of_text(t.as_of)}) [{k}].",
                    level=1,
                )
            )
    return lines


def title_of(snapshot: Snapshot, name: str | None) -> str:
    fatal = name is None or name == "killed" or category(snapshot.situation, name).part_of == "killed"
    return f"{'Death toll' if fatal else 'Toll'} — {snapshot.situation.title}"


def answer(snapshot: Snapshot, place_text: str = "") -> Reply:
    if place_text:
        place_key = named_place(snapshot, place_text)
        return place_key if isinstance(place_key, Reply) else _for_place(snapshot, place_key)
    top = headline(snapshot)
    sections = [Section(None, [line(*top.full), *(line(*parts) for parts in lead_lines(snapshot, top))])]
    used: list[Fact] = list(top.facts)
    for scope in scope_order(snapshot, latest_tolls(snapshot).places()):
        lines, shown = scope_lines(snapshot, scope)
        if scope is None:
            lines += toll_claims(snapshot)
        if scope not in top.scopes:
            lines += disagreement(snapshot, scope)
        sections.append(Section("Whole situation" if scope is None else snapshot.name_of(scope), lines))
        used += shown
    return Reply(title_of(snapshot, top.category), sections, footer(snapshot, used, "Earlier figures: /history ID"))


def _for_place(snapshot: Snapshot, place_key: str) -> Reply:
    tree = place_tree(snapshot)
    place = snapshot.facts[place_key]
    assert isinstance(place, Place)
    with_claims = latest_tolls(snapshot).places()

    def inside(key: str) -> list[str | None]:
        return [p for p in [key, *tree.descendants(key)] if p in with_claims]

    target, intro = place_key, []
    if not inside(place_key):
        outer = next((a for a in tree.ancestors(place_key) if inside(a)), None)
        intro.append(line("No toll has been reported for ", untrusted(place.name), " specifically."))
        if outer:
            target = outer
            intro.append(line("Figures for ", untrusted(snapshot.name_of(outer)), ", which contains it:"))
    sections: list[Section] = []
    used: list[Fact] = []
    if inside(target):
        top = headline(snapshot, target)
        sections.append(Section(None, [*intro, line(*top.full), *(line(*p) for p in lead_lines(snapshot, top))]))
        used += top.facts
        name = snapshot.name_of(target)
        for scope in scope_order(snapshot, set(inside(target))):
            lines, shown = scope_lines(snapshot, scope)
            heading = name if scope == target else f"Inside {name}: {snapshot.name_of(scope or '')}"
            sections.append(Section(heading, lines + disagreement(snapshot, scope)))
            used += shown
        if target not in with_claims:
            sections.insert(
                1,
                Section(
                    name,
                    [
                        line(
                            "No figure for ",
                            untrusted(name),
                            " as a whole: below, each source's figures for places inside it, "
                            "never added to another source's or to a place's own.",
                        )
                    ],
                ),
            )
    else:
        sections.append(Section(None, intro))
    overall = headline(snapshot)
    sections.append(Section("Whole situation", [line(*overall.full)]))
    used += overall.facts
    return Reply(f"{title_of(snapshot, overall.category)}: {place.name}", sections, footer(snapshot, used))


def scope_order(snapshot: Snapshot, places: set[str | None]) -> list[str | None]:
    """Whole situation first, then places outer before inner, larger figures first."""
    tree = place_tree(snapshot)
    index = latest_tolls(snapshot)

    def order(place: str | None) -> tuple[int, int, int, str]:
        largest = max(
            (
                int(v)
                for (w, _), latest in index.latest.items()
                if w == place
                for _, t in latest.values()
                if isinstance(v := t.value("killed"), int)
            ),
            default=0,
        )
        depth = -1 if place is None else len(tree.ancestors(place))
        return (0 if place is None else 1, depth, -largest, place or "")

    return sorted(places, key=order)
