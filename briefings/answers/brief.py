"""`/brief`: the situation at a glance, in at most eight lines, every figure with its source."""

from __future__ import annotations

import itertools

from briefings.answers.common import cite, footer, sources_text
from briefings.answers.headline import headline
from briefings.answers.reactions import STANCE_WORDS
from briefings.answers.timeline import items
from briefings.facts import Fact, Measure, Reaction
from briefings.reply import Reply, Section, b, line, u
from briefings.snapshot import Snapshot

LATEST_EVENTS = 3


def answer(snapshot: Snapshot) -> Reply:
    situation = snapshot.situation
    top = headline(snapshot)
    lines = [line(b("Toll: "), *top.parts)]
    used: list[Fact] = list(top.facts)
    latest = itertools.islice(
        ((k, f) for k, f in reversed(items(snapshot)) if not isinstance(f, Measure)), LATEST_EVENTS
    )
    for key, fact in latest:
        lines.append(line(b(fact.when.human(with_year=False) + ": "), u(fact.text), *cite(snapshot, fact, None, key)))
        used.append(fact)
    measures = sorted(snapshot.all(Measure), key=lambda e: e[1].when.sort_key(), reverse=True)[:2]
    if measures:
        texts = "; ".join(m.text.rstrip(".") for _, m in measures)
        keys = ", ".join(k for k, _ in measures)
        who = sources_text(snapshot, dict.fromkeys(s for _, m in measures for s in m.sources))
        lines.append(line(b("Measures: "), u(texts), ". (", u(who), f") [{keys}]"))
        used += [m for _, m in measures]
    reactions = sorted(snapshot.all(Reaction), key=lambda e: e[1].when.sort_key(), reverse=True)
    if reactions:
        seen: dict[str, str] = {}
        for _, r in reactions:
            seen.setdefault(r.actor, STANCE_WORDS.get(r.stance.value, r.stance.value))
        said = "; ".join(f"{snapshot.name_of(a)} {s}" for a, s in list(seen.items())[:4])
        more = f" (+{len(seen) - 4} more)" if len(seen) > 4 else ""
        lines.append(line(b("Reactions: "), u(said), more, " — quotes and sources: /reactions"))
    sections = [Section(None, [line(u(situation.description))] if situation.description else []), Section(None, lines)]
    return Reply(f"{situation.title} — {situation.region}", sections, footer(snapshot, used))
