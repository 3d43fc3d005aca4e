"""`/sources`: who the facts come from, what kind of source each is, and how recent its word is."""

from __future__ import annotations

from briefings.answers.common import as_of_text, when_of
from briefings.facts import Source, Sourced
from briefings.reply import Part, Reply, Section, line, untrusted
from briefings.snapshot import Snapshot


def answer(snapshot: Snapshot) -> Reply:
    cited = [f for _, f in snapshot.all(Sourced)]
    lines = []
    for key, source in snapshot.all(Source):
        mine = [f for f in cited if key in f.sources]
        times = [w for f in mine if (w := when_of(f)) is not None]
        latest = max(times, key=lambda w: w.sort_key(), default=None)
        label = snapshot.source_label(key)
        name = source.name if label == source.name else f"{source.name} ({label})"
        parts: list[Part] = [untrusted(name, strong=True), f" — {source.type.value.replace('-', ' ')}"]
        if source.description:
            parts += [": ", untrusted(source.description)]
        lines.append(line(*parts, f" [{key}]"))
        count = f"{len(mine)} fact{'s' if len(mine) != 1 else ''}"
        lines.append(line(count + (f", latest {as_of_text(latest)}" if latest else ""), level=1))
    return Reply(f"Sources — {snapshot.situation.title}", [Section(None, lines)])
