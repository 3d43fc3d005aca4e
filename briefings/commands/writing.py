"""Moderators' commands: add, update, correct, retract, undo. Each is one transaction; a refusal
names the option at fault and writes nothing."""

from __future__ import annotations

from dataclasses import replace

from briefings.answers import changes
from briefings.answers.cards import fact_lines
from briefings.answers.sanity import write_problems
from briefings.answers.toll import latest_by_source, number
from briefings.commands.context import Context
from briefings.commands.parse import Request
from briefings.commands.table import ADDABLE, UPDATE_USAGE
from briefings.commands.unexpected import unexpected
from briefings.fact_options import SPECS, Env, InputError, new_fact, revised_fact
from briefings.facts import Actor, Fact, Place, Source, Status, Toll
from briefings.reply import Line, Outcome, Reply, Section, line, problem, untrusted
from briefings.revisions import Change, Revision
from briefings.snapshot import Snapshot
from briefings.when import When


def rejected(error: InputError, usage: str) -> Reply:
    field = f"{error.option}: " if error.option else ""
    reply = problem(f"Not recorded — {field}{error.message}", "Nothing was changed.", f"Usage: {usage}")
    reply.at_fault = error.option or None
    return reply


async def recorded(
    ctx: Context,
    request: Request,
    title: str,
    snapshot: Snapshot,
    written: list[Revision],
    extra: list[Line] | None = None,
    undoable: bool = True,
) -> Reply:
    """The facts exactly as now recorded, with their ids; `undoable` offers /undo (not after an undo)."""
    lines: list[Line] = list(extra or [])
    after = snapshot.revised(
        ((r.key, r.fact, snapshot.recorded_at.get(r.key, r.at), r.at) for r in written), snapshot.version, snapshot.upto
    )
    for revision in written:
        lines += fact_lines(after, revision.key, revision.fact)
    keys = ", ".join(r.key for r in written)
    if _yes(request.options.get("urgent")):
        from briefings.digests.urgent import queue_urgent  # subscriptions: only an urgent change needs them

        channels = await queue_urgent(ctx.store, ctx.slug, written[0].batch, ctx.now)
        if channels:
            ctx.urgent()
        lines.append(line(f"Marked urgent: posting now to {channels} subscribed channel(s)."))
    footer = line(f"/history {keys}" + (" · /undo takes it back" if undoable else ""))
    return Reply(title, [Section(None, lines)], footer, written=tuple(r.key for r in written))


def _yes(value: str | None) -> bool:
    return (value or "").strip().lower() in ("yes", "y", "true", "1")


def lower_than_before(snapshot: Snapshot, toll: Toll) -> list[str]:
    """Figures below the same source's latest for the same place (far more often a typo than news)."""
    source = toll.sources[0]
    same = [(k, t) for k, t in snapshot.all(Toll) if t.sources[0] == source and t.place == toll.place]
    problems = []
    for field in toll.given():
        new = toll.value(field)
        latest = latest_by_source(snapshot, same, field).get(source)
        if latest is None or not isinstance(new, int):
            continue
        key, old_toll = latest
        old = old_toll.value(field)
        if isinstance(old, int) and new < old and not _clearly_earlier(toll.as_of, old_toll.as_of):
            problems.append(
                f"{field}={number(new)} is lower than {snapshot.source_label(source)}'s {number(old)} ({key})"
            )
    return problems


def _clearly_earlier(new: When, old: When) -> bool:
    """A back-filled figure (an earlier day, or an earlier clock time the same day) may well be lower."""
    if new.day != old.day:
        return new.day < old.day
    return bool(new.clock and old.clock and new.clock < old.clock)


def duplicate_name(snapshot: Snapshot, fact: Fact) -> str | None:
    if not isinstance(fact, Source | Place | Actor):
        return None
    index = {"source": snapshot.sources, "place": snapshot.places, "actor": snapshot.actors}[fact.kind]
    for name in [fact.name, *fact.aliases]:
        key = index.exact(name)
        if key:
            return f"'{name}' is already {fact.kind} {key} ({index.name(key)})"
    return None


async def _create(ctx: Context, request: Request, kind: str, usage: str) -> Reply:
    snapshot = await ctx.snapshot()
    try:
        fact = new_fact(kind, request.options, Env(snapshot, ctx.now))
    except InputError as error:
        return rejected(error, usage)
    clash = duplicate_name(snapshot, fact)
    if clash:
        return rejected(InputError("name", clash + "; use /correct to change it"), usage)
    if isinstance(fact, Toll) and not _yes(request.options.get("confirm")):
        lower = lower_than_before(snapshot, fact) + write_problems(snapshot, fact)
        if lower:
            reply = problem(
                "Not recorded — " + "; ".join(lower) + ".",
                "Nothing was changed. If the figure is right, repeat with confirm=yes; "
                "to fix an earlier figure, use /correct ID.",
            )
            reply.at_fault = lower[0].split("=", 1)[0]
            return reply
    written = await ctx.store.write(ctx.slug, [Change(fact)], ctx.caller.ident, author_name=ctx.caller.name)
    return await recorded(ctx, request, f"Recorded {written[0].key} ({kind})", snapshot, written)


