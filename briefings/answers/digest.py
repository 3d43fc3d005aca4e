"""The digest: the headline toll, then what changed since the previous digest (or the last 24 hours), newest
first, in at most MAX_LINES lines and MAX_CHARACTERS characters; the last line says what more there is."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from briefings.answers import brief
from briefings.answers.changed import Changes
from briefings.answers.changelines import item_lines
from briefings.answers.common import local_time
from briefings.answers.whatchanged import since_option
from briefings.render_text import render
from briefings.reply import Line, Reply, Section, line
from briefings.snapshot import Snapshot

MAX_LINES = 15
MAX_CHARACTERS = 1500
SHOWN_AT_MOST = MAX_LINES - 4
"""Changes a digest can show: its title, toll, "since" heading and last line take the other four lines."""


def answer(snapshot: Snapshot, changes: Changes, now: datetime) -> Reply:
    zone = snapshot.situation.zone
    glance = brief.answer(snapshot)
    title = f"Digest — {snapshot.situation.title} — {local_time(now, zone)}"
    heading = since_heading(changes.since, zone)
    shown: list[Line] = []
    reply = Reply(title, [Section(None, glance.sections[0].lines[:1]), Section(heading, shown)])
    for count, item in enumerate(changes.items[:SHOWN_AT_MOST]):
        lines = item_lines(snapshot, changes, item)
        reply.footer = _last_line(snapshot, changes, count + 1)
        shown += lines
        text = render(reply)
        if sum(1 for row in text.splitlines() if row.strip()) > MAX_LINES or len(text) > MAX_CHARACTERS:
            del shown[-len(lines) :]
            break
    if not changes.items:
        shown.append(line("Nothing new was recorded." if not changes.loaded else f"{changes.loaded} facts loaded."))
    reply.footer = _last_line(snapshot, changes, len(shown) if changes.items else 0)
    return reply


def _last_line(snapshot: Snapshot, changes: Changes, shown: int) -> Line:
    """`3 more changes: /whatchanged since=… · More: 4 tolls /toll · …`."""
    more = changes.total - shown
    counts = brief.counts(snapshot).text
    if more > 0:
        changed = f"{more} more change{'s' if more > 1 else ''}"
        return line(f"{changed}: /whatchanged {since_option(changes, snapshot)} · {counts}")
    return line(counts)


def since_heading(since: datetime, zone: ZoneInfo) -> str:
    """`Since Sat 8 Mar 2025 08:00 UTC+03, by when reported (as of)`: the start, and which time it goes by."""
    return f"Since {local_time(since, zone)}, by when reported (as of)"


def in_zone(reply: Reply, since: datetime, now: datetime, zone: ZoneInfo) -> Reply:
    """The same digest with its times in `zone` (a subscription's own, which may not be the situation's)."""
    head = reply.title.rsplit(" — ", 1)[0]
    sections = [
        Section(since_heading(since, zone), s.lines) if (s.heading or "").startswith("Since ") else s
        for s in reply.sections
    ]
    return replace(reply, title=f"{head} — {local_time(now, zone)}", sections=sections, renderings={})
