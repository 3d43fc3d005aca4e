"""Core command text from Discord's typed options: `/update toll killed=5 source="City Hospital"`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

OptionValue = str | int | bool | None
_QUOTES = str.maketrans({q: "'" for q in '"“”„«»＂'})


def quoted(value: str) -> str:
    """One value as the core grammar reads it: double quotes around spaces; quotes inside become apostrophes."""
    clean = " ".join(value.translate(_QUOTES).split())
    return f'"{clean}"' if " " in clean or not clean else clean


def command_text(
    name: str, words: Iterable[str | None] = (), options: Mapping[str, OptionValue] | None = None, raw: str = ""
) -> str:
    """`name`, then positional words, then `key=value` options (None and False left out, True as `yes`),
    then `raw` as the person typed it (free `key=value` text for /add, /correct, /digest)."""
    parts = [f"/{name}"]
    parts += [quoted(word) for word in words if word is not None and word.strip()]
    for key, value in (options or {}).items():
        if value is None or value is False or (isinstance(value, str) and not value.strip()):
            continue
        if value is True:
            parts.append(f"{key}=yes")
        else:
            parts.append(f"{key}={quoted(str(value))}")
    if raw.strip():
        parts.append(raw.strip())
    return " ".join(parts)
