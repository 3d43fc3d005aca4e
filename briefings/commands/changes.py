"""`/whatchanged`: what was reported and recorded since a time, open to everyone."""

from __future__ import annotations

from datetime import timedelta

from briefings.answers import changed, changes, whatchanged
from briefings.commands.context import Context
from briefings.commands.parse import Request
from briefings.commands.unexpected import unexpected
from briefings.reply import Reply, problem


async def whatchanged_command(ctx: Context, request: Request) -> Reply:
    if set(request.options) - {"since", "page"}:
        return problem("Usage: /whatchanged [since=...] [page=N]", "For example since=24h, since=yesterday, page=2")
    if "since" in request.options:
        extra = unexpected(request, "/whatchanged [since=...] [page=N]", options=("since", "page"))
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
    page_text = request.options.get("page", "1").strip()
    if not page_text.isdigit() or int(page_text) < 1:
        return problem(f"page: '{page_text}' is not a page number (1, 2, 3 ...).")
    page = int(page_text)
    found = await changed.gather(ctx.store, snapshot, since, whatchanged.page_of(page))
    return whatchanged.answer(snapshot, found, ctx.now, page)
