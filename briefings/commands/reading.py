"""Commands anyone may run: they read the current situation and answer. Each loads its own answer's code
the first time it runs (a one-off `briefing ask /toll` loads only the toll's)."""

from __future__ import annotations

import asyncio

from briefings.answers import tollcategory
from briefings.categories import leading
from briefings.commands.context import Context
from briefings.commands.parse import Request
from briefings.commands.table import COMMANDS
from briefings.commands.unexpected import unexpected
from briefings.names import NameIndex
from briefings.reply import Line, Reply, Section, line, problem, strong, untrusted
from briefings.store import NotFound


def _no_options(request: Request) -> Reply | None:
    if request.options:
        names = ", ".join(f"{k}=" for k in request.options)
        usage = COMMANDS[request.name].usage
        return problem(f"/{request.name} takes no {names} option.", f"Usage: {usage}")
    return None


async def brief_command(ctx: Context, request: Request) -> Reply:
    from briefings.answers import brief

    return unexpected(request, "/brief") or brief.answer(await ctx.snapshot())


async def toll_command(ctx: Context, request: Request) -> Reply:
    if request.words and request.words[0].lower() in ("chart", "graph"):
        refused = _no_options(request)
        if refused is not None:
            return refused
        from briefings.answers import chart

        # drawn in a worker thread: a chart takes a good part of a second, other answers should not wait
        snapshot = await ctx.snapshot()
        asked = leading(snapshot.situation, " ".join(request.words[1:]))
        if asked is not None:
            return problem(
                "/toll chart draws every category; it takes a place only.",
                line("For one category's figures: ", untrusted(f"/toll {asked[1]} {asked[2]}".strip(), strong=True)),
            )
        return await asyncio.to_thread(chart.answer, snapshot, " ".join(request.words[1:]))
    return _no_options(request) or tollcategory.answer(await ctx.snapshot(), request.rest)


async def reactions_command(ctx: Context, request: Request) -> Reply:
    from briefings.answers import reactions

    return _no_options(request) or reactions.answer(await ctx.snapshot(), request.rest)


async def timeline_command(ctx: Context, request: Request) -> Reply:
    from briefings.answers import timeline

    return _no_options(request) or timeline.answer(await ctx.snapshot(), request.rest)


async def where_command(ctx: Context, request: Request) -> Reply:
    from briefings.answers import places

    return _no_options(request) or places.answer(await ctx.snapshot(), request.rest)


async def sources_command(ctx: Context, request: Request) -> Reply:
    from briefings.answers import sources

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
