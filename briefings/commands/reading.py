"""Commands anyone may run: they read the current situation and answer."""

from __future__ import annotations

import asyncio

from briefings.answers import brief, chart, places, reactions, sources, timeline, toll
from briefings.commands import option_help
from briefings.commands.context import Context
from briefings.commands.parse import Request
from briefings.commands.table import COMMANDS
from briefings.commands.unexpected import unexpected
from briefings.examples import filled
from briefings.names import NameIndex
from briefings.reply import Line, Outcome, Reply, Section, line, problem, strong, untrusted
from briefings.store import NotFound


def _no_options(request: Request) -> Reply | None:
    if request.options:
        names = ", ".join(f"{k}=" for k in request.options)
        usage = COMMANDS[request.name].usage
        return problem(f"/{request.name} takes no {names} option.", f"Usage: {usage}")
    return None


async def brief_command(ctx: Context, request: Request) -> Reply:
    return unexpected(request, "/brief") or brief.answer(await ctx.snapshot())


async def toll_command(ctx: Context, request: Request) -> Reply:
    if request.words and request.words[0].lower() in ("chart", "graph"):
        refused = _no_options(request)
        if refused is not None:
            return refused
        # drawn in a worker thread: a chart takes a good part of a second, other answers should not wait
        snapshot = await ctx.snapshot()
        return await asyncio.to_thread(chart.answer, snapshot, " ".join(request.words[1:]))
    return _no_options(request) or toll.answer(await ctx.snapshot(), request.rest)


async def reactions_command(ctx: Context, request: Request) -> Reply:
    return _no_options(request) or reactions.answer(await ctx.snapshot(), request.rest)


async def timeline_command(ctx: Context, request: Request) -> Reply:
    return _no_options(request) or timeline.answer(await ctx.snapshot(), request.rest)


async def where_command(ctx: Context, request: Request) -> Reply:
    return _no_options(request) or places.answer(await ctx.snapshot(), request.rest)


async def sources_command(ctx: Context, request: Request) -> Reply:
    return unexpected(request, "/sources") or sources.answer(await ctx.snapshot())


async def situations_command(ctx: Context, request: Request) -> Reply:
    refused = unexpected(request, "/situations")
    if refused is not None:
        return refused
    lines: list[Line] = []
    for situation in await ctx.store.situations():
        current = " ← this channel" if situation.slug == ctx.slug else ""
        lines.append(line(strong(situation.slug), " — ", untrusted(situation.title), f"{current}"))
    return Reply("Situations", [Section(None, lines)], line("Moderators switch with /situation use SLUG"))


async def situation_command(ctx: Context, request: Request) -> Reply:
    if len(request.words) != 2 or request.words[0].lower() != "use" or request.options:
        return problem("Usage: /situation use SLUG", "See the list with /situations")
    slug = request.words[1].lower()
    try:
        situation = await ctx.store.situation(slug)
    except NotFound:
        known = [s.slug for s in await ctx.store.situations()]
        suggestions = NameIndex.build("situation", ((s, s, ()) for s in known)).suggest(slug)
        return problem(f"There is no situation “{slug}”.", "Known: " + ", ".join(suggestions or known))
    await ctx.store.set_channel_situation(ctx.caller.channel, slug, ctx.caller.ident)
    return Reply(
        "Situation switched",
        [Section(None, [line("This channel now follows ", untrusted(situation.title, True), f" ({slug}).")])],
    )


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
