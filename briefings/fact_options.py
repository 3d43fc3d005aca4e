"""Turning a moderator's `key=value` options into a validated fact, with errors that name the option."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from briefings.categories import categories
from briefings.facts import (
    FACT_KINDS,
    ActorKind,
    Fact,
    PlaceKind,
    Qualifier,
    Sourced,
    SourceKind,
    Stance,
    Status,
    Toll,
    field_names,
)
from briefings.names import NameIndex
from briefings.option_parsers import (
    Env,
    Parser,
    actor_ref,
    choice,
    count,
    count_or_words,
    decimal,
    names_list,
    past_time,
    place_ref,
    references,
    source_ref,
    words,
)
from briefings.synonyms import chat_options
from briefings.validation import validate as check
from briefings.vocabulary import known_measure
from briefings.when import INPUT


class InputError(ValueError):
    """A moderator's input was refused; `option` names what to fix. Nothing was written."""

    def __init__(self, option: str, message: str) -> None:
        self.option, self.message = option, message
        super().__init__(f"{option}: {message}" if option else message)


__all__ = ["SPECS", "Env", "InputError", "Parser", "new_fact", "revised_fact"]


# option name -> (model field, parser)
Spec = dict[str, tuple[str, Parser]]
COMMON: Spec = {"note": ("note", words), "status": ("status", choice(Status))}
SOURCED: Spec = {**COMMON, "source": ("sources", source_ref), "via": ("sources", source_ref)}
SPECS: dict[str, Spec] = {
    "toll": {
        **SOURCED,
        **{name: (name, count) for name in ("killed", "civilians", "security", "insurgents", "unknown", "low", "high")},
        "wounded": ("wounded", count_or_words),
        "kidnapped": ("kidnapped", count_or_words),
        "qualifier": ("qualifier", choice(Qualifier)),
        "place": ("place", place_ref),
        "as_of": ("as_of", past_time),
    },
    "event": {
        **SOURCED,
        "date": ("when", past_time),
        "text": ("text", words),
        "place": ("places", references(place_ref)),
        "actors": ("actors", references(actor_ref)),
    },
    "reaction": {
        **SOURCED,
        "actor": ("actor", actor_ref),
        "stance": ("stance", choice(Stance)),
        "summary": ("summary", words),
        "quote": ("quote", words),
        "date": ("when", past_time),
    },
    "measure": {
        **SOURCED,
        "type": ("type", lambda text, env: known_measure(env.snapshot.situation, text)),
        "date": ("when", past_time),
        "text": ("text", words),
        "by": ("by", actor_ref),
        "place": ("places", references(place_ref)),
    },
    "claim": {
        **SOURCED,
        "actor": ("actor", actor_ref),
        "date": ("when", past_time),
        "text": ("text", words),
        "quote": ("quote", words),
        "topic": ("topic", words),
    },
    "source": {
        **COMMON,
        "name": ("name", words),
        "kind": ("type", choice(SourceKind)),
        "aliases": ("aliases", names_list),
        "description": ("description", words),
        "speaks_for": ("speaks_for", source_ref),
    },
    "place": {
        **COMMON,
        "name": ("name", words),
        "province": ("province", words),
        "kind": ("type", choice(PlaceKind)),
        "district": ("district", words),
        "country": ("country", words),
        "parent": ("parent", place_ref),
        "aliases": ("aliases", names_list),
        "pcode": ("pcode", words),
        "iso3": ("iso3", words),
        "lat": ("lat", decimal),
        "lon": ("lon", decimal),
    },
    "actor": {
        **COMMON,
        "name": ("name", words),
        "kind": ("type", choice(ActorKind)),
        "aliases": ("aliases", names_list),
        "description": ("description", words),
    },
}
DEFAULTS: dict[str, dict[str, str]] = {
    "reaction": {"date": "today"},
    "measure": {"date": "today", "type": "other"},
    "claim": {"date": "today"},
    "place": {"kind": "area"},
    "actor": {"kind": "organisation"},
    "source": {"kind": "other"},
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "toll": ("source",),
    "event": ("date", "text", "source"),
    "reaction": ("actor", "stance", "source"),
    "measure": ("text", "source"),
    "claim": ("text", "source"),
    "source": ("name",),
    "place": ("name",),
    "actor": ("name",),
}
CONTROL = frozenset({"reason", "confirm", "urgent"})
"""Options that steer a command rather than describe the fact."""


