"""The headline toll: from the top level that has figures (the whole situation, else each country or
first-level area), every figure with its source and as-of, ranges only between different sources."""

from __future__ import annotations

from dataclasses import dataclass, field

from briefings.answers.common import as_of_text
from briefings.answers.figures import (
    Figure,
    at,
    extremes,
    has_figures,
    label,
    newer_part_above,
    own,
    rolled_up,
    spread,
)
from briefings.answers.hierarchy import LEVEL_WORDS, level, place_tree
from briefings.answers.latest import latest_tolls
from briefings.categories import categories, category, headline_order
from briefings.facts import Fact
from briefings.reply import Part, untrusted
from briefings.snapshot import Snapshot

MAX_NAMED = 4
"""Sources named in one headline line; more are counted."""


@dataclass
class Headline:
    parts: list[Part]
    """Short enough for a summary line (/brief, a digest): each figure named is the lowest or highest, with its
    source and as-of; how many sources there are when more."""
    facts: list[Fact] = field(default_factory=list)
    """The claims it cites (for a footer's sources and latest as-of)."""
    category: str | None = None
    scopes: list[str | None] = field(default_factory=list)
    full: list[Part] = field(default_factory=list)
    """Every source's figure with its as-of, the gap between their dates, and warnings (for /toll)."""


def lead_category(snapshot: Snapshot, place: str | None = None) -> str | None:
    """The category the headline leads with: the situation's choice, else killed, civilians, then the rest."""
    return next((name for name in headline_order(snapshot.situation) if has_figures(snapshot, place, name)), None)


def scopes(snapshot: Snapshot, name: str, place: str | None = None) -> list[str | None]:
    """Where the headline's figures come from: the place asked about or the whole situation when it has
    figures of its own, else each top-level place that has figures, largest first."""
    if place is not None or own(snapshot, None, name):
        return [place]
    tree = place_tree(snapshot)
    roots: list[str | None] = [r for r in tree.roots() if has_figures(snapshot, r, name)]
    if not roots:  # figures only for places no longer in the tree (a retracted place)
        roots = [*sorted({p for (p, _), latest in latest_tolls(snapshot).latest.items() if p and name in latest})]
    return sorted(roots, key=lambda r: -max((f.numeric or 0 for f in at(snapshot, r, name)), default=0))


def _coverage_differs(figures: list[Figure]) -> bool:
    return len({f.coverage for f in figures}) > 1


def source_detail(snapshot: Snapshot, figure: Figure) -> list[Part]:
    """` (as of Sun 9 Mar 2025)`, or for a roll-up ` (adding its figures for A and B, as of ...)`."""
    when = as_of_text(figure.as_of)
    if figure.oldest and figure.oldest != figure.as_of:
        when = f"as of {figure.oldest.human()} to {figure.as_of.human()}".replace("as of by ", "by ")
    if not figure.added:
        return [f" ({when})"]
    names = [snapshot.name_of(p) for p, _ in figure.added]
    what = "its figure for " if len(names) == 1 else "adding its figures for "
    listed = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
    return [f" ({what}", untrusted(listed), f", {when})"]


def _cap(text: str, first: bool) -> str:
    return text[:1].upper() + text[1:] if first else text[:1].lower() + text[1:]


def phrase(snapshot: Snapshot, figures: list[Figure], name: str, place: str | None, first: bool = True) -> list[Part]:
    """One scope's figures in a sentence (no final stop)."""
    word = label(snapshot, name)
    where: list[Part] = [" in ", untrusted(snapshot.name_of(place))] if place else []
    ends = extremes(figures)
    ordered = sorted(figures, key=lambda f: -(f.numeric or 0))
    if ends is None and len({f.value for f in figures}) == 1 and len({f.coverage for f in figures}) == 1:
        one = figures[0]
        names = [snapshot.source_label(f.source) for f in figures]
        who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        text = _cap(f"{one.text} {word}", first)
        return [untrusted(text, strong=True), *where, ", according to ", untrusted(who), *source_detail(snapshot, one)]
    if _coverage_differs(figures):
        parts: list[Part] = [
            untrusted(_cap(word, first), strong=True),
            *where,
            " (figures for different places, not added together): ",
        ]
    elif ends is None:
        parts = [untrusted(_cap(word, first), strong=True), *where, ", depending on the source: "]
    else:
        low, high = ends
        parts = [
            untrusted(_cap(f"between {low.text} and {high.text} {word}", first), strong=True),
            *where,
            ", depending on the source: ",
        ]
    for i, figure in enumerate(ordered[:MAX_NAMED]):
        parts += ["; " if i else "", untrusted(snapshot.source_label(figure.source)), f" {figure.text}"]
        parts += source_detail(snapshot, figure)
    if len(ordered) > MAX_NAMED:
        parts.append(f"; {len(ordered) - MAX_NAMED} more: /toll")
    parts.append(f"; {spread(figures)}")
    return parts


def warnings(snapshot: Snapshot, figures: list[Figure]) -> list[Part]:
    """A newer count of a part (civilians) above a source's latest total, said beside that total."""
    parts: list[Part] = []
    for figure in figures:
        found = newer_part_above(snapshot, figure)
        if found:
            key, toll, name = found
            value = toll.value(name)
            parts += [
                " ⚠ ",
                untrusted(snapshot.source_label(figure.source)),
                "'s newer count of ",
                untrusted(label(snapshot, name)),
                f" alone, {value:,} ({as_of_text(toll.as_of)}) [{key}], is above its total.",
            ]
    return parts


