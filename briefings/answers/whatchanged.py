"""`/whatchanged`: every change since a time, newest first, a page at a time; the cut says how to see the rest."""

from __future__ import annotations

from datetime import datetime

from briefings.answers.changed import ORDER, TOLLS, Changes
from briefings.answers.changelines import item_lines
from briefings.answers.common import local_time
from briefings.reply import Line, Reply, Section, line
from briefings.snapshot import Snapshot

PAGE = 12
"""Items on one page of /whatchanged."""
BASIS = "by reported time (as of), of what was recorded since; late entries marked"


def since_option(changes: Changes, snapshot: Snapshot) -> str:
    """`since=2025-03-08T08:00`: the same start, in the situation's time, as /whatchanged reads it."""
    return "since=" + changes.since.astimezone(snapshot.situation.zone).strftime("%Y-%m-%dT%H:%M")


def page_of(page: int) -> slice:
    return slice((page - 1) * PAGE, page * PAGE)


def answer(snapshot: Snapshot, changes: Changes, now: datetime, page: int = 1) -> Reply:
    zone = snapshot.situation.zone
    title = f"What changed since {local_time(changes.since, zone)}"
    shown = changes.items[page_of(page)]
    by_heading: dict[str, list[Line]] = {}
    for item in shown:
        by_heading.setdefault(item.heading, []).extend(item_lines(snapshot, changes, item))
    sections = [
        Section(f"{heading} (net change per source)" if heading == TOLLS else heading, lines)
        for heading, lines in sorted(by_heading.items(), key=lambda e: ORDER.index(e[0]) if e[0] in ORDER else 99)
    ]
    notes: list[Line] = []
    older = changes.total - page_of(page).start - len(shown)
    if older > 0:
        more = f"/whatchanged {since_option(changes, snapshot)} page={page + 1}"
        notes.append(line(f"{older} older change{'s' if older > 1 else ''} not shown: {more}"))
    if changes.loaded:
        notes.append(line(f"{changes.loaded} facts loaded from a situation file."))
    if not shown and page > 1:
        notes.append(line(f"There are only {changes.total} changes since then: fewer pages than {page}."))
    elif not changes.items and not changes.loaded:
        notes.append(line("Nothing has changed since then."))
    if notes:
        sections.append(Section(None, notes))
    return Reply(title, sections, line(f"Up to {local_time(now, zone)}, {BASIS} · /history ID for any fact"))
