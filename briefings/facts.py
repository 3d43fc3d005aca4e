"""The fact model: every figure is a claim with its sources and an "as of" time (value types: values.py).

Facts are frozen dataclasses: reading them (the store, answers) needs nothing more. Input from people and files is
checked against the same classes by `briefings.validation` (pydantic), with the rules their field types carry
(`Checked`); a fact's own consistency rules are in `__post_init__`, so no fact that breaks them can exist."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar

from briefings.situation import CategoryDecl, Situation
from briefings.values import (
    FORBID_EXTRA,
    ActorKind,
    CategoryName,
    Checked,
    Count,
    MeasureKind,
    Name,
    PlaceKind,
    Qualifier,
    Slug,
    SourceKind,
    Stance,
    Status,
    Text,
    Vague,
    field_names,
    kind_slug,
)
from briefings.when import When

__all__ = [
    "ActorKind",
    "CategoryDecl",
    "CategoryName",
    "Count",
    "MeasureKind",
    "Name",
    "PlaceKind",
    "Qualifier",
    "Situation",
    "Slug",
]
__all__ += [
    "SourceKind",
    "Stance",
    "Status",
    "Text",
    "Vague",
    "field_names",
    "kind_slug",
]  # value types, importable from here too


@dataclass(frozen=True, kw_only=True)
class Fact:
    """What every kind of fact shares. Subclasses name their kind and id prefix."""

    __pydantic_config__: ClassVar[dict[str, Any]] = FORBID_EXTRA
    kind: ClassVar[str]
    prefix: ClassVar[str]

    status: Status = Status.reported
    note: Text | None = None

    @classmethod
    def gather(cls, data: Any) -> Any:
        """Input as given, rearranged into this class's fields before it is checked (see Toll)."""
        return data

    def label(self) -> str:
        """A short human name for lists and history."""
        return self.kind


@dataclass(frozen=True, kw_only=True)
class Source(Fact):
    kind: ClassVar[str] = "source"
    prefix: ClassVar[str] = "s"
    name: Name
    aliases: list[Name] = field(default_factory=list)
    type: SourceKind
    description: Text | None = None
    speaks_for: str | None = None
    """A source whose count this one announces (a minister giving an agency's): one series, never a dispute."""

    def label(self) -> str:
        return self.name


PCODE = r"^[A-Z]{2}[0-9A-Z]{1,14}$"
ISO3 = r"^[A-Z]{3}$"


@dataclass(frozen=True, kw_only=True)
class Place(Fact):
    """A place in the hierarchy. Its parent is `parent` (a place id) when given, else worked out from
    `district`, `province` and `country` (names of the places above it)."""

    kind: ClassVar[str] = "place"
    prefix: ClassVar[str] = "p"
    name: Name
    type: PlaceKind
    province: Name | None = None
    district: Name | None = None
    country: Name | None = None
    parent: str | None = None
    aliases: list[Name] = field(default_factory=list)
    pcode: Annotated[str, Checked(pattern=PCODE)] | None = None
    """An OCHA P-code (`SY0602`), as in the common operational datasets."""
    iso3: Annotated[str, Checked(pattern=ISO3)] | None = None
    lat: Annotated[float, Checked(ge=-90, le=90)] | None = None
    lon: Annotated[float, Checked(ge=-180, le=180)] | None = None

    def __post_init__(self) -> None:
        if self.type is not PlaceKind.country and not (self.province or self.parent or self.country):
            raise ValueError("a place needs a province, a country or a parent (only a country stands alone)")
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon, or neither")

    def label(self) -> str:
        return self.name


@dataclass(frozen=True, kw_only=True)
class Actor(Fact):
    kind: ClassVar[str] = "actor"
    prefix: ClassVar[str] = "a"
    name: Name
    type: ActorKind
    description: Text | None = None
    aliases: list[Name] = field(default_factory=list)

    def label(self) -> str:
        return self.name


@dataclass(frozen=True, kw_only=True)
class Sourced(Fact):
    """A fact somebody reported: it names at least one source (by id)."""

    sources: Annotated[list[str], Checked(min_length=1)]


@dataclass(frozen=True, kw_only=True)
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
    counts: dict[CategoryName, Count | Vague] | None = None
    """Other categories (missing, displaced, a situation's own ...), by name; files and commands give them
    like the others (`displaced: 120000`)."""

    BREAKDOWN: ClassVar[tuple[str, ...]] = ("security", "insurgents", "civilians", "unknown")
    FIGURES: ClassVar[tuple[str, ...]] = ("killed", *BREAKDOWN, "wounded", "kidnapped")

    @classmethod
    def gather(cls, data: Any) -> Any:
        """`displaced: 120000` beside the other fields goes into `counts`."""
        if isinstance(data, dict):
            own = field_names(cls)
            extra = {k: v for k, v in data.items() if k not in own}
            if extra:
                data = {k: v for k, v in data.items() if k in own}
                data["counts"] = {**(data.get("counts") or {}), **extra}
        return data

    def value(self, category: str) -> int | Vague | None:
        """The figure given for `category`, or None."""
        if category in self.FIGURES:
            found: int | Vague | None = getattr(self, category)
            return found
        return (self.counts or {}).get(category)

    def given(self) -> list[str]:
        """The categories this claim gives a figure for: the fixed ones in order, then the others."""
        return [name for name in self.FIGURES if getattr(self, name) is not None] + list(self.counts or {})

    def __post_init__(self) -> None:
        if not self.given():
            raise ValueError("a toll needs at least one figure (killed, civilians, wounded, displaced, ...)")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low ({self.low}) is above high ({self.high})")
        if self.killed is not None:
            if self.low is not None and self.low > self.killed:
                raise ValueError(f"low ({self.low}) is above killed ({self.killed})")
            if self.high is not None and self.high < self.killed:
                raise ValueError(f"high ({self.high}) is below killed ({self.killed})")

    def label(self) -> str:
        prefix = f"{self.qualifier.value} " if self.qualifier else ""
        for name in self.given():
            value = self.value(name)
            return f"{prefix if isinstance(value, int) else ''}{value} {name}"
        return "toll"


@dataclass(frozen=True, kw_only=True)
class Event(Sourced):
    kind: ClassVar[str] = "event"
    prefix: ClassVar[str] = "e"
    when: When
    text: Text
    places: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)

    def label(self) -> str:
        return self.text


@dataclass(frozen=True, kw_only=True)
class Reaction(Sourced):
    kind: ClassVar[str] = "reaction"
    prefix: ClassVar[str] = "r"
    actor: str
    stance: Stance
    when: When
    summary: Text | None = None
    quote: Text | None = None

    def __post_init__(self) -> None:
        if not self.summary and not self.quote:
            raise ValueError("a reaction needs a summary or a quote")

    def label(self) -> str:
        return self.summary or self.quote or ""


@dataclass(frozen=True, kw_only=True)
class Measure(Sourced):
    kind: ClassVar[str] = "measure"
    prefix: ClassVar[str] = "m"
    type: MeasureKind
    when: When
    text: Text
    by: str | None = None
    places: list[str] = field(default_factory=list)

    def label(self) -> str:
        return self.text


@dataclass(frozen=True, kw_only=True)
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
