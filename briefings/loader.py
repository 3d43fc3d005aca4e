"""Reading a situation file (YAML or JSON) into validated facts, with errors that name the field."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from briefings.categories import unknown_categories
from briefings.facts import FACT_KINDS, Actor, Fact, Measure, Place, Situation, Source, Toll
from briefings.names import NameIndex, UnknownName
from briefings.vocabulary import known_measure

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
    return load_text(text, str(path), base)


def load_text(text: str, origin: str, base: dict[str, Fact] | None = None) -> SituationFile:
    import yaml  # loaded only when a file is read

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SituationFileError(origin, [f"not valid YAML or JSON: {exc}".replace("\n", " ")]) from None
    if not isinstance(data, dict):
        raise SituationFileError(origin, ["the file must be a mapping with 'situation' and fact lists"])
    return parse(data, origin, base)


def parse(data: dict[str, Any], origin: str, base: dict[str, Fact] | None = None) -> SituationFile:
    """Validates a whole file. With `base` (facts already stored), names and new ids also take
    those into account, so a file merged into a situation may name what only the store knows."""
    problems: list[str] = []
    unknown = sorted(set(data) - set(SECTIONS) - {"situation"})
    problems += [f"{key}: unknown section (expected situation, {', '.join(SECTIONS)})" for key in unknown]
    situation: Situation | None = None
    try:
        situation = Situation.model_validate(data.get("situation"))
    except ValidationError as exc:
        problems += _describe(exc, "situation")
    facts: dict[str, Fact] = {}
    known: dict[str, Fact] = dict(base or {})
    explicit: set[str] = set()
    indexes: dict[str, NameIndex] = {}
    for section, kind in SECTIONS.items():
        items = data.get(section) or []
        if not isinstance(items, list):
            problems.append(f"{section}: must be a list")
            continue
        if kind in ("source", "place"):
            indexes[kind] = reference_index(kind, known)
        for i, item in enumerate(items):
            where = f"{section}[{i}]"
            if not isinstance(item, dict):
                problems.append(f"{where}: must be a mapping of fields")
                continue
            if item.get("id"):
                explicit.add(str(item["id"]))
            if kind == "toll" and situation is not None:
                problems += _categories(situation, item, where)
            key, fact_or_problems = _build(kind, dict(item), where, facts, known, indexes)
            if isinstance(fact_or_problems, Measure) and situation is not None:
                try:
                    known_measure(situation, fact_or_problems.type)
                except ValueError as exc:
                    fact_or_problems = [f"{where}.type: {exc}"]
            if isinstance(fact_or_problems, list):
                problems += fact_or_problems
            else:
                facts[key] = known[key] = fact_or_problems
                if kind in indexes and isinstance(fact_or_problems, Source | Place):
                    indexes[kind].add(key, fact_or_problems.name, fact_or_problems.aliases)
        if kind in ("source", "place", "actor"):
            indexes[kind] = reference_index(kind, known)
    if problems or situation is None:
        raise SituationFileError(origin, problems)
    return SituationFile(situation, facts, explicit)


def reference_index(kind: str, facts: dict[str, Fact]) -> NameIndex:
    cls = FACT_KINDS[kind]
    entries = [
        (key, fact.name, fact.aliases)
        for key, fact in facts.items()
        if isinstance(fact, Source | Place | Actor) and isinstance(fact, cls)
    ]
    return NameIndex.build(kind, entries)


def _build(
    kind: str,
    item: dict[str, Any],
    where: str,
    facts: dict[str, Fact],
    known: dict[str, Fact],
    indexes: dict[str, NameIndex],
) -> tuple[str, Fact | list[str]]:
    cls = FACT_KINDS[kind]
    key = str(item.pop("id", "") or _next_key(cls.prefix, known))
    if not key.startswith(cls.prefix) or not key[1:].isdigit():
        return key, [f"{where}.id: '{key}' must be '{cls.prefix}' followed by a number"]
    if key in facts:
        return key, [f"{where}.id: '{key}' is used twice"]
    if "source" in item and "sources" not in item:
        item["sources"] = [item.pop("source")]
    problems: list[str] = []
    for field_name, ref_kind in REFERENCES.items():
        if field_name not in item or ref_kind not in indexes or (kind == ref_kind) != (field_name in SAME_KIND):
            continue
        value = item[field_name]
        try:
            if isinstance(value, list):
                item[field_name] = [_exact(indexes[ref_kind], str(v)) for v in value]
            elif value is not None:
                item[field_name] = _exact(indexes[ref_kind], str(value))
        except UnknownName as exc:
            problems.append(f"{where}.{field_name}: {exc}")
    if problems:
        return key, problems
    try:
        return key, cls.model_validate(item)
    except ValidationError as exc:
        return key, _describe(exc, where)


def _categories(situation: Situation, item: dict[str, Any], where: str) -> list[str]:
    """Toll fields that are neither a toll's own nor a category known or declared in `situation`."""
    names = [str(k) for k in item if k not in Toll.model_fields and k not in ("id", "source")]
    return [
        f"{where}.{name}: unknown toll category '{name}' (declare it under situation.categories)"
        for name in unknown_categories(situation, names)
    ]


def _exact(index: NameIndex, text: str) -> str:
    """Files must name things exactly (a name, an alias or an id); close spellings are refused."""
    key = index.exact(text)
    if key is None:
        raise UnknownName(index.what, text, index.suggest(text))
    return key


def _next_key(prefix: str, facts: dict[str, Fact]) -> str:
    numbers = [int(k[1:]) for k in facts if k.startswith(prefix) and k[1:].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1}"


def _describe(exc: ValidationError, where: str) -> list[str]:
    out = []
    for error in exc.errors():
        path = ".".join([where, *(str(part) for part in error["loc"])])
        message = error["msg"].removeprefix("Value error, ")
        out.append(f"{path}: {message}")
    return out
