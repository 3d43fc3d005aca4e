"""What the "Post to channel" button may post for everyone, and what a public post may say about the request."""

from __future__ import annotations

from briefings.commands.parse import ParseError, parse
from briefings.commands.registry import COMMANDS


def shareable(text: str) -> bool:
    """Read-only commands whose answer may be re-run and posted for everyone by the "Post to channel" button."""
    try:
        request = parse(text)
    except ParseError:
        return False
    found = COMMANDS.get(request.name)
    if found is None or found.moderators_only or len(text) > 2000:
        return False
    return request.name != "digest" or not request.words or request.words[0].lower() in ("list", "preview")


def command_name(text: str) -> str:
    """What a public post may say about what was asked: the command's name (`/toll`), never the typed words."""
    try:
        name = parse(text).name
    except ParseError:
        return "a question"
    return f"/{name}" if name in COMMANDS or name == "digest" else "a question"
