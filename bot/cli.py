"""The `briefing` command: console, ask, digest, load, export."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import traceback
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from bot import logs

# Each command imports what it uses when it runs, so `briefing --help` and `briefing ask` load no more than needed.
if TYPE_CHECKING:
    from briefings.access import Caller
    from briefings.reply import Reply
    from briefings.service import Briefings


def _caller(user: str | None) -> Caller:
    from briefings.access import Caller

    return Caller("console", user, "console", user) if user else Caller.operator()


def _print(reply: Reply) -> None:
    from briefings.render_text import render

    print(render(reply))
    if reply.image is not None:
        from bot.images import save_image

        print(f"(chart saved to {save_image(reply.image)})")


async def _ask(briefings: Briefings, args: argparse.Namespace) -> int:
    reply = await briefings.handle(args.text, _caller(args.user))
    _print(reply)
    return 0 if reply.ok else 1


async def _migrate(briefings: Briefings, args: argparse.Namespace) -> int:
    names = ", ".join(s.slug for s in await briefings.situations())
    print(f"Database ready; situations: {names or 'none'}.")
    return 0


async def _digest(briefings: Briefings, args: argparse.Namespace) -> int:
    reply = await briefings.digest(await briefings.situation_for("console"))
    _print(reply)
    return 0


async def _load(briefings: Briefings, args: argparse.Namespace) -> int:
    from briefings.loader import load_file

    if args.merge:
        return await _merge(briefings, args)
    file = load_file(Path(args.file))
    counts: dict[str, int] = {}
    for fact in file.facts.values():
        counts[fact.kind] = counts.get(fact.kind, 0) + 1
    summary = ", ".join(f"{n} {kind}s" for kind, n in counts.items())
    print(f"{args.file}: valid situation '{file.situation.slug}' with {summary or 'no facts'}.")
    if args.dry_run:
        return 0
    if not await briefings.import_situation(file):
        print(
            f"Situation '{file.situation.slug}' already exists; nothing was changed. "
            "Use --merge to apply the file's changes to it.",
            file=sys.stderr,
        )
        return 1
    print(f"Loaded '{file.situation.slug}'.")
    return 0


async def _merge(briefings: Briefings, args: argparse.Namespace) -> int:
    from briefings import merge
    from briefings.answers.changes import differences
    from briefings.loader import load_file

    peek = load_file(Path(args.file))  # validates on its own first, for a clear error
    snapshot = await briefings.snapshot(peek.situation.slug)
    file = load_file(Path(args.file), base=snapshot.facts)
    try:
        changes = merge.plan(snapshot, file)
    except merge.MergeError as exc:
        print(f"{args.file}: {exc}; nothing was changed.", file=sys.stderr)
        return 1
    for key, fact in changes.added:
        print(f"+ {key} {fact.kind}: {fact.label()}")
    for key, before, after in changes.revised:
        print(f"~ {key} {after.kind}: " + "; ".join(differences(snapshot, before, after)))
    for key, _, after in changes.retracted:
        print(f"- {key} {after.kind} retracted: {after.label()}")
    print(
        f"{len(changes.added)} added, {len(changes.revised)} revised, {len(changes.retracted)} retracted, "
        f"{changes.unchanged} unchanged; {changes.untouched} facts not in the file are left as they are."
    )
    if args.dry_run or changes.empty:
        print("Dry run: nothing was changed." if args.dry_run else "Nothing to change.")
        return 0
    reason = f"merged from {Path(args.file).name}"
    await briefings.apply(snapshot.situation.slug, changes.changes(reason))
    print("Applied.")
    return 0


async def _export(briefings: Briefings, args: argparse.Namespace) -> int:
    from briefings.exports import claims, tables, whole

    slug = args.situation or await briefings.situation_for("console")
    if args.format == "json":
        sys.stdout.write(whole.dumps(await briefings.situation_json(slug)))
        return 0
    snapshot = await briefings.snapshot(slug)
    tables_by_format = {
        "hxl": claims.claims_csv,
        "hxl-latest": claims.latest_csv,
        "acled": tables.acled_csv,
        "ucdp": tables.ucdp_csv,
    }
    sys.stdout.write(tables_by_format[args.format](snapshot))
    return 0


Runner = Callable[["Briefings", argparse.Namespace], Awaitable[int]]


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="briefing", description="Situation briefings for Slack, Discord and the console."
    )
    sub = top.add_subparsers(dest="command", required=True)
    p = sub.add_parser("console", help="talk to the bot in this terminal (the embedded default)")
    p.add_argument("--user", help="act as this console user (a moderator only if listed in BRIEFING_MODERATORS)")
    p.set_defaults(run=None)
    p = sub.add_parser("ask", help="run one command and print the reply; exit 1 if refused or invalid")
    p.add_argument("--user", help="act as this console user instead of the local operator")
    p.add_argument("text", help='the command, e.g. "/toll" or "/whatchanged since=yesterday"')
    p.set_defaults(run=_ask)
    p = sub.add_parser("serve", help="serve Slack and/or Discord (whichever has credentials) with the scheduler")
    p.add_argument(
        "platform",
        nargs="?",
        choices=["slack", "discord", "web"],
        help="serve only this platform (web: only the situations' web pages, feeds and exports, with health)",
    )
    p.set_defaults(run=None)
    p = sub.add_parser("manifest", help="print the Slack app manifest, generated from the command table")
    p.add_argument("--host", default="YOUR-HOST", help="the public host of `briefing serve` (default: YOUR-HOST)")
    p.add_argument("--command", dest="entry", help="the entry slash command (default: $BRIEFING_COMMAND or briefing)")
    p.add_argument("--entry-only", action="store_true", help="leave out /brief, /toll, /reactions and /timeline")
    p.add_argument("--socket-mode", action="store_true", help="for Socket Mode: no request URLs")
    p.set_defaults(run=None)
    p = sub.add_parser("migrate", help="create or upgrade the database and load the seed if it is empty")
    p.set_defaults(run=_migrate)
    p = sub.add_parser("digest", help="print the digest the bot would post now")
    p.set_defaults(run=_digest)
    p = sub.add_parser("load", help="validate and import a situation file")
    p.add_argument("file")
    p.add_argument("--dry-run", action="store_true", help="only validate and show what would change")
    p.add_argument("--merge", action="store_true", help="apply the file to its existing situation as revisions")
    p.set_defaults(run=_load)
    p = sub.add_parser("export", help="the situation as JSON (history included) or as CSV tables (docs/exports.md)")
    p.add_argument("--situation", help="slug (default: the console's current situation)")
    p.add_argument(
        "--format",
        choices=["json", "hxl", "hxl-latest", "acled", "ucdp"],
        default="json",
        help="json (default), hxl: every toll claim, hxl-latest: latest per source and place, acled: events, "
        "ucdp: tolls",
    )
    p.set_defaults(run=_export)
    return top


async def _main(args: argparse.Namespace) -> int:
    from bot.failures import open_briefings
    from briefings.plain_settings import read_core_settings

    if args.command == "serve":
        from bot.serve import serve
        from bot.settings import Settings

        return await serve(Settings(), args.platform)
    run: Runner = args.run
    briefings = await open_briefings(read_core_settings())
    try:
        return await run(briefings, args)
    finally:
        await briefings.close()


def _manifest(args: argparse.Namespace) -> int:
    from bot.settings import Settings
    from bot.slack_chat.manifest import render

    entry = args.entry or Settings().command
    try:
        text = render(entry, args.host, short=not args.entry_only, socket_mode=args.socket_mode)
    except ValueError as exc:
        print(f"briefing manifest: {exc}", file=sys.stderr)
        return 2
    print(text, end="")
    return 0


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "manifest":
        return _manifest(args)
    if args.command == "console":
        from bot import console
        from briefings.settings import CoreSettings

        return console.main(CoreSettings(), _caller(args.user))
    return asyncio.run(_main(args))


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logs.configure(args.command)
    try:
        return _dispatch(args)
    except BrokenPipeError:
        # Whoever read our output stopped reading (`briefing export | head`): not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        return _report(exc, args.command)


def _report(exc: Exception, command: str) -> int:
    """Says what went wrong in a line or two (where it happened only with BRIEFING_DEBUG=1); the exit code."""
    from bot.failures import explain
    from bot.settings import Settings
    from briefings.loader import SituationFileError
    from briefings.settings import CoreSettings
    from briefings.store import NotFound

    if isinstance(exc, SituationFileError | NotFound):
        print(str(exc), file=sys.stderr)
        return 1
    failure = explain(exc, Settings if command in ("serve", "manifest") else CoreSettings)
    if failure is None:
        if os.environ.get("BRIEFING_DEBUG"):
            traceback.print_exception(exc)
        print(f"briefing: unexpected error ({type(exc).__name__}: {exc}).", file=sys.stderr)
        print("Set BRIEFING_DEBUG=1 to see where it happened.", file=sys.stderr)
        return 1
    print(failure.message, file=sys.stderr)
    return failure.code
