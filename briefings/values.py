"""Value types of the fact model: names, counts, and the closed lists a fact's fields take."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Annotated, Any

from briefings.names import has_letters


@dataclass(frozen=True)
class Checked:
    """The rules a text, number or list field's input must follow, in the field's type (`Annotated[str,
    Checked(...)]`). Reading stored facts never checks them, so they cost nothing there; validation (pydantic,
    loaded only to check input) applies them through `__get_pydantic_core_schema__`, with pydantic's own
    constraints, so errors read the same as pydantic's."""

    strip: bool = False
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    ge: float | None = None
    le: float | None = None
    strict: bool = False
    before: Callable[[Any], Any] | None = None
    after: Callable[[Any], Any] | None = None

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints

        text: dict[str, Any] = {
            "strip_whitespace": self.strip or None,
            "max_length": self.max_length,
            "pattern": self.pattern,
        }
        other: dict[str, Any] = {"ge": self.ge, "le": self.le, "strict": self.strict or None}
        if source is str:
            text["min_length"] = self.min_length
        else:
            other["min_length"] = self.min_length
        rules: list[Any] = [BeforeValidator(self.before)] if self.before else []
        if any(v is not None for v in text.values()):
            rules.append(StringConstraints(**{k: v for k, v in text.items() if v is not None}))
        if any(v is not None for v in other.values()):
            rules.append(Field(**{k: v for k, v in other.items() if v is not None}))
        if self.after:
            rules.append(AfterValidator(self.after))
        return handler(Annotated[(source, *rules)]) if rules else handler(source)


FORBID_EXTRA: dict[str, Any] = {"extra": "forbid"}
"""Validation's settings for every fact class: a field it does not have is an error, never ignored."""


def _findable(name: str) -> str:
    if not has_letters(name):
        raise ValueError(f"'{name}' has no letters or digits, so no one could find it by name; give a name in words")
    return name


Name = Annotated[str, Checked(strip=True, min_length=1, max_length=120, after=_findable)]
"""A name people look things up by: it must have a letter or a digit, in any script."""
Text = Annotated[str, Checked(strip=True, min_length=1, max_length=400)]
Slug = Annotated[str, Checked(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")]
Count = Annotated[int, Checked(strict=True, ge=0, le=100_000_000)]
"""A whole number: `true`, `2.5` or `"12"` in a file are refused, not read as 1, 2 or 12."""
CategoryName = Annotated[str, Checked(pattern=r"^[a-z][a-z0-9_]{1,39}$")]


class Status(StrEnum):
    reported = "reported"
    confirmed = "confirmed"
    disputed = "disputed"
    retracted = "retracted"


class Qualifier(StrEnum):
    at_least = "at least"
    about = "about"
    more_than = "more than"
    exactly = "exactly"


class Vague(StrEnum):
    """Counts a source gives only in words."""

    several = "several"
    dozens = "dozens"
    hundreds = "hundreds"
    thousands = "thousands"


class Stance(StrEnum):
    condemns = "condemns"
    supports = "supports"
    warns = "warns"
    calls_for = "calls-for"
    accuses = "accuses"
    denies = "denies"
    other = "other"


class SourceKind(StrEnum):
    war_monitor = "war-monitor"
    news_agency = "news-agency"
    news_outlet = "news-outlet"
    government_body = "government-body"
    community_body = "community-body"
    foreign_ministry = "foreign-ministry"
    international_body = "international-body"
    rights_group = "rights-group"
    other = "other"


class ActorKind(StrEnum):
    state = "state"
    government = "government"
    official = "official"
    organisation = "organisation"
    community_body = "community-body"
    armed_group = "armed-group"
    person = "person"
    international_body = "international-body"


class PlaceKind(StrEnum):
    """Country -> first-level area (province, governorate, state) -> second-level area (district) -> locality."""

    country = "country"
    province = "province"
    district = "district"
    city = "city"
    town = "town"
    village = "village"
    area = "area"


def kind_slug(value: object) -> object:
    """`State of emergency` and `state_of_emergency` are the kind `state-of-emergency`."""
    if isinstance(value, str):
        return "-".join(value.strip().lower().replace("_", " ").replace("-", " ").split())
    return value


MeasureKind = Annotated[str, Checked(before=kind_slug, pattern=r"^[a-z][a-z0-9-]{0,39}$")]
"""A kind of measure: one every situation knows (briefings/vocabulary.py) or one its file declares."""


def field_names(cls: type[Any]) -> tuple[str, ...]:
    """The fields of a fact class, Situation or any dataclass, in order."""
    return tuple(f.name for f in fields(cls))
