"""HXL-tagged CSV of toll claims (https://hxlstandard.org): every claim, one per row, and the latest figure per
source, place and category. One source per row: rows are NEVER to be summed across sources, nor across places that
contain each other (docs/exports.md)."""

from __future__ import annotations

from collections.abc import Iterator

from briefings.exports.csvtext import write
from briefings.exports.places import where
from briefings.facts import Source, Status, Toll
from briefings.snapshot import Snapshot
from briefings.when import When

PLACE_COLUMNS = (
    ("Country", "#country+name"),
    ("Country code", "#country+code"),
    ("Admin 1", "#adm1+name"),
    ("Admin 1 P-code", "#adm1+code"),
    ("Admin 2", "#adm2+name"),
    ("Admin 2 P-code", "#adm2+code"),
    ("Location", "#loc+name"),
)
"""Where a claim is: names with optional P-codes, the HXL administrative levels."""

CLAIM_COLUMNS = (
    ("Killed", "#affected+killed"),
    ("Claim ID", "#meta+id"),
    ("Situation", "#crisis+name"),
    ("Source", "#meta+source"),
    ("Source type", "#meta+source+type"),
    ("As of", "#date+reported"),
    ("As of, as reported", "#meta+as_of"),
    *PLACE_COLUMNS,
    ("Latitude", "#geo+lat"),
    ("Longitude", "#geo+lon"),
    ("Qualifier", "#meta+qualifier"),
    ("Killed (low)", "#affected+killed+min"),
    ("Killed (high)", "#affected+killed+max"),
    ("Civilians killed", "#affected+killed+civilians"),
    ("Security forces killed", "#affected+killed+security"),
    ("Insurgents killed", "#affected+killed+insurgents"),
    ("Killed, side unknown", "#affected+killed+unknown"),
    ("Wounded", "#affected+injured"),
    ("Kidnapped", "#affected+abducted"),
    ("Other figures", "#meta+figures"),
    ("Status", "#status"),
    ("Superseded by", "#meta+id+superseded_by"),
    ("Note", "#description"),
)
"""The plain total comes first: an HXL query for `#affected+killed` takes the first column that matches."""

LATEST_COLUMNS = (
    ("Figure", "#indicator+num"),
    ("Figure in words", "#meta+words"),
    ("Category", "#indicator+name"),
    ("Qualifier", "#meta+qualifier"),
    ("Claim ID", "#meta+id"),
    ("Situation", "#crisis+name"),
    ("Source", "#meta+source"),
    ("As of", "#date+reported"),
    ("As of, as reported", "#meta+as_of"),
    *PLACE_COLUMNS,
)


def tolls(snapshot: Snapshot) -> list[tuple[str, Toll]]:
    """Claims not retracted, oldest first (by as-of, then id)."""
    found = [(k, f) for k, f in snapshot.facts.items() if isinstance(f, Toll) and f.status is not Status.retracted]
    return sorted(found, key=lambda kf: (kf[1].as_of.sort_key(), len(kf[0]), kf[0]))


def source_names(snapshot: Snapshot, toll: Toll) -> tuple[str, str]:
    sources = [snapshot.facts.get(key) for key in toll.sources]
    names = "; ".join(s.name if isinstance(s, Source) else key for s, key in zip(sources, toll.sources, strict=True))
    kinds = "; ".join(s.type.value for s in sources if isinstance(s, Source))
    return names, kinds


def hxl_date(when: When) -> str:
    """A date HXL tools read (`2025-03-07`, `2025-03-08T18:00`, `2025-03`); the source's own precision ("by",
    "morning") goes in the column beside it."""
    if when.month_only:
        return when.day.strftime("%Y-%m")
    return when.day.isoformat() + (when.clock.strftime("T%H:%M") if when.clock else "")


def _number(value: object) -> object:
    return value if isinstance(value, int) else None


def superseded(snapshot: Snapshot) -> dict[str, str]:
    """Each claim's next claim from the same sources for the same place, if any."""
    out: dict[str, str] = {}
    last: dict[tuple[tuple[str, ...], str | None], str] = {}
    for key, toll in tolls(snapshot):
        series = (tuple(toll.sources), toll.place)
        if series in last:
            out[last[series]] = key
        last[series] = key
    return out


def claim_rows(snapshot: Snapshot) -> Iterator[list[object]]:
    later = superseded(snapshot)
    title = snapshot.situation.title
    for key, toll in tolls(snapshot):
        place = where(snapshot, toll.place)
        names, kinds = source_names(snapshot, toll)
        vague = [f"{n}: {toll.value(n)}" for n in ("wounded", "kidnapped") if isinstance(toll.value(n), str)]
        yield [
            toll.killed, key, title, names, kinds, hxl_date(toll.as_of), toll.as_of.iso(),
            place.country, place.iso3, place.adm1, place.adm1_code, place.adm2, place.adm2_code, place.location,
            place.lat, place.lon,
            toll.qualifier.value if toll.qualifier else None, toll.low, toll.high,
            toll.civilians, toll.security, toll.insurgents, toll.unknown,
            _number(toll.wounded), _number(toll.kidnapped),
            "; ".join(vague + [f"{n}: {v}" for n, v in (toll.counts or {}).items()]),
            toll.status.value, later.get(key), toll.note,
        ]  # fmt: skip


def claims_csv(snapshot: Snapshot) -> str:
    """Every toll claim, one per row: a header row, the HXL hashtag row, then the claims."""
    return write([[c for c, _ in CLAIM_COLUMNS], [t for _, t in CLAIM_COLUMNS], *claim_rows(snapshot)])


def latest_rows(snapshot: Snapshot) -> Iterator[list[object]]:
    """For each source, place and category: the latest figure that source gave (one source per row)."""
    latest: dict[tuple[str, str | None, str], tuple[str, Toll]] = {}
    for key, toll in tolls(snapshot):
        for category in toll.given():
            latest[(";".join(toll.sources), toll.place, category)] = (key, toll)
    title = snapshot.situation.title
    for (_, _, category), (key, toll) in sorted(latest.items(), key=lambda item: (str(item[0]), item[1][0])):
        place = where(snapshot, toll.place)
        names, _ = source_names(snapshot, toll)
        qualifier = toll.qualifier.value if toll.qualifier and category == "killed" else None
        value = toll.value(category)
        yield [
            _number(value), None if isinstance(value, int) else value, category, qualifier, key, title, names,
            hxl_date(toll.as_of), toll.as_of.iso(),
            place.country, place.iso3, place.adm1, place.adm1_code, place.adm2, place.adm2_code, place.location,
        ]  # fmt: skip


def latest_csv(snapshot: Snapshot) -> str:
    return write([[c for c, _ in LATEST_COLUMNS], [t for _, t in LATEST_COLUMNS], *latest_rows(snapshot)])
