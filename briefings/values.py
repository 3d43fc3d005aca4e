"""Value types of the fact model: names, counts, and the closed lists a fact's fields take."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints

from briefings.names import has_letters


def _findable(name: str) -> str:
    if not has_letters(name):
        raise ValueError(f"'{name}' has no letters or digits, so no one could find it by name; give a name in words")
    return name


Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120), AfterValidator(_findable)]
"""A name people look things up by: it must have a letter or a digit, in any script."""
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=400)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")]
Count = Annotated[int, Field(strict=True, ge=0, le=100_000_000)]
"""A whole number: `true`, `2.5` or `"12"` in a file are refused, not read as 1, 2 or 12."""
CategoryName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,39}$")]


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


MeasureKind = Annotated[str, BeforeValidator(kind_slug), StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,39}$")]
"""A kind of measure: one every situation knows (briefings/vocabulary.py) or one its file declares."""
