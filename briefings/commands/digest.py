"""`/digest subscribe|unsubscribe|list|preview`: a channel's scheduled digests."""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from briefings.answers.common import local_time
from briefings.commands.context import Context
from briefings.commands.parse import Request
from briefings.commands.table import DIGEST_USAGE as USAGE
from briefings.commands.unexpected import unexpected
from briefings.digests import compose
from briefings.reply import Line, Outcome, Reply, Section, line, problem, strong, untrusted

if TYPE_CHECKING:  # schedules and subscriptions are loaded by the first /digest, not by every command
    from briefings.schedules import Schedule
    from briefings.store.subscriptions import SubscriptionStore


def parse_schedule(words: list[str], options: dict[str, str], default_zone: ZoneInfo) -> Schedule:
    """Words in any order — a time, days, a timezone (`08:00 mon-fri Europe/London`) — or time=, days=, tz=."""
    from briefings.schedules import (
        ALL_DAYS,
        DAY_EXAMPLES,
        TIME_EXAMPLES,
        WEEKDAYS,
        ZONE_EXAMPLES,
        Schedule,
        parse_days,
        parse_time,
        parse_zone,
    )

    at = parse_time(options["time"]) if "time" in options else None
    days = parse_days(options["days"]) if "days" in options else None
    zone_text = options.get("tz") or options.get("timezone")
    zone = parse_zone(zone_text) if zone_text else None
    for word in words:
        lowered = word.lower()
        if lowered[:1].isdigit():
            if at is not None:
                raise ValueError(f"two times given ('{word}'); {TIME_EXAMPLES}")
            at = parse_time(word)
        elif lowered[:3] in WEEKDAYS or lowered in ("daily", "weekdays", "weekends", "everyday"):
            if days is not None:
                raise ValueError(f"days given twice ('{word}'); {DAY_EXAMPLES}")
            days = parse_days(word)
        else:
            if zone is not None:
                raise ValueError(f"two timezones given ('{word}'); {ZONE_EXAMPLES}")
            zone = parse_zone(word)
    return Schedule(at or time(8, 0), zone or default_zone, days or ALL_DAYS)


async def digest_command(ctx: Context, request: Request) -> Reply:
    action = request.words[0].lower() if request.words else "list"
    rest = request.words[1:]
    from briefings.store.subscriptions import SubscriptionStore

    digests = SubscriptionStore(ctx.store)
    channel = ctx.caller.channel
    if action in ("subscribe", "unsubscribe") and not ctx.is_moderator:
        return problem(
            f"Sorry, /digest {action} is for moderators.",
            "Anyone may use /digest list and /digest preview.",
            outcome=Outcome.refused,
        )
    if action == "subscribe":
        situation = await ctx.store.situation(ctx.slug)
        try:
            schedule = parse_schedule(rest, request.options, situation.zone)
        except ValueError as exc:
            return problem(
                f"Not subscribed — {exc}.", f"Usage: {USAGE}", "Example: /digest subscribe 07:30 Europe/London mon-fri"
            )
        existing = await digests.subscriptions(channel=channel, slug=ctx.slug)
        if any(s.schedule == schedule for s in existing):
            return problem(f"This channel already gets the digest at {schedule.describe()}.", "See /digest list")
        await digests.subscribe(channel, ctx.slug, schedule, ctx.caller.ident)
        upcoming = schedule.next_after(ctx.now)
        return Reply(
            "Digest subscribed",
            [
                Section(
                    None,
                    [
                        line(
                            "This channel will get the ",
                            untrusted(situation.title, strong=True),
                            f" digest at {schedule.describe()}.",
                        ),
                        next_line(upcoming, schedule.zone),
                    ],
                )
            ],
            line("/digest list · /digest preview · /digest unsubscribe"),
        )
    known = action in ("list", "preview", "unsubscribe")
    refused = unexpected(request, f"/digest {action}", words=1 if request.words else 0) if known else None
    if refused is not None:
        return refused
    if action == "unsubscribe":
        removed = await digests.unsubscribe(channel, ctx.slug)
        if not removed:
            return problem("This channel has no digest subscription to remove.")
        return Reply(
            "Digest unsubscribed", [Section(None, [line(f"Removed {removed} subscription(s) from this channel.")])]
        )
    if action == "list":
        return await _list(ctx, digests)
    if action == "preview":
        from briefings.store.run_history import RunHistory

        since = await RunHistory(ctx.store).last_digest_at(channel, ctx.slug)
        mine = await digests.subscriptions(channel=channel, slug=ctx.slug)
        return await preview(ctx, since, mine[0].schedule.zone if mine else None)
    return problem(f"Unknown /digest action “{action}”.", f"Usage: {USAGE}")


def next_line(upcoming: datetime, zone: ZoneInfo) -> Line:
    """When the next digest goes out, in the subscription's time and in UTC (the same words everywhere)."""
    return line(f"Next: {local_time(upcoming, zone)} ({upcoming:%Y-%m-%d %H:%M} UTC)")


async def preview(ctx: Context, since: datetime | None, zone: ZoneInfo | None = None) -> Reply:
    """The digest as this channel would get it now (its chart too), its times in the channel's subscription's
    zone if any."""
    shared = await compose.situation_digest(ctx.store, ctx.slug, since, ctx.now, ctx.version)
    return compose.for_channel(shared, since, ctx.now, zone)


async def _list(ctx: Context, digests: SubscriptionStore) -> Reply:
    subscriptions = await digests.subscriptions(channel=ctx.caller.channel, active=None)
    lines: list[Line] = []
    titles = {s.slug: s.title for s in await ctx.store.situations()}
    for subscription in subscriptions:
        schedule = subscription.schedule
        title = untrusted(titles.get(subscription.slug, subscription.slug))
        if subscription.active:
            upcoming = schedule.next_after(ctx.now)
            lines.append(line(strong(schedule.describe()), " — ", title))
            lines.append(next_line(upcoming, schedule.zone).indented())
        elif subscription.suspended_reason != "unsubscribed":
            lines.append(line(strong(schedule.describe()), " — ", title, " — suspended"))
            lines.append(line(f"Posting failed: {subscription.suspended_reason}. Subscribe again once fixed.", level=1))
    if not lines:
        lines.append(line("No digest in this channel yet. Moderators: /digest subscribe [HH:MM] [timezone] [days]"))
    return Reply("Digests in this channel", [Section(None, lines)])
