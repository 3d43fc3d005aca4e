"""The fact model: every figure is a claim with its sources and an "as of" time."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, field_validator, model_validator

from briefings.when import When

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=400)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")]
Count = Annotated[int, Field(ge=0, le=10_000_000)]


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
    province = "province"
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


class Fact(BaseModel):
    """What every kind of fact shares. Subclasses name their kind and id prefix."""

    model_config = ConfigDict(extra="forbid", use_enum_values=False)
    kind: ClassVar[str]
    prefix: ClassVar[str]

    status: Status = Status.reported
    note: Text | None = None

    def label(self) -> str:
        """A short human name for lists and history."""
        return self.kind


class Source(Fact):
    kind: ClassVar[str] = "source"
    prefix: ClassVar[str] = "s"
    name: Name
    aliases: list[Name] = []
    type: SourceKind
    description: Text | None = None

    def label(self) -> str:
        return self.name


class Place(Fact):
    kind: ClassVar[str] = "place"
    prefix: ClassVar[str] = "p"
    name: Name
    type: PlaceKind
    province: Name
    district: Name | None = None
    aliases: list[Name] = []

    def label(self) -> str:
        return self.name


class Actor(Fact):
    kind: ClassVar[str] = "actor"
    prefix: ClassVar[str] = "a"
    name: Name
    type: ActorKind
    description: Text | None = None
    aliases: list[Name] = []

    def label(self) -> str:
        return self.name


class Sourced(Fact):
    """A fact somebody reported: it names at least one source (by id)."""

    sources: list[str] = Field(min_length=1)


class Toll(Sourced):
    """A toll claim: one source's count, for the whole situation or one place, as of a time."""

    kind: ClassVar[str] = "toll"
    prefix: ClassVar[str] = "t"
    as_of: When
    place: str | None = None
    qualifier: Qualifier | None = None
    killed: Count | None = None
    low: Count | None = None
    high: Count | None = None
    security: Count | None = None
    insurgents: Count | None = None
    civilians: Count | None = None
    unknown: Count | None = None
    wounded: Count | Vague | None = None
    kidnapped: Count | Vague | None = None

    BREAKDOWN: ClassVar[tuple[str, ...]] = ("security", "insurgents", "civilians", "unknown")
    FIGURES: ClassVar[tuple[str, ...]] = ("killed", *BREAKDOWN, "wounded", "kidnapped")

    @model_validator(mode="after")
    def _consistent(self) -> Toll:
        if all(getattr(self, name) is None for name in self.FIGURES):
            raise ValueError("a toll needs at least one figure (killed, civilians, wounded, ...)")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low ({self.low}) is above high ({self.high})")
        if self.killed is not None:
            if self.low is not None and self.low > self.killed:
                raise ValueError(f"low ({self.low}) is above killed ({self.killed})")
            if self.high is not None and self.high < self.killed:
                raise ValueError(f"high ({self.high}) is below killed ({self.killed})")
        return self

    def breakdown_sum(self) -> int | None:
        parts = [getattr(self, name) for name in self.BREAKDOWN]
        given = [p for p in parts if p is not None]
        return sum(given) if given else None

    def label(self) -> str:
        prefix = f"{self.qualifier.value} " if self.qualifier else ""
        for name in self.FIGURES:
            value = getattr(self, name)
            if value is not None:
                word = "killed" if name == "killed" else name
                return f"{prefix if isinstance(value, int) else ''}{value} {word}"
        return "toll"


class Event(Sourced):
    kind: ClassVar[str] = "event"
    prefix: ClassVar[str] = "e"
    when: When
    text: Text
    places: list[str] = []
    actors: list[str] = []

    def label(self) -> str:
        return self.text


class Reaction(Sourced):
    kind: ClassVar[str] = "reaction"
    prefix: ClassVar[str] = "r"
    actor: str
    stance: Stance
    when: When
    summary: Text | None = None
    quote: Text | None = None

    @model_validator(mode="after")
    def _says_something(self) -> Reaction:
        if not self.summary and not self.quote:
            raise ValueError("a reaction needs a summary or a quote")
        return self

    def label(self) -> str:
        return self.summary or self.quote or ""


class Measure(Sourced):
    kind: ClassVar[str] = "measure"
    prefix: ClassVar[str] = "m"
    type: MeasureKind
    when: When
    text: Text
    by: str | None = None
    places: list[str] = []

    def label(self) -> str:
        return self.text


class Claim(Sourced):
    """Who asserts what (an accusation, a characterisation); `actor` empty when unattributed."""

    kind: ClassVar[str] = "claim"
    prefix: ClassVar[str] = "c"
    actor: str | None = None
    when: When
    text: Text
    quote: Text | None = None
    topic: Name | None = None

    def label(self) -> str:
        return self.text


FACT_KINDS: dict[str, type[Fact]] = {
    cls.kind: cls for cls in (Source, Place, Actor, Toll, Event, Reaction, Measure, Claim)
}
KIND_BY_PREFIX: dict[str, type[Fact]] = {cls.prefix: cls for cls in FACT_KINDS.values()}


class Situation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    slug: Slug
    title: Name
    region: Name
    timezone: str = "UTC"
    description: Text | None = None
    measure_kinds: dict[MeasureKind, Name] = {}
    """Kinds of measure this situation speaks of beyond the common ones, with their labels."""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown timezone '{value}' (use an IANA name such as Asia/Tokyo)") from None
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)
