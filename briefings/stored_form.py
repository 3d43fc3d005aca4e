"""Facts, situations and dates to their stored (JSON) form and back.

Reading back is not validation: what the store holds was validated when it was written, so it is rebuilt as it
is, quickly and without pydantic (a fact's own consistency rules still run, in its `__post_init__`)."""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Callable, Hashable
from enum import Enum
from typing import Any, TypeVar, cast

from briefings.when import When

T = TypeVar("T")
Reader = Callable[[Any], Any]


def to_stored(value: Any, exclude_none: bool = True) -> Any:
    """JSON values for a fact, a situation, a When or anything they hold; None fields left out unless asked."""
    if isinstance(value, When):
        return value.iso()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [to_stored(one, exclude_none) for one in value]
    if isinstance(value, dict):
        return {key: to_stored(one, exclude_none) for key, one in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        found = ((f.name, getattr(value, f.name)) for f in dataclasses.fields(value))
        return {name: to_stored(one, exclude_none) for name, one in found if not (exclude_none and one is None)}
    return value


def from_stored(cls: type[T], data: dict[str, Any]) -> T:
    """An instance of the dataclass `cls` from its stored form."""
    values, kind = dict(data), cast(Hashable, cls)
    for name, read in _readers(kind):
        if name in values:
            values[name] = read(values[name])
    return cls(**values)


@functools.cache
def _readers(cls: Any) -> tuple[tuple[str, Reader], ...]:
    """For each field of `cls` whose stored form is not already its value: how to read it."""
    hints = typing.get_type_hints(cls)
    readers = ((f.name, _reader(hints[f.name])) for f in dataclasses.fields(cls))
    return tuple((name, read) for name, read in readers if read is not None)


def _reader(hint: Any) -> Reader | None:
    """None when the JSON value is the value (text, numbers, true/false, lists of text)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Union or origin is types.UnionType:
        return _either([a for a in args if a is not type(None)])
    if origin is list:
        each = _reader(args[0])
        return None if each is None else functools.partial(_each, each)
    if origin is dict:
        item = _reader(args[1])
        return None if item is None else functools.partial(_items, item)
    if hint is When:
        return When.parse
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return functools.partial(from_stored, hint)
    return None


def _each(read: Reader, values: list[Any]) -> list[Any]:
    return [read(one) for one in values]


def _items(read: Reader, values: dict[str, Any]) -> dict[str, Any]:
    return {key: read(one) for key, one in values.items()}


def _either(members: list[Any]) -> Reader | None:
    """A value that may be None or one of `members` (`int | Vague`: a number stays, a word is the Vague)."""
    readers = [(member, _reader(member)) for member in members]
    if len(readers) == 1 and readers[0][1] is None:
        return None

    def read(value: Any) -> Any:
        if value is None:
            return None
        for member, reader in readers:
            if reader is None and isinstance(value, typing.get_origin(member) or member):
                return value
        for _, reader in readers:
            if reader is not None:
                try:
                    return reader(value)
                except (ValueError, TypeError):
                    continue
        return value

    return read