def headline(snapshot: Snapshot, place: str | None = None, category_name: str | None = None) -> Headline:
    """The headline toll for the whole situation (or one place), always with source and as-of: of the
    category asked for, else the one the headline leads with."""
    if category_name is None:
        name = lead_category(snapshot, place)
    else:
        name = category_name if has_figures(snapshot, place, category_name) else None
    where = scopes(snapshot, name, place) if name else []
    if name is None or not where:
        return Headline(["No toll has been reported yet."], full=["No toll has been reported yet."])
    found = {scope: at(snapshot, scope, name) for scope in where}
    facts = [snapshot.facts[k] for figures in found.values() for f in figures for k in f.keys]
    if len(where) == 1:
        scope = where[0]
        word = ""
        parts = [*phrase(snapshot, found[scope], name, scope), "."]
        if scope is not None and place is None:
            parts.append(" No figure for the whole situation.")
    else:
        levels = {level(p) for s in where if (p := snapshot.place(s)) is not None}
        word = LEVEL_WORDS[levels.pop()] if len(levels) == 1 else "place"
        parts = [f"No figure for the whole situation; by {word}, not added together: "]
        for i, scope in enumerate(where):
            parts += ["; " if i else "", *phrase(snapshot, found[scope], name, scope, first=False)]
        parts.append(".")
    parts += warnings(snapshot, [f for figures in found.values() for f in figures])
    short: list[Part] = [] if len(where) == 1 else [f"By {word}: "]
    for i, scope in enumerate(where):
        short += ["; " if i else "", *brief_phrase(snapshot, found[scope], name, scope, first=len(where) == 1)]
    return Headline([*short, "."], facts, name, where, parts)


def brief_phrase(snapshot: Snapshot, figures: list[Figure], name: str, place: str | None, first: bool) -> list[Part]:
    """One scope's figures in a few words: the figure, or the lowest and highest, each with source and as-of."""
    word = label(snapshot, name)
    where: list[Part] = [" in ", untrusted(snapshot.name_of(place))] if place else []

    def cited(figure: Figure) -> list[Part]:
        return [" (", untrusted(snapshot.source_label(figure.source)), f", {_short(figure)})"]

    ends = extremes(figures)
    more = f"; {len(figures)} sources" if len(figures) > 2 else ""
    if _coverage_differs(figures) or (ends is None and len({f.value for f in figures}) > 1):
        return [
            untrusted(_cap(word, first), strong=True),
            *where,
            f": {len(figures)} sources' figures, not added together",
        ]
    if ends is None:  # one figure: as in the full headline
        return phrase(snapshot, figures, name, place, first)
    low, high = ends
    if (low.as_of, low.added) == (high.as_of, high.added):  # one date for both: said once
        same: list[Part] = [f", {_short(low)}"]
        low_cite: list[Part] = [" (", untrusted(snapshot.source_label(low.source)), ")"]
        high_cite: list[Part] = [" (", untrusted(snapshot.source_label(high.source)), ")"]
    else:
        same, low_cite, high_cite = [], cited(low), cited(high)
    return [
        untrusted(_cap(f"between {low.text}", first), strong=True),
        *low_cite,
        " and ",
        untrusted(f"{high.text} {word}", strong=True),
        *where,
        *high_cite,
        *same,
        more,
    ]


def _short(figure: Figure) -> str:
    text = as_of_text(figure.as_of).replace(f" {figure.as_of.day.year}", "", 1)
    return text if not figure.added else f"{text}, for places inside"


def lead_lines(snapshot: Snapshot, top: Headline) -> list[list[Part]]:
    """One line per comparable figure below the headline: each category at the headline's level, its
    sources' figures and the range between them (the headline's own category only when sources differ)."""
    lines = []
    cited = {id(f) for f in top.facts}
    for scope in top.scopes:
        for name in categories(snapshot.situation):
            figures = at(snapshot, scope, name)
            if not figures:
                continue
            word: list[Part] = [untrusted(label(snapshot, name).capitalize(), strong=True)]
            if scope is not None:
                word += [" in ", untrusted(snapshot.name_of(scope))]
            part = category(snapshot.situation, name).part_of == top.category
            shown = (name == top.category and len(figures) <= MAX_NAMED) or (
                len(figures) == 1 and (part or all(id(snapshot.facts[k]) in cited for k in figures[0].keys))
            )  # the headline's own figures, or one source's part of it: shown with that source's claims
            if not shown:
                ends = extremes(figures)
                lines.append(
                    [*word, ": ", f"{ends[0].text} to {ends[1].text} — " if ends else "", *_listed(snapshot, figures)]
                )
            if scope is not None and figures[0].coverage == ():
                inside = rolled_up(snapshot, scope, name, {f.series for f in figures})
                if inside:
                    lines.append(
                        [
                            *word,
                            ", from figures for places inside it (each source on its own): ",
                            *_listed(snapshot, inside),
                        ]
                    )
    return lines


def _listed(snapshot: Snapshot, figures: list[Figure]) -> list[Part]:
    parts: list[Part] = []
    for i, figure in enumerate(sorted(figures, key=lambda f: -(f.numeric or 0))):
        parts += ["; " if i else "", untrusted(snapshot.source_label(figure.source)), f" {figure.text}"]
        parts += [*source_detail(snapshot, figure), f" [{', '.join(figure.keys)}]"]
    if len(figures) > 1:
        parts.append(f" · {spread(figures)}")
    return parts
