"""What is already recorded is not proposed again; a changed figure is proposed as an update of the record."""

from __future__ import annotations

from dataclasses import replace

from rapidfuzz import fuzz

from briefings.facts import Event, Measure, Reaction, Toll
from briefings.ingest.model import Proposal
from briefings.snapshot import Snapshot
from briefings.when import When

SAME_TEXT = 80.0


def _same_day(a: When, b: When) -> bool:
    return a.day == b.day


def _toll(proposal: Proposal, snapshot: Snapshot) -> Proposal | None:
    fields = proposal.fields
    when = When.parse(fields["as_of"])
    counts = {k: v for k, v in fields.items() if k not in ("qualifier", "place", "source", "as_of", "high")}
    latest: tuple[str, Toll] | None = None
    for key, toll in snapshot.all(Toll):
        if fields["source"] not in toll.sources or toll.place != fields["place"]:
            continue
        if _same_day(toll.as_of, when) and all(str(toll.value(k)) == str(v) for k, v in counts.items()):
            return None  # the same source's same figures for the same place and day
        if any(toll.value(k) is not None for k in counts) and (
            latest is None or toll.as_of.sort_key() >= latest[1].as_of.sort_key()
        ):
            latest = (key, toll)
    return replace(proposal, updates=latest[0]) if latest else proposal


def _reaction(proposal: Proposal, snapshot: Snapshot) -> Proposal | None:
    fields = proposal.fields
    for _, reaction in snapshot.all(Reaction):
        if reaction.actor != fields["actor"]:
            continue
        mine, theirs = fields.get("quote") or fields.get("summary") or "", reaction.quote or reaction.summary or ""
        if fuzz.partial_ratio(mine, theirs) >= SAME_TEXT:
            return None
    return proposal


def _dated(proposal: Proposal, snapshot: Snapshot) -> Proposal | None:
    when = When.parse(proposal.fields["when"])
    facts: list[Measure | Event] = [f for _, f in snapshot.all(Measure)] if proposal.kind == "measure" else []
    facts += [f for _, f in snapshot.all(Event)] if proposal.kind == "event" else []
    for fact in facts:
        if not (_same_day(fact.when, when) or fact.when.by or when.by):
            continue
        if isinstance(fact, Measure) and fact.type == proposal.fields["type"]:
            return None
        if fuzz.token_set_ratio(fact.text, proposal.fields["text"]) >= SAME_TEXT:
            return None
    return proposal


def unrecorded(proposals: list[Proposal], snapshot: Snapshot) -> list[Proposal]:
    """The proposals that say something the situation does not record yet."""
    out: list[Proposal] = []
    for proposal in proposals:
        if proposal.kind == "toll":
            kept = _toll(proposal, snapshot)
        elif proposal.kind == "reaction":
            kept = _reaction(proposal, snapshot)
        else:
            kept = _dated(proposal, snapshot)
        if kept is not None:
            out.append(kept)
    return out
