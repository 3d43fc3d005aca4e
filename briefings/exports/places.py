"""Where a fact happened, as exports name it: country, first- and second-level areas (with P-codes when the
situation gives them), the place itself and its coordinates. Nothing is guessed: unknown parts stay empty."""

from __future__ import annotations

from dataclasses import dataclass

from briefings.answers.hierarchy import place_tree
from briefings.facts import Place, PlaceKind
from briefings.snapshot import Snapshot
from briefings.untrusted import one_line


@dataclass(frozen=True)
class Where:
    country: str = ""
    iso3: str = ""
    adm1: str = ""
    adm1_code: str = ""
    adm2: str = ""
    adm2_code: str = ""
    location: str = ""
    lat: str = ""
    lon: str = ""


def where(snapshot: Snapshot, key: str | None) -> Where:
    """The place `key` and the areas that contain it (None: the whole situation, no place)."""
    place = snapshot.facts.get(key) if key else None
    if not isinstance(place, Place):
        return Where()
    above = [snapshot.facts[k] for k in place_tree(snapshot).ancestors(key or "")]
    chain = [place, *(p for p in above if isinstance(p, Place))]
    found: dict[str, Place] = {}
    for each in chain:
        found.setdefault(each.type.value, each)
    country = found.get(PlaceKind.country.value)
    adm1 = found.get(PlaceKind.province.value)
    adm2 = found.get(PlaceKind.district.value)
    iso3 = next((p.iso3 for p in chain if p.iso3), "")
    return Where(
        country=one_line(country.name) if country else one_line(place.country or ""),
        iso3=iso3 or "",
        adm1=one_line(adm1.name) if adm1 else one_line(place.province or ""),
        adm1_code=(adm1.pcode or "") if adm1 else "",
        adm2=one_line(adm2.name) if adm2 else one_line(place.district or ""),
        adm2_code=(adm2.pcode or "") if adm2 else "",
        location=one_line(place.name),
        lat="" if place.lat is None else f"{place.lat:g}",
        lon="" if place.lon is None else f"{place.lon:g}",
    )
