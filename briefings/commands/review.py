"""Moderators' review queue: `/propose` reads an article into proposed facts; `/review` lists them, and
accepting one runs the ordinary `/update toll` or `/add` command, so every check, the audit and /undo apply."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import TYPE_CHECKING

from briefings.commands.parse import Request, parse
from briefings.commands.registry import COMMANDS, Context, command
from briefings.reply import Line, Reply, Section, b, line, problem, u
from briefings.snapshot import Snapshot
from briefings.when import When

if TYPE_CHECKING:  # article reading and the queue are loaded by the first /propose or /review, not by every command
    from briefings.store.proposals import ProposalQueue, Queued

PROPOSE_USAGE = '/propose [published=YYYY-MM-DD] [url=URL] [title="..."] [source=NAME] TEXT OF THE ARTICLE'
REVIEW_USAGE = "/review · /review accept ID [confirm=yes] · /review reject ID"
SHOWN = 20


def _published(raw: str | None, now: datetime) -> datetime:
    if not raw:
        return now
    when = When.parse(raw)
    return datetime.combine(when.day, when.clock or time(12), tzinfo=UTC)


@command(
    "propose",
    PROPOSE_USAGE,
    "Read an article's text into proposed facts for review (moderators).",
    moderators_only=True,
    examples=("/propose published={day} At least 12 people were killed, the ministry said.",),
)
async def propose_command(ctx: Context, request: Request) -> Reply:
    text = request.rest.strip()
    if not text:
        return problem("Give the article's text after /propose.", f"Usage: {PROPOSE_USAGE}")
    snapshot = await ctx.snapshot()
    try:
        published = _published(request.options.get("published"), ctx.now)
    except ValueError as exc:
        reply = problem(f"Nothing proposed — published: {exc}", f"Usage: {PROPOSE_USAGE}")
        reply.field = "published"
        return reply
    source = None
    if request.options.get("source"):
        source = snapshot.sources.find(request.options["source"])
        if source is None:
            reply = problem(f"Nothing proposed — source: unknown source '{request.options['source']}'.")
            reply.field = "source"
            return reply
    from briefings.ingest import propose
    from briefings.store.proposals import PENDING, ProposalQueue, Queued

    found = propose(text, published, snapshot, source)
    if not found:
        return Reply("No new facts found in that text", [Section(None, [line("Nothing was added to the queue.")])])
    queue = ProposalQueue(ctx.store)
    url, title = request.options.get("url"), request.options.get("title")
    ids = await queue.add(ctx.slug, found, published=published, by=ctx.caller.ident, at=ctx.now, url=url, title=title)
    items = [
        Queued(i, ctx.slug, p, url, title, published, PENDING, ctx.caller.ident, None, None, None)
        for i, p in zip(ids, found, strict=True)
    ]
    lines = [ln for item in items for ln in _card(item, snapshot)]
    footer = line("/review accept ID · /review reject ID")
    return Reply(f"{len(ids)} fact(s) proposed for review", [Section(None, lines)], footer)


def _card(item: Queued, snapshot: Snapshot) -> list[Line]:
    from briefings.ingest.statements import short

    p = item.proposal
    head = f"#{item.id} {p.kind}" + (f" (updates {p.updates})" if p.updates else "")
    lines = [line(b(head), " ", u(p.command(snapshot))), line("From: ", u(short(p.evidence, 300)), level=1)]
    for what, words in p.unknown.items():
        lines.append(line(f"Unknown {what}: ", u(words), level=1))
    return lines


@command(
    "review", REVIEW_USAGE, "The queue of proposed facts: list, accept or reject (moderators).", moderators_only=True
)
async def review_command(ctx: Context, request: Request) -> Reply:
    from briefings.store.proposals import PENDING, REJECTED, ProposalQueue

    queue = ProposalQueue(ctx.store)
    words = [w.lower() for w in request.words]
    if not words or words == ["list"]:
        pending = await queue.pending(ctx.slug)
        if not pending:
            return Reply(
                "No proposals waiting for review", [Section(None, [line("Use /propose with an article's text.")])]
            )
        snapshot = await ctx.snapshot()
        lines = [ln for item in pending[:SHOWN] for ln in _card(item, snapshot)]
        more = f" (the first {SHOWN} shown)" if len(pending) > SHOWN else ""
        return Reply(f"{len(pending)} proposal(s) waiting for review{more}", [Section(None, lines)], line(REVIEW_USAGE))
    if len(words) != 2 or words[0] not in ("accept", "reject") or not words[1].lstrip("#").isdigit():
        return problem(f"Usage: {REVIEW_USAGE}")
    item = await queue.get(ctx.slug, int(words[1].lstrip("#")))
    if item is None:
        return problem(f"No proposal #{words[1].lstrip('#')} in this situation.", "/review lists the waiting ones.")
    if item.status != PENDING:
        return problem(
            f"Proposal #{item.id} is already {item.status}" + (f" by {item.decided_by}." if item.decided_by else ".")
        )
    if words[0] == "reject":
        if not await queue.move(item.id, PENDING, REJECTED, ctx.caller.ident, ctx.now):
            return problem(f"Proposal #{item.id} was decided by someone else just now.")
        return Reply(f"Rejected proposal #{item.id}", [Section(None, [line("Nothing was recorded.")])])
    return await _accept(ctx, request, queue, item)


def evidence_note(item: Queued) -> str:
    """What a recorded fact keeps of the article: where it came from and the sentence that says it."""
    from briefings.ingest.statements import short

    where = item.url or item.title or f"an article of {item.published.date().isoformat()}"
    return short(f"From {where}: {item.proposal.evidence}", 400)


async def _accept(ctx: Context, request: Request, queue: ProposalQueue, item: Queued) -> Reply:
    from briefings.store.proposals import ACCEPTED, PENDING, TAKING

    if not await queue.move(item.id, PENDING, TAKING, ctx.caller.ident, ctx.now):
        return problem(f"Proposal #{item.id} was decided by someone else just now.")
    snapshot = await ctx.snapshot()
    text = item.proposal.command(snapshot, note=evidence_note(item))
    if request.options.get("confirm"):
        text += f" confirm={request.options['confirm']}"
    try:
        parsed = parse(text)
        reply = await COMMANDS[parsed.name].run(ctx, parsed)
    except Exception:
        await queue.move(item.id, TAKING, PENDING, None, None)
        raise
    if not reply.written:
        await queue.move(item.id, TAKING, PENDING, None, None)
        reply.sections.append(Section(None, [line(f"Proposal #{item.id} stays in the queue.")]))
        return reply
    await queue.move(item.id, TAKING, ACCEPTED, ctx.caller.ident, ctx.now, ",".join(reply.written))
    reply.sections.insert(0, Section(None, [line(f"Accepted proposal #{item.id}: ", u(text.split(" note=")[0]))]))
    return reply
