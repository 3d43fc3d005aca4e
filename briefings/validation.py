"""Checking input against the fact model: pydantic, loaded only by what takes input (files, commands, forms).

Reading stored facts never comes here (see `briefings.revisions.decode`)."""

from __future__ import annotations

import functools
from collections.abc import Hashable
from typing import Any, TypeVar, cast

from pydantic import TypeAdapter

T = TypeVar("T")


@functools.cache
def _adapter(cls: Any) -> TypeAdapter[Any]:
    return TypeAdapter(cls)


def validate(cls: type[T], data: Any, context: dict[str, Any] | None = None) -> T:
    """An instance of `cls` (a fact class, Situation or When) from input; raises pydantic's ValidationError naming
    each field that is wrong. `context`: `when.INPUT` for what people and files give."""
    gather = getattr(cls, "gather", None)
    valid: T = _adapter(cast(Hashable, cls)).validate_python(gather(data) if gather else data, context=context)
    return valid
