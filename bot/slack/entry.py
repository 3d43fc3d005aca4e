"""Slash commands as the core reads them: `/briefing toll jableh` (the entry command) and `/toll jableh` (a
command installed on its own) are both `/toll jableh`; `/ask …` and `/briefing ask …` pass the question on as
typed, for the core to read as a mention's words are read."""

from __future__ import annotations

ASK = "ask"


def core_text(command: str, text: str, entry: str) -> str:
    """The core's command text for a slash command `command` typed with `text` (already unescaped)."""
    name = command.strip().lstrip("/").lower()
    words = text.strip()
    if name == entry:
        words = words.lstrip("/")
        first, _, rest = words.partition(" ")
        if first.lower() == ASK:
            return rest.strip() or "/help"
        return f"/{words}" if words else "/help"
    if name == ASK:
        return words or "/help"
    return f"/{name} {words}".strip()
