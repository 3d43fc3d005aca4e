"""Parsers for the values of a moderator's `key=value` options: each raises ValueError saying what is wrong."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from briefings.facts import Vague
from briefings.names import NameIndex, UnknownName
from briefings.snapshot import Snapshot
from briefings.when import When, check_year


@dataclass(frozen=True)
class Env:
    """What option parsers may look at."""

    snapshot: Snapshot
    now: datetime

    @property
    def today_local(self) -> datetime:
        return self.now.astimezone(self.snapshot.situation.zone)


Parser = Callable[[str, Env], Any]
MAX_COUNT_DIGITS = 12


def count(text: str, env: Env) -> int:
    """Digits of any script (`70`, `٧٠`), with `,` or `_` between thousands; nothing else (`²`, `1e3`)."""
    cleaned = text.replace(",", "").replace("_", "").strip()
    digits = cleaned.removeprefix("-")
    if not digits.isdecimal():
        raise ValueError(f"'{text}' is not a whole number")
    if len(digits) > MAX_COUNT_DIGITS:
        raise ValueError(f"{text} is far too large for a count")
    value = int(cleaned)
    if value < 0:
        raise ValueError(f"{value} is negative; counts start at 0")
    return value


def count_or_words(text: str, env: Env) -> int | Vague:
    try:
        return Vague(text.strip().lower())
    except ValueError:
        pass
    try:
        return count(text, env)
    except ValueError:
        raise ValueError(f"'{text}' is not a number or one of {', '.join(v.value for v in Vague)}") from None


def choice(enum: type[StrEnum]) -> Parser:
    def parse(text: str, env: Env) -> StrEnum:
        wanted = text.strip().lower().replace(" ", "-").replace("_", "-")
        for member in enum:
            if member.value.replace(" ", "-") == wanted:
                return member
        raise ValueError(f"'{text}' is not one of: {', '.join(m.value for m in enum)}")

    return parse


def past_time(text: str, env: Env) -> When:
    when = When(**When.parse_fields(text))
    check_year(when.day)
    if when.day > env.today_local.date():
        raise ValueError(f"{when.iso()} is in the future (today is {env.today_local.date().isoformat()})")
    return when


def decimal(text: str, env: Env) -> float:
    try:
        return float(text.strip())
    except ValueError:
        raise ValueError(f"'{text}' is not a number (use decimal degrees, e.g. 35.52)") from None


def words(text: str, env: Env) -> str:
    return text.strip()


def names_list(text: str, env: Env) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def reference(index: Callable[[Snapshot], NameIndex], add_hint: str) -> Parser:
    def parse(text: str, env: Env) -> str:
        try:
            return index(env.snapshot).resolve(text)
        except UnknownName as exc:
            names = exc.suggestions or index(env.snapshot).names()[:8]
            raise ValueError(f"unknown {exc.what} '{text}'; known: {', '.join(names)} (or {add_hint} first)") from None

    return parse


def references(one: Parser) -> Parser:
    def parse(text: str, env: Env) -> list[str]:
        return [one(part, env) for part in names_list(text, env)]

    return parse


source_ref = reference(lambda s: s.sources, "/add source")
place_ref = reference(lambda s: s.places, "/add place")
actor_ref = reference(lambda s: s.actors, "/add actor")
