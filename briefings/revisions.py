"""Revisions: the append-only history of each fact, and the changes a command asks to write."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from briefings.facts import FACT_KINDS, Fact
from briefings.stored_form import from_stored, to_stored


@dataclass(frozen=True)
class Revision:
    key: str
    number: int
    at: datetime
    author: str
    action: str
    reason: str | None
    batch: str
    fact: Fact
    author_name: str | None = None
    undoes: str | None = None
    """For an undo: the batch (one command's revisions) it takes back."""


@dataclass(frozen=True)
class Change:
    """One revision to write: a new fact (`key` None: the next free id; or `new` with a chosen id)
    or a new state of an existing one."""

    fact: Fact
    key: str | None = None
    action: str = "create"
    reason: str | None = None
    new: bool = False


def decode(kind: str, data: dict[str, Any]) -> Fact:
    """A fact from its stored form (written by `encode`, so not validated again)."""
    return from_stored(FACT_KINDS[kind], data)


def encode(fact: Fact) -> dict[str, Any]:
    """A fact's stored form."""
    stored: dict[str, Any] = to_stored(fact)
    return stored
