"""`who is X?`: what is recorded about X — its role, its statements and claims, the facts that name it."""

from __future__ import annotations

import heapq
import re

from briefings.answers.common import footer
from briefings.facts import Actor, Claim, Fact, Place, Reaction, Source
from briefings.names import normalize
from briefings.reply import Line, Reply, Section, line, strong, untrusted
from briefings.search.answer import SHOWN, named
from briefings.search.index import index_of
from briefings.search.lines import fact_line
from briefings.snapshot import Snapshot, fact_order

_ASKS = re.compile(r"^(?:who|what)\s*(?:is|s|are|was|were)\s+(?:the\s+)?(.+)$|^(?:tell me about|about)\s+(.+)$")


def subject(text: str) -> str | None:
    """X in `who is X?`, `what is X`, `who's X`, `tell me about X`."""
    flat = normalize(text.replace("’", "'"))
    match = _ASKS.match(flat)
    return (match.group(1) or match.group(2)).strip() if match else None


def entities(snapshot: Snapshot, text: str, close: bool = True) -> list[str]:
    """Every actor, source and place that `text` names (all of them when it names several); close misspellings
    only with `close`."""
    found: list[str] = []
    for index in (snapshot.actors, snapshot.sources, snapshot.places):
        for key in index.matching(text, close=close):
            if key not in found and snapshot.name_of(key) not in [snapshot.name_of(k) for k in found]:
                found.append(key)  # a source that is also an actor of the same name is shown once
    return found


def answer(snapshot: Snapshot, text: str, keys: list[str]) -> Reply:
    """What is recorded about each of `keys` (saying so when `text` names more than one)."""
    names = [snapshot.name_of(k) for k in keys]
    head = [
        line(
            "Read as ",
            strong("who is"),
            " ",
            untrusted(f"“{text}”"),
            ": what is recorded about ",
            untrusted(", ".join(names)),
            ".",
        )
    ]
    if len(keys) > 1:
        head.append(line(f"“{text}” names {len(keys)} entries in this situation; all are shown."))
    sections = [Section(None, head)]
    used: list[Fact] = []
    for key in keys:
        part, facts = _about(snapshot, key)
        sections += part
        used += facts
    return Reply(f"Who is {', '.join(names)} — {snapshot.situation.title}", sections, footer(snapshot, used))


def _about(snapshot: Snapshot, key: str) -> tuple[list[Section], list[Fact]]:
    entity = snapshot.facts[key]
    assert isinstance(entity, Actor | Source | Place)
    sections = [Section(entity.name, [fact_line(snapshot, key, entity), *_same_name(snapshot, entity)])]
    groups: list[tuple[str, list[str]]] = []
    if isinstance(entity, Actor):
        groups.append(("Statements", [k for k, r in snapshot.all(Reaction) if r.actor == key]))
        groups.append(("Claims by " + entity.name, [k for k, c in snapshot.all(Claim) if c.actor == key]))
    if isinstance(entity, Source):
        cited = index_of(snapshot).referring(key)  # a source's id is only ever referred to as a source
        newest = heapq.nlargest(SHOWN, cited, key=lambda k: (snapshot.recorded_at.get(k), fact_order(k)))
        shown_first = set(newest)
        groups.append(
            (
                "Reported by " + entity.name + ", latest recorded first",
                newest + [k for k in cited if k not in shown_first],
            )
        )
    shown = {k for _, keys in groups for k in keys}
    groups.append(("Facts naming " + entity.name, [h.key for h in named(snapshot, key) if h.key not in shown]))
    used: list[Fact] = []
    for heading, keys in groups:
        if keys:
            lines = [fact_line(snapshot, k, snapshot.facts[k]) for k in keys[:SHOWN]]
            if len(keys) > SHOWN:
                lines.append(line(f"… and {len(keys) - SHOWN} more."))
            sections.append(Section(heading, lines))
            used += [snapshot.facts[k] for k in keys[:SHOWN]]
    if len(sections) == 1:
        sections[0].lines.append(line("Nothing else is recorded about ", untrusted(entity.name), " yet."))
    return sections, used


def _same_name(snapshot: Snapshot, entity: Actor | Source | Place) -> list[Line]:
    """A source that is also an actor (or the reverse) says so."""
    other = snapshot.sources if isinstance(entity, Actor) else snapshot.actors if isinstance(entity, Source) else None
    twin = other.exact(entity.name) if other else None
    if twin and twin in snapshot.facts:
        return [
            line(
                "Also recorded as ",
                untrusted(snapshot.facts[twin].kind),
                " ",
                untrusted(snapshot.name_of(twin)),
                f" [{twin}].",
            )
        ]
    return []
