"""Small pieces every answer uses: source names, "as of" footers, suggestions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from briefings.facts import Fact, Place, Sourced
from briefings.names import UnknownName
from briefings.reply import Line, Part, Reply, Span, line, problem, untrusted
from briefings.snapshot import Snapshot
from briefings.when import When


def sources_text(snapshot: Snapshot, keys: Iterable[str]) -> str:
    """`Monitor`, or `Foreign Ministry via Daily News` for a relayed statement."""
    names = [snapshot.source_label(k) for k in keys]
    if len(names) <= 1:
        return "".join(names)
    return " and ".join(names) if len(names) == 2 else ", ".join(names[:-1]) + " and " + names[-1]


def cite(snapshot: Snapshot, fact: Sourced, when: When | None, key: str, named: bool = True) -> list[Part]:
    """` (Monitor, as of Fri 7 Mar 2025, morning) [t1]`: who says it (unless the line already named
    them), as of when, and the fact's id."""
    inside: list[Part] = [untrusted(sources_text(snapshot, fact.sources))] if named else []
    if when is not None:
        inside += [", " if inside else "", as_of_text(when)]
    return [" (", *inside, ")", Span(f" [{key}]")] if inside else [Span(f" [{key}]")]


def as_of_text(when: When) -> str:
    text = when.human()
    return text if text.startswith("by ") else "as of " + text


def footer(snapshot: Snapshot, facts: Iterable[Fact], extra: str = "") -> Line:
    """`As of Fri 7 Mar 2025 · Sources: Monitor, Daily News` for the facts a reply used."""
    facts = list(facts)
    latest = max((w for f in facts if (w := when_of(f)) is not None), key=lambda w: w.sort_key(), default=None)
    cited: list[str] = []
    for fact in facts:
        for key in getattr(fact, "sources", []):
            label = snapshot.source_label(key)
            if label not in cited:
                cited.append(label)
    parts: list[Part] = []
    if latest is not None:
        parts.append(f"Latest information {latest.human().removeprefix('by ')}")
    if cited:
        parts += [" · Sources: " if parts else "Sources: ", untrusted(", ".join(cited))]
    if extra:
        parts.append((" · " if parts else "") + extra)
    return line(*parts)


def when_of(fact: Fact) -> When | None:
    for name in ("as_of", "when"):
        value = getattr(fact, name, None)
        if isinstance(value, When):
            return value
    return None


def named_place(snapshot: Snapshot, text: str) -> str | Reply:
    """The key of the place `text` names, or a reply saying no place is called that, with the nearest names."""
    try:
        return snapshot.places.resolve(text)
    except UnknownName as exc:
        return unknown_name("place", text, exc.suggestions, [p.name for _, p in snapshot.all(Place)])


def unknown_name(what: str, text: str, suggestions: list[str], known: list[str]) -> Reply:
    """`I don't know a place called “Atlantis”` with the nearest names, or the known ones."""
    return problem(
        f"I don't know {'an' if what[0] in 'aeiou' else 'a'} {what} called “{text}” in this situation.",
        *did_you_mean(what, text, suggestions, known),
    )


def did_you_mean(what: str, text: str, suggestions: list[str], known: list[str]) -> list[Line]:
    lines = []
    if suggestions:
        names = [untrusted(s, strong=True) for s in suggestions]
        lines.append(
            line("Did you mean ", *_joined(names[:-1], ", "), " or " if len(names) > 1 else "", names[-1], "?")
        )
    elif known:
        lines.append(line(f"Known {what}s: ", untrusted(", ".join(known[:12]))))
    return lines


def _joined(parts: list[Span], sep: str) -> list[Part]:
    out: list[Part] = []
    for i, part in enumerate(parts):
        if i:
            out.append(sep)
        out.append(part)
    return out


def local_time(at: datetime, zone: ZoneInfo) -> str:
    """`Sat 8 Mar 2025 14:05 UTC+03`: a recorded instant in the situation's own time."""
    local = at.astimezone(zone)
    name = local.tzname() or ""
    if name[:1] in ("+", "-"):
        name = "UTC" + name
    return f"{When(day=local.date(), clock=local.time().replace(second=0, microsecond=0)).human()} {name}".strip()
