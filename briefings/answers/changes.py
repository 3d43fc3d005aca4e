"""`/history ID`, and the words every change list uses: who made a revision, what it changed, since when."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from briefings.answers.cards import fact_lines
from briefings.answers.common import local_time
from briefings.answers.toll import number
from briefings.facts import Fact, field_names
from briefings.reply import Line, Part, Reply, Section, line, strong, untrusted
from briefings.revisions import Revision, encode
from briefings.snapshot import Snapshot
from briefings.when import EARLIEST, check_year

MAX_HISTORY = 12
REFERENCE_FIELDS = {"sources", "place", "places", "actor", "actors", "by"}
ACTIONS = {
    "load": "loaded",
    "create": "added",
    "correct": "corrected",
    "retract": "retracted",
    "undo": "undone",
    "merge": "merged from a file",
}


def who(revision: Revision) -> str:
    if revision.author_name and revision.author_name not in revision.author:
        return f"{revision.author_name} ({revision.author})"
    return revision.author


def show_value(snapshot: Snapshot, field: str, value: Any) -> str:
    if value is None:
        return "—"
    if field in REFERENCE_FIELDS:
        keys = value if isinstance(value, list) else [value]
        return ", ".join(snapshot.name_of(k) for k in keys)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return number(value) if isinstance(value, int) else str(value)


def differences(snapshot: Snapshot, before: Fact | None, after: Fact) -> list[str]:
    """`killed 70 → 72`, one per changed field, in the model's field order."""
    old = encode(before) if before else {}
    new = encode(after)
    out = []
    for field in field_names(type(after)):
        if old.get(field) != new.get(field):
            out.append(
                f"{field} {show_value(snapshot, field, old.get(field))} → {show_value(snapshot, field, new.get(field))}"
            )
    return out


def history(snapshot: Snapshot, key: str, revisions: list[Revision]) -> Reply:
    zone = snapshot.situation.zone
    lines: list[Line] = []
    shown = revisions[-MAX_HISTORY:]
    if len(revisions) > len(shown):
        lines.append(line(f"{len(revisions) - len(shown)} earlier revisions not shown (full record: briefing export)"))
    previous: Fact | None = None
    for revision in revisions:
        if revision in shown:
            head: list[Part] = [
                strong(f"#{revision.number}"),
                f" · {local_time(revision.at, zone)} · {ACTIONS.get(revision.action, revision.action)} by ",
                untrusted(who(revision)),
            ]
            if revision.reason:
                head += [" · why: ", untrusted(revision.reason)]
            lines.append(line(*head))
            if previous is None:
                lines += [ln.indented() for ln in fact_lines(snapshot, key, revision.fact)]
            else:
                changed = differences(snapshot, previous, revision.fact) or ["no change to the fact"]
                lines += [line(untrusted(text), level=1) for text in changed]
        previous = revision.fact
    current = snapshot.facts.get(key)
    sections = [Section(None, lines)]
    if current is not None:
        sections.append(Section("Now", fact_lines(snapshot, key, current)))
    return Reply(f"History of {key} ({revisions[0].fact.kind})", sections)


# --- what changed -----------------------------------------------------------------------------

_RELATIVE = re.compile(r"^(\d+)\s*(m|min|h|d)$")


def parse_since(text: str, now: datetime, snapshot: Snapshot) -> datetime:
    """`24h`, `3d`, `90m`, `today`, `yesterday`, `2025-03-07`, `2025-03-07T08:00` (situation time)."""
    zone = snapshot.situation.zone
    cleaned = text.strip().lower()
    local_now = now.astimezone(zone)
    relative = _RELATIVE.match(cleaned)
    if relative:
        amount, unit = int(relative.group(1)), relative.group(2)
        minutes = amount * {"m": 1, "min": 1, "h": 60, "d": 24 * 60}[unit]
        if minutes > (now.date() - EARLIEST).days * 24 * 60:
            raise ValueError(f"'{text}' reaches back before {EARLIEST.year}; try a shorter time such as 30d")
        return now - timedelta(minutes=minutes)
    if cleaned in ("today", "yesterday"):
        day = local_now.date() - timedelta(days=1 if cleaned == "yesterday" else 0)
        return datetime.combine(day, time(), zone)
    try:
        if "t" in cleaned or " " in cleaned:
            moment = datetime.fromisoformat(cleaned.replace(" ", "T").upper())
            moment = moment if moment.tzinfo else moment.replace(tzinfo=zone)
        else:
            moment = datetime.combine(date.fromisoformat(cleaned), time(), zone)
    except ValueError:
        raise ValueError(
            f"'{text}' is not a time I can read; try 24h, 3d, yesterday, 2025-03-07 or 2025-03-07T08:00"
        ) from None
    check_year(moment.date())
    return moment
