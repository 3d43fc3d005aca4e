"""Dates with the precision the source gave: a month, a day, a part of a day, a clock time."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any


class PartOfDay(StrEnum):
    morning = "morning"
    afternoon = "afternoon"
    evening = "evening"
    night = "night"


_PATTERN = re.compile(
    r"^(?P<by>by\s+)?(?P<year>\d{4})-(?P<month>\d{2})(?:-(?P<day>\d{2}))?"
    r"(?:(?:\s+(?P<part>morning|afternoon|evening|night))|(?:[T\s](?P<hh>\d{2}):(?P<mm>\d{2})))?$",
    re.IGNORECASE,
)
EARLIEST = date(1900, 1, 1)
"""No date people give (a fact's date, `since=`) may be earlier: `0001-01-01` is a typo, not a date."""
INPUT = {"input": True}
"""Validation context for what people and files give, as opposed to what the store already holds: new input
must also follow the rules made after it was stored (the earliest date)."""
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


@dataclass(frozen=True)
class When:
    """A point in time as precise as the source: `2024-12`, `2025-03-06`, `2025-03-07 morning`,
    `2025-03-07T09:30`; `by 2025-03-07` means on or before that day (the source gives no date).
    Stored and sent as its text (`iso`)."""

    day: date
    month_only: bool = False
    part: PartOfDay | None = None
    clock: time | None = None
    by: bool = False

    @classmethod
    def read(cls, value: Any, context: dict[str, Any] | None = None) -> When:
        """A When from its text, a date or date-time, or a When; with the INPUT context, checks the year too.
        Raises ValueError naming what is wrong."""
        if isinstance(value, str):
            found = cls(**cls.parse_fields(value))
        elif isinstance(value, datetime):
            found = cls(value.date(), clock=value.time().replace(second=0, microsecond=0))
        elif isinstance(value, date):
            found = cls(value)
        elif isinstance(value, When):
            found = value
        else:
            raise ValueError(f"{value!r} is not a date; use YYYY-MM-DD, 'YYYY-MM-DD morning' or YYYY-MM-DDTHH:MM")
        if context and context.get("input") and found is not value:  # a When already held passed the check then
            check_year(found.day)
        return found

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        """How validation (pydantic) reads and writes a When: `read`, and its text."""
        from pydantic_core import core_schema

        return core_schema.with_info_plain_validator_function(
            lambda value, info: cls.read(value, info.context),
            serialization=core_schema.plain_serializer_function_ser_schema(lambda when: when.iso()),
        )

    @staticmethod
    def parse_fields(text: str) -> dict[str, Any]:
        match = _PATTERN.match(text.strip())
        if not match:
            raise ValueError(f"'{text}' is not a date; use YYYY-MM-DD, 'YYYY-MM-DD morning' or YYYY-MM-DDTHH:MM")
        g = match.groupdict()
        month_only = g["day"] is None
        try:
            day = date(int(g["year"]), int(g["month"]), int(g["day"] or 1))
            clock = time(int(g["hh"]), int(g["mm"])) if g["hh"] else None
        except ValueError as exc:
            raise ValueError(f"'{text}' is not a real date or time ({exc})") from None
        if month_only and (g["part"] or clock):
            raise ValueError(f"'{text}': a part of day or a time needs a day")
        return {
            "day": day,
            "month_only": month_only,
            "part": PartOfDay(g["part"].lower()) if g["part"] else None,
            "clock": clock,
            "by": bool(g["by"]),
        }

    @classmethod
    def parse(cls, text: str) -> When:
        return cls.read(text)

    def iso(self) -> str:
        """The canonical text form, which `parse` reads back."""
        text = self.day.strftime("%Y-%m") if self.month_only else self.day.isoformat()
        if self.clock:
            text += "T" + self.clock.strftime("%H:%M")
        elif self.part:
            text += " " + self.part.value
        return ("by " + text) if self.by else text

    def sort_key(self) -> tuple[date, int, int]:
        """Orders by day, then time of day; a whole day after its parts, "by" a day before it."""
        if self.clock:
            minutes = self.clock.hour * 60 + self.clock.minute
        elif self.part:
            minutes = {"morning": 9, "afternoon": 15, "evening": 19, "night": 23}[self.part] * 60
        elif self.by:
            minutes = -1  # "by" a day: most likely earlier than what is dated to that day
        else:
            minutes = 24 * 60
        return (self.day, minutes, 1 if self.month_only else 0)

    def human(self, with_year: bool = True) -> str:
        """Reads well in chat: `Thu 6 Mar 2025`, `Fri 7 Mar 2025, morning`, `by Fri 7 Mar 2025`."""
        if self.month_only:
            text = f"{_MONTHS[self.day.month - 1]} {self.day.year}"
        else:
            text = f"{_DAYS[self.day.weekday()]} {self.day.day} {_MONTHS[self.day.month - 1]}"
            if with_year:
                text += f" {self.day.year}"
        if self.clock:
            text += " " + self.clock.strftime("%H:%M")
        elif self.part:
            text += ", " + self.part.value
        return ("by " + text) if self.by else text

    def covers(self, day: date) -> bool:
        """True when this point may fall on `day`."""
        if self.month_only:
            return (self.day.year, self.day.month) == (day.year, day.month)
        return self.day == day


def check_year(day: date) -> None:
    """Raises ValueError for a date before EARLIEST."""
    if day < EARLIEST:
        raise ValueError(f"{day.isoformat()} is before {EARLIEST.year}; check the year")
