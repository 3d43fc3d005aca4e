"""`/whatchanged`: what was reported and recorded since a time, open to everyone."""

from __future__ import annotations

from datetime import timedelta

from briefings.answers import changes
from briefings.commands.parse import Request
from briefings.commands.registry import Context, command
from briefings.commands.unexpected import unexpected
from briefings.reply import Reply, problem


@command(
    "whatchanged",
    "/whatchanged [since=24h|3d|yesterday|DATE|DATE THH:MM]",
    "New tolls with their change, events, reactions, corrections and retractions since then.",
    examples=("/whatchanged", "/whatchanged since=yesterday", "/whatchanged since=2025-03-08T08:00"),
)
async def whatchanged_command(ctx: Context, request: Request) -> Reply:
    if set(request.options) - {"since"}:
        return problem("Usage: /whatchanged [since=...]", "For example since=24h, since=yesterday, since=2025-03-08")
    extra = unexpected(request, "/whatchanged [since=...]", options=("since",)) if "since" in request.options else None
    if extra is not None:
        return extra
    text = request.options.get("since") or request.rest
    snapshot = await ctx.snapshot()
    try:
        since = changes.parse_since(text, ctx.now, snapshot) if text else ctx.now - timedelta(hours=24)
    except ValueError as exc:
        return problem(f"since: {exc}")
    if since > ctx.now:
        return problem("since: that is in the future.")
    revisions = await ctx.store.changes_since(ctx.slug, since)
    return changes.whatchanged(snapshot, revisions, since, ctx.now)
