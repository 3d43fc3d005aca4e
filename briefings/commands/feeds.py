"""`/feed add|list|remove`: the feeds a situation's moderators follow; new entries become proposals for review."""

from __future__ import annotations

import asyncio

from briefings.commands.context import Context
from briefings.commands.parse import Request
from briefings.commands.table import FEED_USAGE
from briefings.reply import Line, Reply, Section, line, problem, untrusted


async def feed_command(ctx: Context, request: Request) -> Reply:
    words = request.words
    doing = words[0].lower() if words else "list"
    if doing == "list" and len(words) <= 1:
        return await _listing(ctx)
    if doing not in ("add", "remove") or len(words) != 2:
        return problem(f"Usage: {FEED_USAGE}")
    from briefings.ingest.fetch import Refusal, checked_url

    url = checked_url(words[1])
    if isinstance(url, Refusal):
        reply = problem(f"Nothing changed — {url.reason}", f"Usage: {FEED_USAGE}")
        reply.at_fault = "url"
        return reply
    if doing == "remove":
        return await _remove(ctx, url)
    return await _add(ctx, url)


async def _add(ctx: Context, url: str) -> Reply:
    """Follows the feed once it has been read successfully (so a page that is not a feed is refused now)."""
    from briefings.ingest.feed_entries import NotAFeed, read_feed
    from briefings.ingest.fetch import FEED_ACCEPT, Refusal, fetch
    from briefings.ingest.fetch_settings import FetchSettings
    from briefings.store.feeds import FeedStore

    settings = FetchSettings()
    fetched = await fetch(url, settings, FEED_ACCEPT)
    try:
        if isinstance(fetched, Refusal):
            raise NotAFeed(fetched.reason)
        entries = await asyncio.to_thread(read_feed, fetched.body, settings.feed_entries_per_poll)
    except NotAFeed as exc:
        reply = problem(f"Feed not added — {exc}", f"Usage: {FEED_USAGE}")
        reply.at_fault = "url"
        return reply
    if not await FeedStore(ctx.store).add(ctx.slug, url, ctx.caller.channel, ctx.caller.ident, ctx.now):
        return problem("This situation already follows that feed.", "/feed list shows them.")
    where = settings.feed_channel or "this channel"
    minutes = settings.feed_poll_interval / 60
    return Reply(
        "Feed added",
        [
            Section(
                None,
                [
                    line("Following ", untrusted(url), f" ({len(entries)} entries now)."),
                    line(
                        f"Read every {minutes:g} minutes; each new article is read once and what it states is "
                        f"proposed for review, announced in {where}."
                    ),
                ],
            )
        ],
    )


async def _remove(ctx: Context, url: str) -> Reply:
    from briefings.store.feeds import FeedStore

    if not await FeedStore(ctx.store).remove(ctx.slug, url):
        return problem("This situation does not follow that feed.", "/feed list shows the ones it follows.")
    return Reply("Feed removed", [Section(None, [line("No longer following ", untrusted(url), ".")])])


async def _listing(ctx: Context) -> Reply:
    from briefings.ingest.fetch_settings import FetchSettings
    from briefings.store.feeds import FeedStore

    everywhere = FetchSettings().feed_channel
    followed = await FeedStore(ctx.store).followed(ctx.slug)
    if not followed:
        return Reply("No feeds followed", [Section(None, [line("Moderators: /feed add ADDRESS")])])
    lines: list[Line] = []
    for feed in followed:
        lines.append(line(untrusted(feed.url)))
        added = f" on {feed.added_at:%Y-%m-%d}; new proposals announced in {everywhere or feed.channel}"
        lines.append(line("Added by ", untrusted(feed.added_by), added, level=1))
        if feed.polled_at is None:
            lines.append(line("Not read yet.", level=1))
        elif feed.error:
            ok = f" (last read fine {feed.ok_at:%Y-%m-%d %H:%M} UTC)" if feed.ok_at else " (never read fine)"
            lines.append(line(f"Failing at {feed.polled_at:%Y-%m-%d %H:%M} UTC: ", untrusted(feed.error), ok, level=1))
        else:
            lines.append(line(f"Read {feed.polled_at:%Y-%m-%d %H:%M} UTC: {feed.entries} entries.", level=1))
    return Reply(f"{len(followed)} feed(s) followed", [Section(None, lines)], line(FEED_USAGE))
