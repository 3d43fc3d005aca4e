"""Reading a situation file (YAML or JSON) into validated facts, with errors that name the field."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from briefings.categories import unknown_categories
from briefings.control_chars import control_problem, shown, without_surrogates
from briefings.facts import FACT_KINDS, Actor, Fact, Measure, Place, Situation, Source, Toll, field_names
from briefings.field_errors import describe
from briefings.names import NameIndex, UnknownName
from briefings.synonyms import file_fields
from briefings.validation import validate
from briefings.vocabulary import known_measure
from briefings.when import INPUT
from briefings.yaml_text import YamlTextError, read

# Section name in the file -> fact kind. Reference kinds come first: the others name them.
SECTIONS: dict[str, str] = {
    "sources": "source",
    "places": "place",
    "actors": "actor",
    "tolls": "toll",
    "events": "event",
    "reactions": "reaction",
    "measures": "measure",
    "claims": "claim",
}
# Fields that name other facts, and which index resolves them.
REFERENCES: dict[str, str] = {
    "sources": "source",
    "place": "place",
    "places": "place",
    "actor": "actor",
    "actors": "actor",
    "by": "actor",
    "parent": "place",
    "speaks_for": "source",
}
SAME_KIND = {"parent", "speaks_for"}
"""Reference fields that name a fact of the same kind, listed earlier in its section."""
ID = re.compile(r"[a-z][0-9]{1,9}")
"""A fact's id: its kind's letter and a number (ASCII digits, at most nine)."""


class SituationFileError(ValueError):
    """A situation file was refused; `problems` name each field and what is wrong with it."""

    def __init__(self, origin: str, problems: list[str]) -> None:
        self.origin, self.problems = origin, problems
        super().__init__(
            f"{origin}: " + "; ".join(problems)
            if len(problems) == 1
            else "\n".join([f"{origin}: {len(problems)} problems"] + [f"  {p}" for p in problems])
        )


@dataclass
class SituationFile:
    situation: Situation
    facts: dict[str, Fact]
    explicit: set[str] = field(default_factory=set)
    """Ids the file gave itself (the others were numbered on reading)."""


def load_file(path: Path, base: dict[str, Fact] | None = None) -> SituationFile:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SituationFileError(str(path), [f"cannot read the file ({exc.strerror})"]) from None
    except UnicodeDecodeError as exc:
        problem = f"not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start}); save it as UTF-8"
        raise SituationFileError(str(path), [problem]) from None
    return load_text(text, str(path), base)


def load_text(text: str, origin: str, base: dict[str, Fact] | None = None) -> SituationFile:

    try:
        data = read(text)
    except YamlTextError as exc:
        raise SituationFileError(origin, [f"not valid YAML or JSON: {exc}"]) from None
    if not isinstance(data, dict):
        raise SituationFileError(origin, ["the file must be a mapping with 'situation' and fact lists"])
    return parse(data, origin, base)


def parse(data: dict[Any, Any], origin: str, base: dict[str, Fact] | None = None) -> SituationFile:
    """Validates a whole file and reports every problem in it at once. With `base` (facts already stored), names
    and new ids also take those into account, so a file merged into a situation may name what only the store
    knows."""
    problems = control_problems(data, "")
    if problems:
        data = without_surrogates(data)
    unknown = sorted((key for key in data if key not in SECTIONS and key != "situation"), key=str)
    problems += [f"{_key_text(key)}: unknown section (expected situation, {', '.join(SECTIONS)})" for key in unknown]
    situation: Situation | None = None
    try:
        situation = validate(Situation, data.get("situation"))
    except ValidationError as exc:
        problems += describe(exc, "situation", Situation)
    reading = _Reading(dict(base or {}))
    for section, kind in SECTIONS.items():
        items = data.get(section) or []
        if not isinstance(items, list):
            problems.append(f"{section}: must be a list")
            continue
        if kind in ("source", "place"):  # a place may name its parent, a source whom it speaks for
            reading.indexes[kind] = reference_index(kind, reading.known)
        for i, item in enumerate(items):
            where = f"{section}[{i}]"
            if not isinstance(item, dict):
                problems.append(f"{where}: must be a mapping of fields")
                continue
            if kind == "toll" and situation is not None:
                problems += _categories(situation, item, where)
            problems += reading.build(kind, dict(item), where, situation)
        if kind in ("source", "place", "actor"):
            reading.indexes[kind] = reference_index(kind, reading.known)
            reading.refused[kind] = NameIndex.build(kind, reading.refused_entries.get(kind, []))
    if problems or situation is None:
        raise SituationFileError(origin, problems)
    return SituationFile(situation, reading.facts, reading.explicit)


def control_problems(value: Any, path: str, seen: set[int] | None = None) -> list[str]:
    """Every text anywhere in the data that breaks the control-character rule, by path. Shared lists and
    mappings (YAML anchors) are looked at once."""
    seen = set() if seen is None else seen
    if isinstance(value, str):
        problem = control_problem(value)
        return [f"{path or 'the file'}: {problem}"] if problem else []
    if not isinstance(value, dict | list) or id(value) in seen:
        return []
    seen.add(id(value))
    out: list[str] = []
    pairs = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in pairs:
        inner = f"{path}[{key}]" if isinstance(value, list) else (f"{path}.{key}" if path else str(key))
        if isinstance(key, str) and (problem := control_problem(key)):
            out.append(f"{path or 'the file'}: a field name {problem}")
            continue
        out += control_problems(item, inner, seen)
    return out


@dataclass
class _Reading:
    """What one pass over a file has built so far."""

    known: dict[str, Fact]
    facts: dict[str, Fact] = field(default_factory=dict)
    explicit: set[str] = field(default_factory=set)
    """Ids the file gave itself (the others were numbered on reading)."""
    indexes: dict[str, NameIndex] = field(default_factory=dict)
    refused: dict[str, NameIndex] = field(default_factory=dict)
    """Names of the file's own places, sources and actors that were refused, by where they are in the file."""
    refused_entries: dict[str, list[tuple[str, str, list[str]]]] = field(default_factory=dict)

    def build(self, kind: str, item: dict[Any, Any], where: str, situation: Situation | None) -> list[str]:
        """Validates one item; keeps the fact, or returns all of its problems."""
        cls = FACT_KINDS[kind]
        problems: list[str] = []
        given = item.pop("id", None)
        key = _next_key(cls.prefix, self.known)
        if given is not None and given != "":
            key = given if isinstance(given, str) else repr(given)
            if not (ID.fullmatch(key) and key.startswith(cls.prefix)):
                wanted = f"'{cls.prefix}' and a number of up to 9 digits, like {cls.prefix}1"
                problems.append(f"{where}.id: {shown(key)} must be {wanted}")
            elif key in self.facts:
                problems.append(f"{where}.id: '{key}' is used twice")
            else:
                self.explicit.add(key)
        single = "source" in item and "sources" not in item
        if single:
            item["sources"] = [item.pop("source")]
        problems += [f"{where}.{problem}" for problem in file_fields(kind, item)]
        for field_name, ref_kind in REFERENCES.items():
            if field_name in item and ref_kind in self.indexes and (kind == ref_kind) == (field_name in SAME_KIND):
                sugar = single and field_name == "sources"  # `source: X` is `sources: [X]`
                path = f"{where}.source" if sugar else f"{where}.{field_name}"
                problems += self._resolve(item, field_name, ref_kind, path, numbered=not sugar)
        try:
            fact = validate(cls, item, INPUT)
        except ValidationError as exc:
            problems += describe(exc, where, cls)
            if kind in ("source", "place", "actor"):
                self._remember_refused(kind, item, where)
            return problems
        if isinstance(fact, Measure) and situation is not None:
            try:
                known_measure(situation, fact.type)
            except ValueError as exc:
                problems.append(f"{where}.type: {exc}")
        if not problems:
            self.facts[key] = self.known[key] = fact
            if kind in self.indexes and isinstance(fact, Source | Place):
                self.indexes[kind].add(key, fact.name, fact.aliases)
        elif kind in ("source", "place", "actor"):
            self._remember_refused(kind, item, where)
        return problems

    def _resolve(self, item: dict[Any, Any], field_name: str, kind: str, path: str, numbered: bool) -> list[str]:
        """Files must name things exactly (a name, an alias or an id); close spellings are refused."""
        value = item[field_name]
        if value is None:
            return []
        many = isinstance(value, list)
        problems, resolved = [], []
        for i, one in enumerate(value if many else [value]):
            text = one if isinstance(one, str) else repr(one)
            here = f"{path}[{i}]" if many and numbered else path
            key = self.indexes[kind].exact(text)
            refused = self.refused[kind].exact(text) if kind in self.refused else None
            if key is not None:
                resolved.append(key)
            elif refused is not None:
                problems.append(f"{here}: {shown(text)} is the {kind} at {refused}, which has problems of its own")
            else:
                problems.append(f"{here}: {UnknownName(kind, shown(text)[1:-1], self.indexes[kind].suggest(text))}")
        if not problems:
            item[field_name] = resolved if many else resolved[0]
        return problems

    def _remember_refused(self, kind: str, item: dict[Any, Any], where: str) -> None:
        name, aliases = item.get("name"), item.get("aliases")
        if isinstance(name, str):
            spellings = [a for a in aliases if isinstance(a, str)] if isinstance(aliases, list) else []
            self.refused_entries.setdefault(kind, []).append((where, name, spellings))


