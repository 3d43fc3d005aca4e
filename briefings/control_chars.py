"""One rule for every piece of text people or files give: no control characters.

Tab, line feed and carriage return are whitespace and allowed (renderers decide how a line break shows). Every
other C0/C1 control character (NUL, escape, bell, delete, ...) and any lone surrogate is refused with an error that
names the field: such characters cannot be shown, some databases cannot store them, and none belongs in a figure,
a name or a reason."""

from __future__ import annotations

import unicodedata

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


def shown(value: object, limit: int = 40) -> str:
    """A value quoted for an error message: control characters made visible, long values cut."""
    text = value if isinstance(value, str) else repr(value)
    visible = "".join(
        f"\\u{ord(c):04x}" if c not in " " and unicodedata.category(c) in ("Cc", "Cs") else c for c in text
    )
    if len(visible) > limit:
        visible = visible[: limit - 1] + "…"
    return f"'{visible}'"
