"""`/timeline [day]`: events and measures in order, grouped by day, as precise as the sources."""

from __future__ import annotations

import bisect
import re
from datetime import date, datetime

from briefings.answers.common import cite, footer
from briefings.facts import Event, Fact, Measure, Status
from briefings.reply import Line, Reply, Section, line, problem, untrusted
from briefings.snapshot import Snapshot, fact_order
from briefings.vocabulary import measure_label
from briefings.when import When

MAX_ENTRIES = 14
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_FORMATS = ("%Y-%m-%d", "%d %b %Y", "%d %B %Y", "%b %d %Y", "%B %d %Y", "%d %b", "%d %B", "%b %d", "%B %d")

Item = tuple[str, Event | Measure]


class DayError(ValueError):
    pass


def parse_day(text: str, latest: date) -> date:
    """`2025-03-06`, `6 March`, `Mar 6`, `thursday`, `thu`: weekdays and yearless dates are read as the
    most recent such day on or before the latest date in the situation."""
    cleaned = re.sub(r"[,.]|(?<=\d)(st|nd|rd|th)\b", "", text.strip().lower())
    cleaned = re.sub(r"\s+", " ", cleaned)
    for i, name in enumerate(_WEEKDAYS):
        if len(cleaned) >= 3 and name.startswith(cleaned):
            return date.fromordinal(latest.toordinal() - (latest.weekday() - i) % 7)
    for fmt in _FORMATS:
        try:
            parsed = datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
        if "%Y" not in fmt:
            parsed = parsed.replace(year=latest.year)
            if parsed > latest:
                parsed = parsed.replace(year=latest.year - 1)
        return parsed
    raise DayError(f"'{text}' is not a day I can read; try 2025-03-06, 6 March or thursday")


def items(snapshot: Snapshot) -> list[Item]:
    """Events and measures in the order they happened (events first, then by id, where the time is the same)."""
    ordered: list[Item] = snapshot.derived("timeline", _in_order, _reordered)
    return list(ordered)


def _order(item: Item) -> tuple[tuple[date, int, int], int, tuple[str, int]]:
    return (item[1].when.sort_key(), 0 if isinstance(item[1], Event) else 1, fact_order(item[0]))


def _in_order(snapshot: Snapshot) -> list[Item]:
    return sorted([*snapshot.all(Event), *snapshot.all(Measure)], key=_order)


def _reordered(ordered: list[Item], old: Snapshot, new: Snapshot, changed: dict[str, Fact]) -> list[Item]:
    """The order patched for changed facts: each taken out, and put back in its place if it still belongs."""
    if not any(isinstance(f, Event | Measure) for f in (*changed.values(), *(old.facts.get(k) for k in changed))):
        return ordered
    patched = list(ordered)
    for key, fact in changed.items():
        was = old.facts.get(key)
        if isinstance(was, Event | Measure):
            at = bisect.bisect_left(patched, _order((key, was)), key=_order)
            if at < len(patched) and patched[at][0] == key:
                del patched[at]
        if isinstance(fact, Event | Measure) and fact.status is not Status.retracted:
            bisect.insort(patched, (key, fact), key=_order)
    return patched


def entry_line(snapshot: Snapshot, key: str, fact: Event | Measure) -> Line:
    time = ""
    if fact.when.clock:
        time = fact.when.clock.strftime("%H:%M") + " "
    elif fact.when.part:
        time = f"({fact.when.part.value}) "
    kind = f"{measure_label(snapshot.situation, fact.type)}: " if isinstance(fact, Measure) else ""
    return line(time + kind, untrusted(fact.text), *cite(snapshot, fact, None, key))


def heading(when: When) -> str:
    if when.month_only:
        return when.human()
    day = When(day=when.day).human()
    return f"By {day} (day not given)" if when.by else day


def answer(snapshot: Snapshot, day_text: str = "") -> Reply:
    entries = items(snapshot)
    title = f"Timeline — {snapshot.situation.title}"
    if not entries:
        return Reply(title, [Section(None, [line("No events recorded yet.")])])
    skipped = 0
    if day_text:
        try:
            day = parse_day(day_text, max(f.when.day for _, f in entries))
        except DayError as exc:
            return problem(str(exc))
        entries = [(k, f) for k, f in entries if f.when.covers(day)]
        title = f"{title}: {When(day=day).human()}"
        if not entries:
            days = sorted({f.when.day for _, f in items(snapshot) if not f.when.month_only})
            return problem(
                f"Nothing recorded for {When(day=day).human()}.",
                "Days with entries: " + ", ".join(When(day=d).human(with_year=False) for d in days),
            )
    elif len(entries) > MAX_ENTRIES:
        skipped = len(entries) - MAX_ENTRIES
        entries = entries[-MAX_ENTRIES:]
    sections: list[Section] = []
    for key, fact in entries:
        title_of_day = heading(fact.when)
        if not sections or sections[-1].heading != title_of_day:
            sections.append(Section(title_of_day))
        sections[-1].lines.append(entry_line(snapshot, key, fact))
    extra = f"{skipped} earlier entries: /timeline DAY" if skipped else ""
    return Reply(title, sections, footer(snapshot, [f for _, f in entries], extra))
