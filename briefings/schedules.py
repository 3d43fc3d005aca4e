"""When a channel's digests are due: a local wall-clock time on chosen weekdays, in an IANA timezone.
Slots are computed as UTC instants; each local date gives at most one slot, so the doubled hour of a
daylight-saving change posts once and the skipped hour posts at the shifted instant."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ALL_DAYS = frozenset(range(7))
_NAMED_DAYS = {
    "daily": ALL_DAYS,
    "everyday": ALL_DAYS,
    "weekdays": frozenset(range(5)),
    "weekends": frozenset({5, 6}),
}
_TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$")
TIME_EXAMPLES = "use HH:MM, for example 08:00 or 18:30"
ZONE_EXAMPLES = "use an IANA name such as Europe/London, Asia/Tokyo, America/New_York or UTC"
DAY_EXAMPLES = "use daily, weekdays, weekends, mon-fri or mon,wed,fri"


def parse_time(text: str) -> time:
    match = _TIME.match(text.strip().lower())
    if not match:
        raise ValueError(f"'{text}' is not a time; {TIME_EXAMPLES}")
    hour, minute, meridiem = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if meridiem:
        if not 1 <= hour <= 12:
            raise ValueError(f"'{text}' is not a time; {TIME_EXAMPLES}")
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ValueError(f"'{text}' is not a time of day; {TIME_EXAMPLES}")
    return time(hour, minute)


@cache
def _zones() -> dict[str, str]:
    """Every IANA name, by its lower-case spelling (reading the tz database is slow: once per process)."""
    return {zone.lower(): zone for zone in available_timezones()}


def parse_zone(text: str) -> ZoneInfo:
    name = text.strip()
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        pass
    known = _zones()
    if name.lower() in known:
        return ZoneInfo(known[name.lower()])
    by_city = {zone.rsplit("/", 1)[-1].lower().replace("_", " "): zone for zone in known.values()}
    from rapidfuzz import process  # loaded only when a spelling is not exact

    near = process.extractOne(name.lower().replace("_", " "), list(by_city), score_cutoff=75)
    hint = f" (did you mean {by_city[near[0]]}?)" if near else ""
    raise ValueError(f"unknown timezone '{text}'{hint}; {ZONE_EXAMPLES}")


def parse_days(text: str) -> frozenset[int]:
    cleaned = text.strip().lower().replace(" ", "")
    if cleaned in _NAMED_DAYS:
        return _NAMED_DAYS[cleaned]
    days: set[int] = set()
    for part in cleaned.split(","):
        ends = part.split("-")
        if len(ends) > 2 or not all(_is_day(e) for e in ends):
            raise ValueError(f"'{text}' is not a set of days; {DAY_EXAMPLES}")
        first, last = WEEKDAYS.index(ends[0][:3]), WEEKDAYS.index(ends[-1][:3])
        day = first
        days.add(day)
        while day != last:
            day = (day + 1) % 7
            days.add(day)
    return frozenset(days)


_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _is_day(word: str) -> bool:
    """`mon`, `tues`, `monday`: a day's name or its start (three letters at least); not `month`."""
    return len(word) >= 3 and any(name.startswith(word) for name in _DAY_NAMES)


def days_text(days: frozenset[int]) -> str:
    for name, value in _NAMED_DAYS.items():
        if days == value and name != "everyday":
            return name
    return ",".join(WEEKDAYS[d] for d in sorted(days))


@dataclass(frozen=True)
class Schedule:
    at: time
    zone: ZoneInfo
    days: frozenset[int] = ALL_DAYS

    def describe(self) -> str:
        return f"{self.at:%H:%M} {self.zone.key}, {days_text(self.days)}"

    def slot_on(self, day: date) -> datetime | None:
        """The UTC instant of this schedule's slot on a local date (None if not one of its days)."""
        if day.weekday() not in self.days:
            return None
        return datetime.combine(day, self.at, self.zone).astimezone(UTC)

    def slots_between(self, start: datetime, end: datetime) -> list[datetime]:
        """Every slot s with start < s <= end, oldest first."""
        first = start.astimezone(self.zone).date() - timedelta(days=1)
        last = end.astimezone(self.zone).date() + timedelta(days=1)
        slots = []
        day = first
        while day <= last:
            slot = self.slot_on(day)
            if slot is not None and start < slot <= end:
                slots.append(slot)
            day += timedelta(days=1)
        return slots

    def latest_due(self, now: datetime) -> datetime | None:
        """The most recent slot at or before `now`."""
        slots = self.slots_between(now - timedelta(days=8), now)
        return slots[-1] if slots else None

    def next_after(self, now: datetime) -> datetime:
        return self.slots_between(now, now + timedelta(days=8))[0]
