"""One vocabulary for chat options and situation-file fields.

The documented words are the chat's: `kind` (what sort of source, place or actor; a measure's is its `type`),
`date` (when it happened) and `place` (where). Situation files may use them too, and the model's own field names
(`type`, `when`, `places`) are accepted in chat, so neither a moderator nor a file author is refused for using
the other word."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

FILE_WORDS: dict[str, dict[str, str]] = {
    "event": {"date": "when", "place": "places"},
    "reaction": {"date": "when"},
    "measure": {"date": "when", "place": "places"},
    "claim": {"date": "when"},
    "source": {"kind": "type"},
    "place": {"kind": "type"},
    "actor": {"kind": "type"},
}
"""For each kind of fact: the documented word -> the field a situation file may also use."""
CHAT_ALIASES: dict[str, dict[str, str]] = {
    kind: {field: word for word, field in words.items()} for kind, words in FILE_WORDS.items()
}
"""For each kind: a field name typed as a chat option -> the option it stands for (`when=` -> `date=`)."""
CHAT_ALIASES["measure"] = {"when": "date", "places": "place", "kind": "type"}  # measures take type= in chat too
LISTS = frozenset({"places"})


def chat_options(
    kind: str, options: dict[str, str], error: Callable[[str, str], Exception] = lambda _, m: ValueError(m)
) -> dict[str, str]:
    """Options with any field names turned into the chat's words (`when=` -> `date=`); both words for one thing
    raise `error(option, message)`."""
    aliases = CHAT_ALIASES.get(kind, {})
    out: dict[str, str] = {}
    typed: dict[str, str] = {}
    for option, value in options.items():
        word = aliases.get(option, option)
        if word in out:
            raise error(option, f"{typed[word]}= and {option}= are the same thing; give one")
        out[word], typed[word] = value, option
    return out


def file_fields(kind: str, item: dict[str, Any]) -> list[str]:
    """Turns the documented words in a file's fact into the model's fields, in place; returns any problems."""
    problems = []
    for word, field in FILE_WORDS.get(kind, {}).items():
        if word not in item:
            continue
        if field in item:
            problems.append(f"{word}: give {word} or {field}, not both")
            continue
        value = item.pop(word)
        item[field] = [value] if field in LISTS and isinstance(value, str) else value
    return problems
