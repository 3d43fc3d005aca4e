"""`/history ID`: every revision of one fact (who, when, what changed, why), open to everyone."""

from __future__ import annotations

from briefings.answers import changes
from briefings.commands.context import Context
from briefings.commands.parse import Request
from briefings.reply import Reply, problem


async def history_command(ctx: Context, request: Request) -> Reply:
    if len(request.words) != 1 or request.options:
        return problem("Usage: /history ID (ids look like t1, e4, r2)")
    key = request.words[0].lower()
    snapshot = await ctx.snapshot()
    if key not in snapshot.facts:
        return problem(f"There is no fact “{key}”.", "Ids are shown in square brackets in every answer, e.g. [t1].")
    return changes.history(snapshot, key, await ctx.store.history(ctx.slug, key))
