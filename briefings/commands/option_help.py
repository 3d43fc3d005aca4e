"""`/help add` and `/help add KIND`: the options of each kind of fact, required ones first, with their choices."""

from __future__ import annotations

from enum import StrEnum

from briefings.commands.table import Command
from briefings.examples import filled
from briefings.fact_options import DEFAULTS, REQUIRED, SPECS
from briefings.facts import ActorKind, PlaceKind, Qualifier, SourceKind, Stance, Status
from briefings.reply import Line, Outcome, Reply, Section, line, strong, untrusted
from briefings.snapshot import Snapshot
from briefings.synonyms import CHAT_ALIASES
from briefings.vocabulary import measure_kinds

KINDS = ("event", "reaction", "measure", "claim", "source", "place", "actor")
"""What `/add` adds (tolls are recorded with /update toll)."""
TEXT = '"…"'
VALUES: dict[str, str] = {
    "date": "YYYY-MM-DD[THH:MM]",
    "as_of": "YYYY-MM-DD[THH:MM]",
    "source": "NAME",
    "via": "NAME",
    "actor": "NAME",
    "by": "NAME",
    "actors": "NAME,NAME",
    "province": "NAME",
    "district": "NAME",
    "aliases": '"NAME,NAME"',
    "topic": "WORD",
    "parent": "NAME",
    "country": "NAME",
    "speaks_for": "NAME",
    "iso3": "ABC",
    "pcode": "CODE",
    "lat": "DEGREES",
    "lon": "DEGREES",
}
CHOICES: dict[tuple[str, str], type[StrEnum]] = {
    ("reaction", "stance"): Stance,
    ("source", "kind"): SourceKind,
    ("place", "kind"): PlaceKind,
    ("actor", "kind"): ActorKind,
    ("toll", "qualifier"): Qualifier,
}


def value_of(kind: str, option: str, snapshot: Snapshot) -> str:
    """What goes after `option=`: its choices, a shape, or quoted words."""
    found = CHOICES.get((kind, option))
    if found is not None:
        return "|".join(member.value.replace(" ", "-") for member in found)
    if kind == "measure" and option == "type":
        return "|".join(measure_kinds(snapshot.situation))
    if option == "place":
        return "NAME,NAME" if kind != "toll" else "NAME"
    if option == "status":
        return "|".join(s.value for s in Status if s is not Status.retracted)
    return VALUES.get(option, TEXT)


def kind_lines(kind: str, snapshot: Snapshot) -> list[Line]:
    spec = [option for option in SPECS[kind] if option != "status"]
    required = [o for o in REQUIRED[kind] if o in spec]
    optional = [o for o in spec if o not in REQUIRED[kind]]
    defaults = DEFAULTS.get(kind, {})
    lines = [line(strong(f"/add {kind}"), " ", " ".join(f"{o}={value_of(kind, o, snapshot)}" for o in required))]
    if optional:
        shown = [
            f"{o}={value_of(kind, o, snapshot)}" + (f" (default {defaults[o]})" if o in defaults else "")
            for o in optional
        ]
        lines.append(line("Optional: " + " · ".join(shown), level=1))
    aliases = CHAT_ALIASES.get(kind, {})
    if aliases:
        lines.append(line("Also accepted: " + ", ".join(f"{a}= for {w}=" for a, w in aliases.items()), level=1))
    return lines


def add_help(found: Command, kind: str, snapshot: Snapshot) -> Reply:
    """The options of every kind, or of the one asked for (`/help add event`)."""
    if kind and kind not in KINDS:
        hint = "/update toll" if kind == "toll" else f"/add {'|'.join(KINDS)}"
        return Reply(f"/add has no kind “{kind}”.", [Section(None, [line(f"Use {hint}.")])], outcome=Outcome.invalid)
    kinds = [kind] if kind else list(KINDS)
    sections = [Section(None, [line(found.summary), line("Usage: ", found.usage)])]
    for name in kinds:
        sections.append(Section(None, kind_lines(name, snapshot)))
    examples = [e for e in filled(found.examples, snapshot) if not kind or e.startswith(f"/add {kind} ")]
    if examples:
        sections.append(Section(None, [line("Example: ", untrusted(example)) for example in examples]))
    footer = line("Facts name sources, places and actors by any name or alias. For moderators only.")
    return Reply(f"/add {kind}".strip(), sections, footer)
