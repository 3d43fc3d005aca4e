"""Moderators' review queue: `/propose` reads an article into proposed facts; `/review` lists them, and
accepting one runs the ordinary `/update toll` or `/add` command, so every check, the audit and /undo apply."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import TYPE_CHECKING

from briefings.commands.context import Context
from briefings.commands.parse import Request
from briefings.commands.review_cards import ALIASES, card, editable, evidence_note, waiting_words
from briefings.commands.table import COMMANDS, PROPOSE_USAGE, REVIEW_USAGE
from briefings.reply import Reply, Section, line, problem, untrusted
from briefings.snapshot import Snapshot
from briefings.when import When

if TYPE_CHECKING:  # article reading and the queue are loaded by the first /propose or /review, not by every command
    from briefings.store.proposals import ProposalQueue, Queued

DOING = ("show", "edit", "accept", "reject")
SHOWN = 20


def _published(raw: str | None, default: datetime) -> datetime:
    if not raw:
        return default
    when = When.parse(raw)
    return datetime.combine(when.day, when.clock or time(12), tzinfo=UTC)


async def propose_command(ctx: Context, request: Request) -> Reply:
    text = request.rest.strip()
    from briefings.ingest.fetch import is_address

    if is_address(text) or (not text and request.options.get("url")):
        from briefings.commands.propose_url import propose_from_address

        return await propose_from_address(ctx, request, text or request.options["url"])
    if not text:
        return problem("Give the article's text or its address after /propose.", f"Usage: {PROPOSE_USAGE}")
    return await propose_text(ctx, request, text)


async def propose_text(
    ctx: Context,
    request: Request,
    text: str,
    *,
    url: str | None = None,
    title: str | None = None,
    published: datetime | None = None,
) -> Reply:
    """Reads an article's text into proposals and queues them; `request`'s options win over what a fetched page
    said (`url`, `title`, `published`)."""
    snapshot = await ctx.snapshot()
    try:
        published = _published(request.options.get("published"), published or ctx.now)
    except ValueError as exc:
        reply = problem(f"Nothing proposed — published: {exc}", f"Usage: {PROPOSE_USAGE}")
        reply.at_fault = "published"
        return reply
    source = None
    if request.options.get("source"):
        source = snapshot.sources.find(request.options["source"])
        if source is None:
            reply = problem(f"Nothing proposed — source: unknown source '{request.options['source']}'.")
            reply.at_fault = "source"
            return reply
    from briefings.ingest import propose
    from briefings.store.proposals import PENDING, ProposalQueue, Queued

    found = propose(text, published, snapshot, source)
    if not found:
        return Reply("No new facts found in that text", [Section(None, [line("Nothing was added to the queue.")])])
    queue = ProposalQueue(ctx.store)
    url, title = request.options.get("url") or url, request.options.get("title") or title
    ids = await queue.add(ctx.slug, found, published=published, by=ctx.caller.ident, at=ctx.now, url=url, title=title)
    items = [
        Queued(i, ctx.slug, p, url, title, published, PENDING, ctx.caller.ident, None, None, None)
        for i, p in zip(ids, found, strict=True)
    ]
    cards = [card(item, snapshot) for item in items]
    return Reply(f"{len(ids)} fact(s) proposed for review", cards, line(REVIEW_USAGE))


async def review_command(ctx: Context, request: Request) -> Reply:
    from briefings.store.proposals import PENDING, REJECTED, ProposalQueue

    queue = ProposalQueue(ctx.store)
    words = [w.lower() for w in request.words]
    if not words or words == ["list"]:
        return await _listing(ctx, queue)
    if len(words) != 2 or words[0] not in DOING or not words[1].lstrip("#").isdigit():
        return problem(f"Usage: {REVIEW_USAGE}")
    item = await queue.get(ctx.slug, int(words[1].lstrip("#")))
    if item is None:
        return problem(f"No proposal #{words[1].lstrip('#')} in this situation.", "/review lists the waiting ones.")
    if words[0] == "show":
        return Reply(f"Proposal #{item.id}", [card(item, await ctx.snapshot())])
    if item.status != PENDING:
        return problem(
            f"Proposal #{item.id} is already {item.status}" + (f" by {item.decided_by}." if item.decided_by else ".")
        )
    if words[0] == "edit":
        return await _edit(ctx, item)
    if words[0] == "reject":
        if not await queue.move(item.id, PENDING, REJECTED, _who(ctx), ctx.now):
            return problem(f"Proposal #{item.id} was decided by someone else just now.")
        return Reply(f"Rejected proposal #{item.id}", [Section(None, [line("Nothing was recorded.")])])
    return await _accept(ctx, request, queue, item)


def _who(ctx: Context) -> str:
    """Who decided, as cards show it: the person's name on their platform, else their id."""
    return ctx.caller.name or ctx.caller.ident