def option_for(kind: str, field: str) -> str:
    """The option name people type for a model field (`when` -> `date`)."""
    for option, (name, _) in SPECS[kind].items():
        if name == field and option != "via":
            return option
    return field


def toll_categories(env: Env) -> set[str]:
    """Toll options beyond the fixed ones: the known categories and the situation's own."""
    return set(categories(env.snapshot.situation)) - set(SPECS["toll"])


def check_options(kind: str, options: dict[str, str], extra: set[str] | None = None) -> None:
    allowed = set(SPECS[kind]) | CONTROL | (extra or set())
    for option in options:
        if option not in allowed:
            near = NameIndex.build("option", ((o, o, ()) for o in sorted(allowed))).suggest(option, limit=1)
            hint = f"; did you mean {near[0]}=" if near else ""
            raise InputError(option, f"/{kind} has no option '{option}'{hint} (options: {', '.join(SPECS[kind])})")


def parse_values(kind: str, options: dict[str, str], env: Env) -> dict[str, Any]:
    """Each option's value converted to its field's type; the first bad one raises InputError."""
    options = chat_options(kind, options, InputError)
    extra = toll_categories(env) if kind == "toll" else set()
    check_options(kind, options, extra)
    spec = SPECS[kind]
    values: dict[str, Any] = {}
    for option, raw in options.items():
        if option in CONTROL:
            continue
        if option in extra:
            try:
                counted = count_or_words(raw, env) if raw != "" else None
            except ValueError as exc:
                raise InputError(option, str(exc)) from None
            values.setdefault("counts", {})[option] = counted
            continue
        field, parse = spec[option]
        if raw == "" and option not in ("source", "via"):
            values[field] = None  # `note=""` clears an optional field
            continue
        try:
            value = parse(_today(raw, env), env)
        except ValueError as exc:
            raise InputError(option, str(exc)) from None
        if option == "source":
            values["sources"] = [value, *values.get("sources", [])]
        elif option == "via":
            values["sources"] = [*values.get("sources", []), value]
        else:
            values[field] = value
    return values


def _today(raw: str, env: Env) -> str:
    lowered = raw.strip().lower()
    if lowered == "today":
        return env.today_local.date().isoformat()
    if lowered == "now":
        return env.today_local.strftime("%Y-%m-%dT%H:%M")
    return raw


def new_fact(kind: str, options: dict[str, str], env: Env) -> Fact:
    """A fact of `kind` from a moderator's options, defaults filled in, fully validated."""
    given = {**DEFAULTS.get(kind, {}), **chat_options(kind, options, InputError)}
    if kind == "toll":
        given.setdefault("as_of", "now")
    if "via" in given and "source" not in given:
        raise InputError("source", "say who reported it first (source=...), then who relayed it (via=...)")
    for option in REQUIRED[kind]:
        if not given.get(option):
            raise InputError(option, f"required for /add {kind}" if kind != "toll" else "required: source=NAME")
    placed = any(given.get(o) for o in ("province", "country", "parent"))
    if kind == "place" and not placed and given.get("kind", "").strip().lower() != "country":
        raise InputError("province", "required for /add place (or country=..., parent=...; kind=country for a country)")
    values = parse_values(kind, given, env)
    if "counts" in values:
        values["counts"] = {k: v for k, v in values["counts"].items() if v is not None} or None
    return validate(kind, values)


def revised_fact(current: Fact, options: dict[str, str], env: Env) -> Fact:
    """`current` with the options applied; fields not named keep their value."""
    values = parse_values(current.kind, options, env)
    if "counts" in values and isinstance(current, Toll):
        merged = {**(current.counts or {}), **values["counts"]}
        values["counts"] = {k: v for k, v in merged.items() if v is not None} or None
    if "sources" in values and "via" not in options and isinstance(current, Sourced):
        values["sources"] = values["sources"][:1] + current.sources[1:]
    data = {**{name: getattr(current, name) for name in field_names(type(current))}, **values}
    return validate(current.kind, data)


def validate(kind: str, data: dict[str, Any]) -> Fact:
    try:
        return check(FACT_KINDS[kind], data, INPUT)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else ""
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "string_too_long":
            limit = (error.get("ctx") or {}).get("max_length")
            message = f"too long ({len(str(error['input']))} characters; at most {limit})"
        raise InputError(option_for(kind, field) if field else "", message) from None
