"""Tables shaped like those conflict analysts load: ACLED-style events and UCDP-GED-style tolls. Only what the
situation records is filled in; every column the model has no field for stays empty, never guessed."""

from __future__ import annotations

from collections.abc import Iterator

from briefings.exports.claims import source_names, tolls
from briefings.exports.csvtext import write
from briefings.exports.places import where
from briefings.facts import Actor, Event, Source, Status
from briefings.snapshot import Snapshot

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso3", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip
"""ACLED's columns (2023 codebook). Event types, actors' inter codes and fatalities are not in the model: empty.
A toll is one source's cumulative claim, not an event's fatalities, so it is never put in `fatalities`."""

UCDP_COLUMNS = (
    "id", "relid", "year", "active_year", "code_status", "type_of_violence", "conflict_new_id", "conflict_name",
    "dyad_new_id", "dyad_name", "side_a_new_id", "side_a", "side_b_new_id", "side_b", "number_of_sources",
    "source_article", "source_office", "source_date", "source_headline", "source_original", "where_prec",
    "where_coordinates", "where_description", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt",
    "priogrid_gid", "country", "country_id", "region", "event_clarity", "date_prec", "date_start", "date_end",
    "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high", "low", "gwnoa", "gwnob",
)  # fmt: skip
"""UCDP GED's columns, one row per toll claim. UCDP's best/low/high estimate one event; here they are one
source's claim as of a date (docs/exports.md)."""


def _names(snapshot: Snapshot, keys: list[str], kind: type[Actor] | type[Source]) -> list[str]:
    found = [snapshot.facts.get(k) for k in keys]
    return [f.name for f in found if isinstance(f, Actor | Source) and isinstance(f, kind)]


def acled_rows(snapshot: Snapshot) -> Iterator[list[object]]:
    events = [(k, f) for k, f in snapshot.facts.items() if isinstance(f, Event) and f.status is not Status.retracted]
    for key, event in sorted(events, key=lambda kf: (kf[1].when.sort_key(), len(kf[0]), kf[0])):
        place = where(snapshot, event.places[0] if event.places else None)
        actors = _names(snapshot, event.actors, Actor)
        precision = 3 if event.when.month_only else (2 if event.when.by else 1)
        changed = snapshot.revised_at.get(key)
        yield [
            f"{snapshot.situation.slug}-{key}", event.when.day.isoformat(), event.when.day.year, precision,
            None, None, None,
            actors[0] if actors else None, "; ".join(actors[2:]) or None, None,
            actors[1] if len(actors) > 1 else None, None, None, None, None,
            place.iso3, None, place.country, place.adm1, place.adm2, None, place.location, place.lat, place.lon, None,
            "; ".join(_names(snapshot, event.sources, Source)), None, event.text, None, None,
            int(changed.timestamp()) if changed else None,
        ]  # fmt: skip


def acled_csv(snapshot: Snapshot) -> str:
    return write([ACLED_COLUMNS, *acled_rows(snapshot)])


def ucdp_rows(snapshot: Snapshot) -> Iterator[list[object]]:
    for key, toll in tolls(snapshot):
        place = where(snapshot, toll.place)
        names, _ = source_names(snapshot, toll)
        wkt = f"POINT ({place.lon} {place.lat})" if place.lat else None
        day = toll.as_of.day.isoformat()
        yield [
            key, f"{snapshot.situation.slug}-{key}", toll.as_of.day.year, None, None, None, None,
            snapshot.situation.title, None, None, None, None, None, None, len(toll.sources),
            None, names, toll.as_of.iso(), toll.note, names, None,
            place.location or None, place.location or None, place.adm1, place.adm2, place.lat, place.lon, wkt,
            None, place.country, None, None, None, None, day, day,
            None, None, toll.civilians, toll.unknown, toll.killed, toll.high, toll.low, None, None,
        ]  # fmt: skip


def ucdp_csv(snapshot: Snapshot) -> str:
    return write([UCDP_COLUMNS, *ucdp_rows(snapshot)])