async def _listing(ctx: Context, queue: ProposalQueue) -> Reply:
    pending = await queue.pending(ctx.slug)
    if not pending:
        return Reply("No proposals waiting for review", [Section(None, [line("Use /propose with an article's text.")])])
    snapshot = await ctx.snapshot()
    more = f" (the first {SHOWN} shown)" if len(pending) > SHOWN else ""
    cards = [card(item, snapshot) for item in pending[:SHOWN]]
    return Reply(f"{waiting_words(len(pending))}{more}", cards, line(REVIEW_USAGE))


async def _edit(ctx: Context, item: Queued) -> Reply:
    """What Edit offers where there is no form: the accept command with every value, to change and send."""
    from briefings.ingest.model import typed

    values = editable(item.proposal, await ctx.snapshot())
    text = typed(f"/review accept {item.id}", values)
    lines = [
        line("Change what you need and send:"),
        line(untrusted(text)),
        line('An option left empty (place="") is left out. The article and sentence are kept in the note.'),
    ]
    return Reply(f"Edit proposal #{item.id}", [Section(None, lines)])


def merged(item: Queued, snapshot: Snapshot, changes: dict[str, str]) -> dict[str, str]:
    """The proposal's options with a moderator's changes: a value replaces, an empty value leaves the option
    out; a note of their own goes before the article's, which is always kept."""
    options = editable(item.proposal, snapshot)
    for name, value in changes.items():
        name = ALIASES.get(name, name)
        if name == "note":
            continue
        if value.strip():
            options[name] = value
        else:
            options.pop(name, None)
    evidence, own = evidence_note(item), changes.get("note", "").strip()
    options["note"] = f"{own} — {evidence}" if own and evidence not in own else (own or evidence)
    return options


async def _accept(ctx: Context, request: Request, queue: ProposalQueue, item: Queued) -> Reply:
    from briefings.ingest.model import typed
    from briefings.store.proposals import ACCEPTED, PENDING, TAKING

    if not await queue.move(item.id, PENDING, TAKING, _who(ctx), ctx.now):
        return problem(f"Proposal #{item.id} was decided by someone else just now.")
    options = merged(item, await ctx.snapshot(), request.options)
    verb = item.proposal.verb
    name, *words = verb.lstrip("/").split()
    try:
        reply = await COMMANDS[name].run(ctx, Request(name, words, options))
    except Exception:
        await queue.move(item.id, TAKING, PENDING, None, None)
        raise
    if not reply.written:
        await queue.move(item.id, TAKING, PENDING, None, None)
        reply.sections.append(Section(None, [line(f"Proposal #{item.id} stays in the queue.")]))
        return reply
    await queue.move(item.id, TAKING, ACCEPTED, _who(ctx), ctx.now, ",".join(reply.written))
    shown = typed(verb, {k: v for k, v in options.items() if k != "note"})
    reply.sections.insert(0, Section(None, [line(f"Accepted proposal #{item.id}: ", untrusted(shown))]))
    return reply
