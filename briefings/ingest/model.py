"""A proposed fact: its kind, its fields, the sentence(s) it came from and the command that would record it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from briefings.snapshot import Snapshot

NAMED = {"source": "sources", "place": "places", "parent": "places", "actor": "actors", "by": "actors"}
"""Fields that hold a key of a known name, and the index that names it."""
LISTS = {"places": "places", "sources": "sources", "actors": "actors"}
_NO_DOUBLE_QUOTES = str.maketrans({q: "'" for q in '"\u201c\u201d\u201e\u00ab\u00bb'})


@dataclass(frozen=True)
class Proposal:
    """One fact an article states, not yet recorded. `fields` hold known names by key (`s1`, `p5`); `spans` are
    the character offsets of the evidence sentences in the article; `updates` is the recorded fact it revises."""

    kind: str
    fields: dict[str, Any]
    evidence: str
    spans: tuple[tuple[int, int], ...]
    updates: str | None = None
    unknown: dict[str, str] = field(default_factory=dict)
    """Names the article gives that the situation does not know (`source`: "the civil defence")."""

    def to_json(self) -> str:
        return json.dumps(
            {
                "kind": self.kind,
                "fields": self.fields,
                "evidence": self.evidence,
                "spans": [list(s) for s in self.spans],
                "updates": self.updates,
                "unknown": self.unknown,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> Proposal:
        data = json.loads(text)
        spans = tuple((int(a), int(b)) for a, b in data["spans"])
        return cls(data["kind"], data["fields"], data["evidence"], spans, data.get("updates"), data.get("unknown", {}))

    @property
    def verb(self) -> str:
        """The command that records it, without options: `/update toll` or `/add KIND`."""
        return "/update toll" if self.kind == "toll" else f"/add {self.kind}"

    def options(self, snapshot: Snapshot) -> dict[str, str]:
        """Its fields as a moderator would type them (names, not keys), leaving out empty ones."""
        found: dict[str, str] = {}
        for name, value in self.fields.items():
            if name == "source" and value is None and self.unknown.get("source"):
                found[name] = self.unknown["source"]  # refused until the source is added
                continue
            if value is None or value == []:
                continue
            if name in NAMED:
                value = _name(snapshot, NAMED[name], str(value))
            elif name in LISTS:
                value = ",".join(_name(snapshot, LISTS[name], str(v)) for v in value)
            found[name] = str(value)
        return found

    def command(self, snapshot: Snapshot, note: str | None = None) -> str:
        """The moderator command that records it: `/update toll ...` or `/add KIND ...` (names, not keys)."""
        return typed(self.verb, {**self.options(snapshot), **({"note": note} if note else {})})


def typed(verb: str, options: dict[str, str]) -> str:
    """`/add event` and options as one command text, values quoted where they need it."""
    return " ".join([verb, *(f"{name}={_quoted(value)}" for name, value in options.items())])


def _name(snapshot: Snapshot, index: str, key: str) -> str:
    names = getattr(snapshot, index)
    return str(names.name(key))


def _quoted(value: str) -> str:
    if value and all(ch.isalnum() or ch in "-_.:,/" for ch in value):
        return value
    return '"' + value.translate(_NO_DOUBLE_QUOTES) + '"'
