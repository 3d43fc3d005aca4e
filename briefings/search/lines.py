"""One line per fact, as every search answer shows it: what it says, who says it, as of when, its id."""

from __future__ import annotations

from briefings.answers.common import cite, when_of
from briefings.facts import Actor, Claim, Event, Fact, Measure, Place, Reaction, Source, Sourced, Toll
from briefings.reply import Line, Part, line, untrusted
from briefings.snapshot import Snapshot
from briefings.vocabulary import measure_kinds

KIND_NAMES = {"toll": "Toll", "event": "Event", "measure": "Measure", "reaction": "Statement", "claim": "Claim"}


def fact_line(snapshot: Snapshot, key: str, fact: Fact) -> Line:
    """`Measure (curfew): 24-hour curfew ordered … (News report, by Fri 7 Mar 2025) [m1]`."""
    if isinstance(fact, Sourced):
        return line(f"{KIND_NAMES.get(fact.kind, fact.kind)}: ", *_said(snapshot, fact), *_cite(snapshot, key, fact))
    if isinstance(fact, Actor | Source):
        about = f" — {fact.description}" if fact.description else ""
        return line(
            f"{fact.kind.capitalize()}: ",
            untrusted(fact.name, strong=True),
            untrusted(about),
            f" ({fact.type}) [{key}]",
        )
    if isinstance(fact, Place):
        return line("Place: ", untrusted(fact.name, strong=True), f" ({fact.type}) [{key}]")
    return line(untrusted(fact.label()), f" [{key}]")


def _cite(snapshot: Snapshot, key: str, fact: Sourced) -> list[Part]:
    return list(cite(snapshot, fact, when_of(fact), key))


def _said(snapshot: Snapshot, fact: Sourced) -> list[Part]:
    if isinstance(fact, Toll):
        where = f" in {snapshot.name_of(fact.place)}" if fact.place else " (whole situation)"
        return [untrusted(fact.label()), untrusted(where)]
    if isinstance(fact, Reaction):
        return [untrusted(snapshot.name_of(fact.actor), strong=True), ": ", untrusted(fact.label())]
    if isinstance(fact, Claim):
        who = snapshot.name_of(fact.actor) if fact.actor else "Unattributed"
        return [untrusted(who, strong=True), " asserts: ", untrusted(fact.text)]
    if isinstance(fact, Measure):
        kind = measure_kinds(snapshot.situation).get(str(fact.type), str(fact.type))
        by: list[Part] = [" — by ", untrusted(snapshot.name_of(fact.by))] if fact.by else []
        return [f"({kind}) ", untrusted(fact.text), *by]
    if isinstance(fact, Event):
        return [untrusted(fact.text)]
    return [untrusted(fact.label())]
