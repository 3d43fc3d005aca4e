"""A situation: what a set of facts is about, where, in which timezone, and the toll categories it counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from briefings.values import FORBID_EXTRA, CategoryName, Checked, MeasureKind, Name, Slug, Text

RESERVED = frozenset({"sources", "source", "via", "as_of", "place", "qualifier", "low", "high", "status", "note"})
"""Names a toll category may not take: they are a toll's other options."""


def _free(value: str) -> str:
    if value in RESERVED or value == "counts":
        raise ValueError(f"'{value}' is a toll option, not a category name")
    return value


def _known_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown timezone '{value}' (use an IANA name such as Asia/Tokyo)") from None
    return value


@dataclass(frozen=True, kw_only=True)
class CategoryDecl:
    """A toll category a situation declares: a new one, or a known one with its own label."""

    __pydantic_config__: ClassVar[dict[str, Any]] = FORBID_EXTRA

    name: Annotated[CategoryName, Checked(after=_free)]
    label: Name
    part_of: CategoryName | None = None
    """`killed` for a part of the killed total (its figure is never above the total)."""


@dataclass(frozen=True, kw_only=True)
class Situation:
    __pydantic_config__: ClassVar[dict[str, Any]] = FORBID_EXTRA

    slug: Slug
    title: Name
    region: Name
    timezone: Annotated[str, Checked(after=_known_zone)] = "UTC"
    description: Text | None = None
    measure_kinds: dict[MeasureKind, Name] = field(default_factory=dict)
    """Kinds of measure this situation speaks of beyond the common ones, with their labels."""
    categories: list[CategoryDecl] = field(default_factory=list)
    """Toll categories beyond the known ones (or known ones relabelled), in the order answers show them."""
    headline: CategoryName | None = None
    """The category the headline leads with (default: killed, when any figure gives it)."""

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)
