"""Day words in an article read against its publication date: `on Thursday`, `as of Friday morning`,
`yesterday`, `on 6 March`."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache

from briefings.when import PartOfDay, When

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_PART = r"(?:\s+(?P<part>morning|afternoon|evening|night))?"
_DAY_WORDS = re.compile(
    r"\b(?:(?P<weekday>" + "|".join(WEEKDAYS) + r")" + _PART + r"|(?P<rel>today|yesterday|tonight|last night)"
    r"|this\s+(?P<this>morning|afternoon|evening)|(?P<explicit>\d{1,2}\s+"
    + MONTHS
    + r"(?:\s+\d{4})?|"
    + MONTHS
    + r"\s+\d{1,2}(?:,?\s+\d{4})?)|in\s+(?P<month>"
    + MONTHS
    + r"))\b(?!\s+\d)",
    re.IGNORECASE,
)


def weekday_date(name: str, published: date) -> date:
    """The last day with that name on or before publication: a Friday article's `Friday` is that same day."""
    back = (published.weekday() - WEEKDAYS.index(name.lower())) % 7
    return published - timedelta(days=back)


@lru_cache(maxsize=256)
def _explicit(text: str, published: date) -> date | None:
    import dateparser  # type: ignore[import-untyped]  # loaded only for a date with a month name

    base = datetime(published.year, published.month, published.day, 12)
    found = dateparser.parse(
        text, languages=["en"], settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "STRICT_PARSING": False}
    )
    return found.date() if found else None


def find_when(text: str, published: datetime) -> tuple[When, int, int] | None:
    """The first day the text names, read against the publication time, with its span; None when it names none."""
    day = published.date()
    for match in _DAY_WORDS.finditer(text):
        if re.search(r"\b(?:since|until|till|through)\s+$", text[: match.start()], re.IGNORECASE):
            continue  # the start or end of a span, not the day the fact is stated for
        part: str | None = match.group("part")
        if match.group("weekday"):
            found: date | None = weekday_date(match.group("weekday"), day)
        elif match.group("rel"):
            rel = match.group("rel").lower()
            found = day - timedelta(days=1) if rel in ("yesterday", "last night") else day
            part = "night" if rel in ("tonight", "last night") else None
        elif match.group("month"):
            if not match.group("month")[0].isupper():
                continue  # "in may" is not a month
            month = _month_number(match.group("month"))
            year = day.year if month <= day.month else day.year - 1
            return When(day=date(year, month, 1), month_only=True), match.start(), match.end()
        elif match.group("this"):
            found, part = day, match.group("this").lower()
        else:
            found = _explicit(match.group("explicit"), day)
        if found is None or found > day:
            continue
        return When(day=found, part=PartOfDay(part.lower()) if part else None), match.start(), match.end()
    return None


def _month_number(name: str) -> int:
    return ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].index(
        name[:3].lower()
    ) + 1


def by_publication(published: datetime) -> When:
    """What a fact dated by nothing but the article is: on or before its publication day."""
    return When(day=published.date(), by=True)
