"""`/toll CATEGORY [place]`: one category of the toll (`civilians`, `displaced`, a situation's own): every
source's figure for it with its as-of and the range between sources, then each source's latest claim giving it,
per place. When no claim gives it, that is said, with the categories that do have figures."""

from __future__ import annotations

from briefings.answers import toll
from briefings.answers.common import footer, named_place
from briefings.answers.figures import has_figures
from briefings.answers.headline import headline
from briefings.answers.hierarchy import place_tree
from briefings.answers.latest import Entry, latest_tolls, rank
from briefings.categories import categories, category, leading
from briefings.facts import Fact
from briefings.reply import Line, Part, Reply, Section, line, untrusted
from briefings.snapshot import Snapshot


def answer(snapshot: Snapshot, text: str = "") -> Reply:
    """The answer to `/toll TEXT`: of one category when TEXT starts with one, else the whole toll."""
    found = leading(snapshot.situation, text)
    if found is None:
        reply = toll.answer(snapshot, text)
        if text and isinstance(named_place(snapshot, text), Reply) and reply.sections:
            reply.sections[-1].lines.append(_not_a_category(snapshot, text))
        return reply
    name, words, rest = found
    whole_place = snapshot.places.exact(text)
    place_key: str | None = None
    if rest and whole_place is not None and snapshot.places.exact(rest) is None:
        return toll.answer(snapshot, text)  # a place whose name starts with a category's ("Rescued Point")
    if rest:
        place = named_place(snapshot, rest)
        if isinstance(place, Reply):
            return place
        place_key = place
    notes: list[Line] = []
    if whole_place is not None or snapshot.places.exact(words) is not None:
        notes.append(
            line(
                "“",
                untrusted(words),
                "” names both a toll category and a place here: read as the category (",
                untrusted(category(snapshot.situation, name).label),
                ").",
            )
        )
    return _answer(snapshot, name, place_key, notes)


def title(snapshot: Snapshot, name: str, place_key: str | None) -> str:
    """`Civilians killed — TITLE`, `Displaced — TITLE: PLACE`."""
    label = category(snapshot.situation, name).label
    text = f"{label[:1].upper()}{label[1:]} — {snapshot.situation.title}"
    return f"{text}: {snapshot.name_of(place_key)}" if place_key else text


def _answer(snapshot: Snapshot, name: str, place_key: str | None, notes: list[Line]) -> Reply:
    label = category(snapshot.situation, name).label
    tree = place_tree(snapshot)
    target = place_key
    if place_key is not None and not has_figures(snapshot, place_key, name):
        outer = next((a for a in tree.ancestors(place_key) if has_figures(snapshot, a, name)), None)
        notes.append(
            line(
                "No figure for ",
                untrusted(label),
                " has been reported for ",
                untrusted(snapshot.name_of(place_key)),
                " itself.",
            )
        )
        present = with_figures(snapshot, place_key)
        if present:
            notes.append(line("Categories with figures for it: ", untrusted(", ".join(present)), "."))
        if outer is None and not has_figures(snapshot, None, name):
            return _none(snapshot, name, place_key, notes)
        target = outer
        whole: list[Part] = (
            [untrusted(snapshot.name_of(outer)), ", which contains it"] if outer else ["the whole situation"]
        )
        notes.append(line("Figures for ", *whole, ":"))
    elif not has_figures(snapshot, None, name):
        return _none(snapshot, name, None, notes)
    top = headline(snapshot, target, name)
    sections = [Section(None, [*notes, line(*top.full)])]
    used: list[Fact] = list(top.facts)
    by_place: dict[str | None, list[Entry]] = {}
    for (where, _), latest in latest_tolls(snapshot).latest.items():
        if name in latest and tree.within(where, target):
            by_place.setdefault(where, []).append(latest[name])
    for scope in toll.scope_order(snapshot, set(by_place)):
        lines: list[Line] = []
        for key, claim in sorted(by_place[scope], key=lambda e: rank(snapshot, e), reverse=True):
            lines += toll.claim_lines(snapshot, key, claim, only=[name])
            used.append(claim)
        heading = "Whole situation" if scope is None else snapshot.name_of(scope)
        if target is not None and scope != target:
            heading = f"Inside {snapshot.name_of(target)}: {heading}"
        sections.append(Section(heading, lines))
    if target is not None and has_figures(snapshot, None, name):
        overall = headline(snapshot, None, name)
        sections.append(Section("Whole situation", [line(*overall.full)]))
        used += overall.facts
    return Reply(
        title(snapshot, name, place_key),
        sections,
        footer(snapshot, used, "Earlier figures: /history ID · Every category: /toll [place]"),
    )


def with_figures(snapshot: Snapshot, place_key: str | None) -> list[str]:
    """How to type each category that has figures here (its short word), in the situation's order."""
    return [c.short for c in categories(snapshot.situation).values() if has_figures(snapshot, place_key, c.name)]


def _none(snapshot: Snapshot, name: str, place_key: str | None, notes: list[Line]) -> Reply:
    """No claim gives this category (here): said plainly, with the categories that have figures."""
    label = category(snapshot.situation, name).label
    lines = [*notes] if place_key else [*notes, line("No source has given a figure for ", untrusted(label), ".")]
    present = with_figures(snapshot, place_key)
    if present and not place_key:  # for a place, said already
        lines.append(line("Categories with figures: ", untrusted(", ".join(present)), "."))
    suggestion = f"/toll {snapshot.name_of(place_key)}" if place_key else "/toll"
    lines.append(line("For the whole toll: ", untrusted(suggestion, strong=True)))
    return Reply(title(snapshot, name, place_key), [Section(None, lines)])


def _not_a_category(snapshot: Snapshot, text: str) -> Line:
    """Beside "I don't know a place called X": nor is X a category, and those that are."""
    present = with_figures(snapshot, None)
    return line(
        "Nor is “",
        untrusted(text),
        "” a toll category here; categories with figures: ",
        untrusted(", ".join(present) or "none yet"),
        " (/toll CATEGORY [place]).",
    )