async def update_command(ctx: Context, request: Request) -> Reply:
    if [w.lower() for w in request.words] != ["toll"]:
        return problem("Usage: " + UPDATE_USAGE)
    return await _create(ctx, request, "toll", UPDATE_USAGE)


async def add_command(ctx: Context, request: Request) -> Reply:
    kind = request.words[0].lower() if request.words else ""
    if kind not in ADDABLE or len(request.words) != 1:
        return problem(
            f"Say what to add: /add {'|'.join(ADDABLE[:-1])} key=value ...",
            "For example: " + '/add event date=YYYY-MM-DD text="..." source="..."',
        )
    usage = f"/add {kind} " + " ".join(f"{o}=..." for o in SPECS[kind] if o not in ("status",))
    return await _create(ctx, request, kind, usage)


async def _existing(ctx: Context, request: Request, verb: str) -> tuple[Snapshot, str, Fact] | Reply:
    if len(request.words) != 1:
        return problem(f'Usage: /{verb} ID key=value ... reason="..." (ids look like t1, e4, r2)')
    key = request.words[0].lower()
    snapshot = await ctx.snapshot()
    fact = snapshot.facts.get(key)
    if fact is None:
        return problem(f"There is no fact “{key}”.", "Ids are shown in square brackets in every answer, e.g. [t1].")
    if not (request.options.get("reason") or "").strip():
        return problem(f'Not recorded — reason: say why (/{verb} {key} ... reason="...").', "Nothing was changed.")
    return snapshot, key, fact


async def correct_command(ctx: Context, request: Request) -> Reply:
    found = await _existing(ctx, request, "correct")
    if isinstance(found, Reply):
        return found
    snapshot, key, fact = found
    usage = f"/correct {key} " + " ".join(f"{o}=..." for o in SPECS[fact.kind]) + ' reason="..."'
    changes_given = {k: v for k, v in request.options.items() if k not in ("reason", "urgent")}
    if not changes_given:
        return problem(f"Not recorded — say what to change, e.g. {usage}", "Nothing was changed.")
    if (changes_given.get("status") or "").lower() == "retracted":
        return problem(f'Not recorded — status: use /retract {key} reason="..." to retract.', "Nothing was changed.")
    try:
        revised = revised_fact(fact, changes_given, Env(snapshot, ctx.now))
    except InputError as error:
        return rejected(error, usage)
    diff = changes.differences(snapshot, fact, revised)
    if not diff:
        return problem(f"Nothing to change: {key} already says that.", outcome=Outcome.invalid)
    written = await ctx.store.write(
        ctx.slug,
        [Change(revised, key, "correct", request.options["reason"])],
        ctx.caller.ident,
        author_name=ctx.caller.name,
    )
    return await recorded(ctx, request, f"Corrected {key}", snapshot, written, [line(untrusted(text)) for text in diff])


async def retract_command(ctx: Context, request: Request) -> Reply:
    found = await _existing(ctx, request, "retract")
    if isinstance(found, Reply):
        return found
    snapshot, key, fact = found
    if set(request.options) - {"reason", "urgent"}:
        return problem('Not recorded — /retract takes only reason="..."; to change values use /correct.')
    if fact.status is Status.retracted:
        return problem(f"{key} is already retracted.", f"See /history {key}")
    retracted = replace(fact, status=Status.retracted)
    written = await ctx.store.write(
        ctx.slug,
        [Change(retracted, key, "retract", request.options["reason"])],
        ctx.caller.ident,
        author_name=ctx.caller.name,
    )
    return await recorded(ctx, request, f"Retracted {key}", snapshot, written)


async def undo_command(ctx: Context, request: Request) -> Reply:
    refused = unexpected(request, "/undo", options=("urgent",))
    if refused is not None:
        return refused
    batch = await ctx.store.last_batch(ctx.slug, ctx.caller.ident)
    if not batch:
        return problem("You have no change to undo.")
    undo: list[Change] = []
    for revision in batch:
        history = await ctx.store.history(ctx.slug, revision.key)
        undone = {h.undoes for h in history if h.undoes}
        # Later changes that still stand (not undos, not changes since undone) block the undo.
        others = [h for h in history if h.number > revision.number and not h.undoes and h.batch not in undone]
        if others:
            return problem(
                f"Can't undo: {revision.key} was changed again since, by {changes.who(others[-1])}.",
                f"Nothing was changed. Look at /history {revision.key} and use /correct.",
            )
        if revision.number == 1:
            restored = replace(revision.fact, status=Status.retracted)
        else:
            restored = next(h.fact for h in history if h.number == revision.number - 1)
        undo.append(Change(restored, revision.key, "undo", f"undo of {revision.action} #{revision.number}"))
    snapshot = await ctx.snapshot()
    written = await ctx.store.write(
        ctx.slug, undo, ctx.caller.ident, author_name=ctx.caller.name, undoes=batch[0].batch
    )
    what = ", ".join(f"{r.action} of {r.key}" for r in batch)
    return await recorded(ctx, request, f"Undone: {what}", snapshot, written, undoable=False)