def reference_index(kind: str, facts: dict[str, Fact]) -> NameIndex:
    cls = FACT_KINDS[kind]
    entries = [
        (key, fact.name, fact.aliases)
        for key, fact in facts.items()
        if isinstance(fact, Source | Place | Actor) and isinstance(fact, cls)
    ]
    return NameIndex.build(kind, entries)


def _categories(situation: Situation, item: dict[Any, Any], where: str) -> list[str]:
    """Toll fields that are neither a toll's own nor a category known or declared in `situation`."""
    names = [str(k) for k in item if k not in field_names(Toll) and k not in ("id", "source")]
    return [
        f"{where}.{name}: unknown toll category '{name}' (declare it under situation.categories)"
        for name in unknown_categories(situation, names)
    ]


def _key_text(key: Any) -> str:
    """A key as the file wrote it (`null`, `true`, `12`, `'name'`)."""
    if key is None or isinstance(key, bool):
        return {None: "null", True: "true", False: "false"}[key]
    return str(key) if isinstance(key, int | float) else shown(key)[1:-1]


def _next_key(prefix: str, facts: dict[str, Fact]) -> str:
    numbers = [int(k[1:]) for k in facts if k.startswith(prefix) and ID.fullmatch(k)]
    return f"{prefix}{max(numbers, default=0) + 1}"
