"""`/reactions [actor]`: who said what, with their words where there are any."""

from __future__ import annotations

from briefings.answers.common import cite, footer, unknown_name
from briefings.facts import Actor, Claim, Reaction
from briefings.grammar import verb
from briefings.reply import Line, Reply, Section, line, untrusted
from briefings.snapshot import Snapshot

STANCE_WORDS = {"calls-for": "calls for", "other": "says"}


def reaction_line(snapshot: Snapshot, key: str, reaction: Reaction) -> list[Line]:
    lines = [line(untrusted(reaction.label()), *cite(snapshot, reaction, reaction.when, key))]
    if reaction.quote and reaction.summary:
        lines.append(line("Quote: ", untrusted(reaction.quote), level=1))
    return lines


def claim_line(snapshot: Snapshot, key: str, claim: Claim) -> Line:
    who = snapshot.name_of(claim.actor) if claim.actor else "Unattributed"
    actor = snapshot.facts.get(claim.actor) if claim.actor else None
    says = verb(actor if isinstance(actor, Actor) else None, "asserts", "assert")
    return line(
        untrusted(who, strong=True), f" {says}: ", untrusted(claim.text), *cite(snapshot, claim, claim.when, key)
    )


def answer(snapshot: Snapshot, actor_text: str = "") -> Reply:
    reactions = snapshot.all(Reaction)
    title = f"Reactions — {snapshot.situation.title}"
    if actor_text:
        keys = snapshot.actors.matching(actor_text)
        if not keys:
            known = [a.name for _, a in snapshot.all(Actor)]
            return unknown_name("actor", actor_text, snapshot.actors.suggest(actor_text), known)
        sections: list[Section] = []
        used: list[Reaction | Claim] = []
        names = ", ".join(snapshot.name_of(k) for k in keys)
        if len(keys) > 1:
            note = f"“{actor_text}” names {len(keys)} actors here: {names}. All are shown."
            sections.append(Section(None, [line(untrusted(note))]))
        for key in keys:
            part, facts = _one_actor(snapshot, key, reactions, heading=len(keys) > 1)
            sections += part
            used += facts
        return Reply(f"{title}: {names}", sections, footer(snapshot, used))
    unattributed = [(k, c) for k, c in snapshot.all(Claim) if not c.actor]
    loose = [Section("Claims no one is named for", [claim_line(snapshot, k, c) for k, c in unattributed])]
    if not reactions:
        return Reply(title, [Section(None, [line("No reactions recorded yet.")]), *loose[: len(unattributed)]])
    by_actor: dict[str, list[tuple[str, Reaction]]] = {}
    for key, reaction in _newest_first(reactions):
        by_actor.setdefault(reaction.actor, []).append((key, reaction))
    sections = [
        Section(snapshot.name_of(actor), [ln for k, r in entries for ln in reaction_line(snapshot, k, r)])
        for actor, entries in by_actor.items()
    ]
    if unattributed:
        sections += loose
    used = [*(r for _, r in reactions), *(c for _, c in unattributed)]
    return Reply(title, sections, footer(snapshot, used, "/reactions ACTOR for one"))


def _one_actor(
    snapshot: Snapshot, actor_key: str, reactions: list[tuple[str, Reaction]], heading: bool
) -> tuple[list[Section], list[Reaction | Claim]]:
    """One actor's description, statements (newest first) and claims."""
    actor = snapshot.facts[actor_key]
    assert isinstance(actor, Actor)
    own = [(k, r) for k, r in reactions if r.actor == actor_key]
    claims = [(k, c) for k, c in snapshot.all(Claim) if c.actor == actor_key]
    sections = [Section(actor.name, [])] if heading else []
    if actor.description:
        sections.append(Section(None, [line(untrusted(actor.description))]))
    if own:
        lines = [ln for k, r in _newest_first(own) for ln in reaction_line(snapshot, k, r)]
        sections.append(Section("Statements", lines))
    if claims:
        sections.append(Section("Claims", [claim_line(snapshot, k, c) for k, c in claims]))
    if not own and not claims:
        sections.append(Section(None, [line("No reaction from ", untrusted(actor.name), " recorded yet.")]))
    return sections, [r for _, r in own] + [c for _, c in claims]


def _newest_first(entries: list[tuple[str, Reaction]]) -> list[tuple[str, Reaction]]:
    return sorted(entries, key=lambda e: e[1].when.sort_key(), reverse=True)
