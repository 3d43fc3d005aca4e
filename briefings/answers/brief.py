"""`/brief`: the situation at a glance in six lines: the headline toll with its source and as-of, the three
latest developments, and one line of counts with the commands that show each in full."""

from __future__ import annotations

from briefings.answers.changelines import fact_line
from briefings.answers.headline import headline
from briefings.answers.short import clip
from briefings.answers.timeline import items
from briefings.facts import Event, Measure, Place, Reaction, Source, Toll
from briefings.reply import Line, Reply, Section, line, strong
from briefings.snapshot import Snapshot

LATEST = 3
MAX_CHARACTERS = 600
TITLE_WIDTH, HEADLINE_WIDTH, DEVELOPMENT_WIDTH = 90, 200, 105


def developments(snapshot: Snapshot, count: int = LATEST, width: int = DEVELOPMENT_WIDTH) -> list[Line]:
    """The latest events and measures, newest first, one short line each (the date leads; no source repeated)."""
    latest = items(snapshot)[-count:] if count else []
    return [clip(fact_line(snapshot, key, fact, sourced=False), width) for key, fact in reversed(latest)]


def counts(snapshot: Snapshot) -> Line:
    """`More: 4 tolls /toll · 12 events /timeline · …`: what each command shows in full."""
    parts = [
        (len(snapshot.all(Toll)), "tolls", "/toll"),
        (len(snapshot.all(Event)) + len(snapshot.all(Measure)), "events", "/timeline"),
        (len(snapshot.all(Reaction)), "reactions", "/reactions"),
        (len(snapshot.all(Place)), "places", "/where"),
        (len(snapshot.all(Source)), "sources", "/sources"),
    ]
    shown = [f"{n:,} {what} {command}" for n, what, command in parts if n]
    return line("More: " + " · ".join(shown) if shown else "Nothing recorded yet: /help")


def answer(snapshot: Snapshot) -> Reply:
    """At most six lines (title, toll, three developments, counts) and MAX_CHARACTERS in all."""
    situation = snapshot.situation
    title = clip(line(f"{situation.title} — {situation.region}"), TITLE_WIDTH).text
    toll = clip(line(strong("Toll: "), *headline(snapshot).parts), HEADLINE_WIDTH)
    more = counts(snapshot)
    room = MAX_CHARACTERS - len(title) - len(toll.text) - len(more.text) - 20  # bullets and blank lines
    lines = developments(snapshot, width=min(DEVELOPMENT_WIDTH, room // LATEST))
    return Reply(title, [Section(None, [toll, *lines])], more)
