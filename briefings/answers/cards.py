"""One fact on its own, as recorded: used when a moderator's change is accepted and in history."""

from __future__ import annotations

from briefings.answers.reactions import claim_line, reaction_line
from briefings.answers.timeline import entry_line
from briefings.answers.toll import claim_lines
from briefings.facts import Actor, Claim, Event, Fact, Measure, Place, Reaction, Source, Status, Toll
from briefings.reply import Line, Part, line, strong, untrusted
from briefings.snapshot import Snapshot


def fact_lines(snapshot: Snapshot, key: str, fact: Fact) -> list[Line]:
    lines: list[Line]
    if isinstance(fact, Toll):
        lines = claim_lines(snapshot, key, fact)
        where = snapshot.name_of(fact.place) if fact.place else "Whole situation"
        lines[0] = line(untrusted(where), " — ", *lines[0].spans)
    elif isinstance(fact, Event | Measure):
        lines = [line(strong(fact.when.human() + ": "), *entry_line(snapshot, key, fact).spans)]
    elif isinstance(fact, Reaction):
        first, *rest = reaction_line(snapshot, key, fact)
        lines = [
            line(untrusted(snapshot.name_of(fact.actor), strong=True), f" ({fact.stance.value}): ", *first.spans),
            *rest,
        ]
    elif isinstance(fact, Claim):
        lines = [claim_line(snapshot, key, fact)]
    elif isinstance(fact, Source):
        lines = [line(untrusted(fact.name, strong=True), f" — {fact.type.value}", *_aliases(fact.aliases), f" [{key}]")]
    elif isinstance(fact, Place):
        lines = [
            line(
                untrusted(fact.name, strong=True),
                f" — {fact.type.value}",
                *_within(fact),
                *_aliases(fact.aliases),
                f" [{key}]",
            )
        ]
    elif isinstance(fact, Actor):
        lines = [line(untrusted(fact.name, strong=True), f" — {fact.type.value}", *_aliases(fact.aliases), f" [{key}]")]
    else:
        lines = [line(untrusted(fact.label()), f" [{key}]")]
    if fact.status is not Status.reported:
        lines.append(line(f"Status: {fact.status.value}", level=1))
    if fact.note and not isinstance(fact, Toll):
        lines.append(line("Note: ", untrusted(fact.note), level=1))
    return lines


def _within(place: Place) -> list[Part]:
    where = place.province or place.country
    return [" in ", untrusted(where)] if where else []


def _aliases(aliases: list[str]) -> list[Part]:
    return [" (also ", untrusted(", ".join(aliases)), ")"] if aliases else []
