"""`/history ID` and `/whatchanged`: what was recorded, by whom, when and why; nothing is hidden."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from briefings.answers.cards import fact_lines
from briefings.answers.common import local_time
from briefings.answers.latest import latest_tolls
from briefings.answers.toll import WORDS, number
from briefings.facts import Fact, Status, Toll
from briefings.reply import Line, Part, Reply, Section, b, line, u
from briefings.snapshot import Snapshot
from briefings.store import Revision
from briefings.store.store import encode
from briefings.when import EARLIEST, check_year

MAX_HISTORY = 12
MAX_PER_SECTION = 10
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
    for field in type(after).model_fields:
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
                b(f"#{revision.number}"),
                f" · {local_time(revision.at, zone)} · {ACTIONS.get(revision.action, revision.action)} by ",
                u(who(revision)),
            ]
            if revision.reason:
                head += [" · why: ", u(revision.reason)]
            lines.append(line(*head))
            if previous is None:
                lines += [ln.indented() for ln in fact_lines(snapshot, key, revision.fact)]
            else:
                changed = differences(snapshot, previous, revision.fact) or ["no change to the fact"]
                lines += [line(u(text), level=1) for text in changed]
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


def toll_change(snapshot: Snapshot, key: str, toll: Toll) -> list[str]:
    """How this claim moves its source's previous figures for the same place (`killed 70 → 120 (+50)`)."""
    recorded = snapshot.recorded_at.get(key)
    same = latest_tolls(snapshot).groups.get((toll.place, toll.sources[0]))
    earlier = [
        (k, t)
        for k, t in same or []
        if k != key and recorded is not None and snapshot.recorded_at.get(k, recorded) < recorded
    ]
    if not earlier:
        return ["first figure from this source here"]
    out = []
    newest_first = [t for _, t in reversed(sorted(earlier, key=lambda e: e[1].as_of.sort_key()))]
    for field in Toll.FIGURES:
        new = getattr(toll, field)
        old = next((v for t in newest_first if (v := getattr(t, field)) is not None), None)
        if new is None or old is None:
            continue
        if isinstance(old, int) and isinstance(new, int):
            delta = f" ({new - old:+,})" if new != old else " (unchanged)"
            out.append(f"{WORDS[field]} {number(old)} → {number(new)}{delta}")
    return out


def whatchanged(snapshot: Snapshot, revisions: list[Revision], since: datetime, now: datetime) -> Reply:
    zone = snapshot.situation.zone
    title = f"What changed since {local_time(since, zone)}"
    by_key: dict[str, list[Revision]] = {}
    for revision in revisions:
        by_key.setdefault(revision.key, []).append(revision)
    groups: dict[str, list[Line]] = {}
    loaded = 0
    for key, revs in by_key.items():
        before = [r for r in revs if r.at <= since]
        after = [r for r in revs if r.at > since]
        if not after:
            continue
        current = after[-1].fact
        if not before and after[0].action == "load":
            loaded += 1  # a situation file's facts are counted, not listed; what changed later is
            before, after = after[:1], after[1:]
            if not after:
                continue
        retracted = current.status is Status.retracted and (
            not before or before[-1].fact.status is not Status.retracted
        )
        if not before and not retracted:
            heading = "Tolls" if isinstance(current, Toll) else f"New {current.kind}s"
        else:
            heading = "Retracted" if retracted else "Corrections"
        if len(groups.get(heading, [])) > MAX_PER_SECTION * 2:
            continue  # that section is already cut short: nothing more of it is shown
        if retracted:
            reason = after[-1].reason
            why: list[Part] = [": ", u(reason)] if reason else []
            groups.setdefault("Retracted", []).append(
                line(b(key), f" {current.kind} retracted by ", u(who(after[-1])), *why)
            )
            groups["Retracted"].append(line(u(current.label()), level=1))
        elif not before:
            card = fact_lines(snapshot, key, current)
            groups.setdefault(heading, []).append(card[0])
            if isinstance(current, Toll):
                groups[heading] += [line(u(text), level=1) for text in toll_change(snapshot, key, current)]
        else:
            changes = differences(snapshot, before[-1].fact, current)
            if not changes:
                continue
            last = after[-1]
            why = [" · why: ", u(last.reason)] if last.reason else []
            groups.setdefault("Corrections", []).append(
                line(b(key), f" {ACTIONS.get(last.action, last.action)} by ", u(who(last)), *why)
            )
            groups["Corrections"] += [line(u(text), level=1) for text in changes]
    order = ["Tolls", "New events", "New reactions", "New measures", "New claims", "Corrections", "Retracted"]
    sections = []
    for heading in sorted(groups, key=lambda h: order.index(h) if h in order else len(order)):
        lines = groups[heading]
        if len(lines) > MAX_PER_SECTION * 2:
            lines = [*lines[: MAX_PER_SECTION * 2], line("… and more: narrow it with since=")]
        sections.append(Section(heading, lines))
    if loaded:
        sections.append(Section(None, [line(f"{loaded} facts loaded from a situation file.")]))
    if not sections:
        sections.append(Section(None, [line("Nothing has changed since then.")]))
    return Reply(title, sections, line(f"Up to {local_time(now, zone)} · /history ID for any fact"))
