"""One rule for every piece of text people or files give: no control characters.

Tab, line feed and carriage return are whitespace and allowed (renderers decide how a line break shows). Every
other C0/C1 control character (NUL, escape, bell, delete, ...) and any lone surrogate is refused with an error that
names the field: such characters cannot be shown, some databases cannot store them, and none belongs in a figure,
a name or a reason."""

from __future__ import annotations

import unicodedata
from typing import Any

ALLOWED = frozenset("\t\n\r")


def control_problem(text: str) -> str | None:
    """Why `text` is refused, or None when it is fine."""
    for char in text:
        if char in ALLOWED:
            continue
        category = unicodedata.category(char)
        if category == "Cc":
            return f"contains the control character U+{ord(char):04X}, which text may not hold; remove it"
        if category == "Cs":
            return f"contains a broken character (lone surrogate U+{ord(char):04X}); retype it"
    return None


def without_surrogates(value: Any, memo: dict[int, Any] | None = None) -> Any:
    """The same data with every lone surrogate replaced by U+FFFD, so that validators can look at it after the
    surrogate was reported (they cannot take one). Shared lists and mappings stay shared."""
    memo = {} if memo is None else memo
    if isinstance(value, str):
        return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in value)
    if not isinstance(value, dict | list):
        return value
    if id(value) not in memo:
        if isinstance(value, list):
            out: list[Any] = []
            memo[id(value)] = out
            out.extend(without_surrogates(item, memo) for item in value)
        else:
            mapping: dict[Any, Any] = {}
            memo[id(value)] = mapping
            mapping.update({without_surrogates(k, memo): without_surrogates(v, memo) for k, v in value.items()})
    return memo[id(value)]


def shown(value: object, limit: int = 40) -> str:
    """A value quoted for an error message: control characters made visible, long values cut."""
    text = value if isinstance(value, str) else repr(value)
    visible = "".join(
        f"\\u{ord(c):04x}" if c not in " " and unicodedata.category(c) in ("Cc", "Cs") else c for c in text
    )
    if len(visible) > limit:
        visible = visible[: limit - 1] + "…"
    return f"'{visible}'"
