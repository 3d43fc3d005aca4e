"""The digest: the brief, then what changed since the previous digest (or the last 24 hours)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from briefings.answers import brief, changes
from briefings.answers.common import local_time
from briefings.reply import Reply, Section
from briefings.snapshot import Snapshot
from briefings.store import Revision


def answer(snapshot: Snapshot, revisions: list[Revision], since: datetime, now: datetime) -> Reply:
    zone = snapshot.situation.zone
    glance = brief.answer(snapshot)
    changed = changes.whatchanged(snapshot, revisions, since, now)
    sections = [s for s in glance.sections if s.lines]
    sections.append(Section(f"Since {local_time(since, zone)}"))
    sections += changed.sections
    return Reply(f"Digest — {snapshot.situation.title} — {local_time(now, zone)}", sections, glance.footer)


def in_zone(reply: Reply, since: datetime, now: datetime, zone: ZoneInfo) -> Reply:
    """The same digest with its times in `zone` (a subscription's own, which may not be the situation's)."""
    head = reply.title.rsplit(" — ", 1)[0]
    sections = [
        Section(f"Since {local_time(since, zone)}", s.lines) if (s.heading or "").startswith("Since ") else s
        for s in reply.sections
    ]
    return replace(reply, title=f"{head} — {local_time(now, zone)}", sections=sections, renderings={})
