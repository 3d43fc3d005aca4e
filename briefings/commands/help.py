"""`/help` and `/help COMMAND`: what each command does, from the command table; and the reply naming an unknown
command with the nearest known one."""

from __future__ import annotations

from briefings.commands import option_help
from briefings.commands.context import Context
from briefings.commands.parse import Request
from briefings.commands.table import COMMANDS
from briefings.commands.unexpected import unexpected
from briefings.examples import filled
from briefings.names import NameIndex
from briefings.reply import Outcome, Reply, Section, line, strong, untrusted


async def help_command(ctx: Context, request: Request) -> Reply:
    refused = unexpected(request, "/help [command]", words=len(request.words))
    if refused is not None:
        return refused
    if request.rest:
        name, _, sub = request.rest.lstrip("/").lower().partition(" ")
        found = COMMANDS.get(name)
        if found is None:
            return unknown_command(name)
        if name == "add":
            return option_help.add_help(found, sub.strip(), await ctx.snapshot())
        lines = [line(found.summary), line("Usage: ", found.usage)]
        lines += [line("Example: ", untrusted(example)) for example in filled(found.examples, await ctx.snapshot())]
        if found.moderators_only:
            lines.append(line("For moderators only."))
        return Reply(f"/{found.name}", [Section(None, lines)])
    public = [c for c in COMMANDS.values() if not c.moderators_only]
    sections = [Section("Ask", [line(strong(_short(c.usage)), " — ", c.summary) for c in public])]
    if ctx.is_moderator:
        moderated = [c for c in COMMANDS.values() if c.moderators_only]
        sections.append(Section("Moderators", [line(strong(_short(c.usage)), " — ", c.summary) for c in moderated]))
    return Reply(
        "Commands", sections, line("Place and actor names may be spelled any common way. /help COMMAND for more.")
    )


def _short(usage: str) -> str:
    """Long usages are cut at their first optional part in the list; /help COMMAND shows them whole."""
    cut = usage.find(" [", 20)
    return usage if len(usage) <= 60 or cut < 0 else usage[:cut] + " …"


def unknown_command(name: str) -> Reply:
    index = NameIndex.build("command", ((n, n, ()) for n in COMMANDS))
    suggestions = index.suggest(name)
    hint = f"Did you mean /{suggestions[0]}?" if suggestions else "Try /help for the list."
    return Reply(f"I don't know the command /{name}.", [Section(None, [line(hint)])], outcome=Outcome.invalid)
