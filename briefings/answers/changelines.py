"""One item of what changed, in words: a source's tolls as a net change, a new fact, a correction, a retraction."""

from __future__ import annotations

from briefings.answers.cards import fact_lines
from briefings.answers.changed import LATE, Changes, Item
from briefings.answers.changes import ACTIONS, differences, who
from briefings.answers.short import clip
from briefings.answers.tollchange import toll_line
from briefings.facts import Claim, Event, Measure, Reaction, Toll
from briefings.reply import Line, Part, Span, line, strong, untrusted
from briefings.snapshot import Snapshot
from briefings.vocabulary import measure_label

WIDTH = 160
"""The most characters one item's first line takes (longer text is cut at a word, its id kept)."""
CATEGORIES_SHOWN = 2


def item_lines(snapshot: Snapshot, changes: Changes, item: Item) -> list[Line]:
    fact = snapshot.facts[item.key]
    if isinstance(fact, Toll) and item.heading not in ("Corrections", "Retracted"):
        return [clip(toll_line(snapshot, item), WIDTH)]
    found = changes.revisions.get(item.key, [])
    if item.heading == "Retracted":
        last = found[-1] if found else None
        reason: list[Part] = [": ", untrusted(last.reason)] if last and last.reason else []
        by: list[Part] = [" by ", untrusted(who(last))] if last else []
        return [
            clip(line(strong(item.key), f" {fact.kind} retracted", *by, *reason, " — ", untrusted(fact.label())), WIDTH)
        ]
    if item.heading == "Corrections":
        stood = [r for r in found if r.at <= changes.since]
        before = (stood[-1] if stood else found[0]).fact if len(found) > 1 else None  # else: loaded since
        last = found[-1] if found else None
        changed = differences(snapshot, before, fact) if before is not None else []
        head: list[Part] = [strong(item.key), f" {fact.kind} "]
        if last is not None:
            head += [ACTIONS.get(last.action, last.action), " by ", untrusted(who(last))]
        else:
            head.append("revised")
        detail: list[Part] = [": ", untrusted("; ".join(changed))] if changed else []
        why: list[Part] = [" · why: ", untrusted(last.reason)] if last and last.reason else []
        return [clip(line(*head, *detail, *why), WIDTH)]
    if item.heading == LATE:  # an event or a statement recorded late for an earlier day: not news
        return [clip(line("Back-filled · ", *fact_line(snapshot, item.key, fact).spans), WIDTH)]
    return [clip(fact_line(snapshot, item.key, fact), WIDTH)]


def fact_line(snapshot: Snapshot, key: str, fact: object, sourced: bool = True) -> Line:
    """`Sat 8 Mar: Curfew: text — Monitor [m3]`: the date leads, the source follows once, no "as of" again."""
    source: list[Part] = []
    if sourced and isinstance(fact, Event | Measure | Reaction | Claim):
        source = [" — ", untrusted(", ".join(snapshot.source_label(s) for s in fact.sources))]
    if isinstance(fact, Event | Measure):
        kind = f"{measure_label(snapshot.situation, fact.type)}: " if isinstance(fact, Measure) else ""
        return line(
            strong(fact.when.human(with_year=False) + ": "), kind, untrusted(fact.text), *source, Span(f" [{key}]")
        )
    if isinstance(fact, Reaction):
        said = fact.summary or f"“{fact.quote}”"
        head = f"{fact.when.human(with_year=False)}: "
        who_said = untrusted(snapshot.name_of(fact.actor))
        return line(strong(head), who_said, f" {fact.stance.value}: ", untrusted(said), *source, Span(f" [{key}]"))
    if isinstance(fact, Claim):
        return line(strong(fact.when.human(with_year=False) + ": "), untrusted(fact.text), *source, Span(f" [{key}]"))
    first = fact_lines(snapshot, key, fact)[0]  # type: ignore[arg-type]
    return first
