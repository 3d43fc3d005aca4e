"""Slash commands as the core reads them: `/briefing toll harbour` (the entry command) and `/toll harbour` (a
command installed on its own) are both `/toll harbour`; `/ask …` and `/briefing ask …` pass the question on as
typed, for the core to read as a mention's words are read."""

from __future__ import annotations

from dataclasses import replace

from briefings.reply import Reply, Section, line

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


def with_entry_note(reply: Reply, command: str, entry: str) -> Reply:
    """Help asked through the entry command says how to type the commands it lists: after the entry."""
    if command.strip().lstrip("/").lower() != entry or not reply.ok:
        return reply
    note = line(f"On Slack, type each command after /{entry}: /{entry} where, /{entry} update toll …")
    return replace(reply, sections=[*reply.sections, Section(None, [note])], renderings={})
