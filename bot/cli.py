"""The `briefing` command: console, ask, digest, load, export."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from bot import console
from briefings.access import Caller
from briefings.loader import SituationFileError, load_file
from briefings.render_text import render
from briefings.service import Briefings
from briefings.settings import CoreSettings
from briefings.store import NotFound
from briefings.store.store import encode


def _caller(user: str | None) -> Caller:
    return Caller("console", user, "console", user) if user else Caller.operator()


async def _ask(briefings: Briefings, args: argparse.Namespace) -> int:
    reply = await briefings.handle(args.text, _caller(args.user))
    print(render(reply))
    return 0 if reply.ok else 1


async def _console(briefings: Briefings, args: argparse.Namespace) -> int:
    return await console.run(briefings, _caller(args.user))


async def _digest(briefings: Briefings, args: argparse.Namespace) -> int:
    reply = await briefings.handle("/brief", Caller.operator())
    print(render(reply))
    return 0 if reply.ok else 1


async def _load(briefings: Briefings, args: argparse.Namespace) -> int:
    file = load_file(Path(args.file))
    counts: dict[str, int] = {}
    for fact in file.facts.values():
        counts[fact.kind] = counts.get(fact.kind, 0) + 1
    summary = ", ".join(f"{n} {kind}s" for kind, n in counts.items())
    print(f"{args.file}: valid situation '{file.situation.slug}' with {summary or 'no facts'}.")
    if args.dry_run:
        return 0
    if not await briefings.store.import_situation(file, Caller.operator().ident):
        print(f"Situation '{file.situation.slug}' already exists; nothing was changed.", file=sys.stderr)
        return 1
    print(f"Loaded '{file.situation.slug}'.")
    return 0


async def _export(briefings: Briefings, args: argparse.Namespace) -> int:
    slug = args.situation or await briefings.situation_for("console")
    situation = await briefings.store.situation(slug)
    snapshot = await briefings.store.snapshot(slug)
    history = await briefings.store.revisions_since(slug, datetime.min.replace(tzinfo=UTC))
    facts = []
    for key, fact in snapshot.facts.items():
        facts.append(
            {
                "id": key,
                "kind": fact.kind,
                "current": encode(fact),
                "history": [
                    {
                        "number": r.number,
                        "at": r.at.isoformat(),
                        "author": r.author,
                        "action": r.action,
                        "reason": r.reason,
                        "data": encode(r.fact),
                    }
                    for r in history
                    if r.key == key
                ],
            }
        )
    json.dump(
        {"situation": situation.model_dump(mode="json"), "facts": facts}, sys.stdout, indent=2, ensure_ascii=False
    )
    print()
    return 0


Runner = Callable[[Briefings, argparse.Namespace], Awaitable[int]]


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="briefing", description="Situation briefings for Slack, Discord and the console."
    )
    sub = top.add_subparsers(dest="command", required=True)
    p = sub.add_parser("console", help="talk to the bot in this terminal (the embedded default)")
    p.add_argument("--user", help="act as this console user (a moderator only if listed in BRIEFING_MODERATORS)")
    p.set_defaults(run=_console)
    p = sub.add_parser("ask", help="run one command and print the reply; exit 1 if refused or invalid")
    p.add_argument("--user", help="act as this console user instead of the local operator")
    p.add_argument("text", help='the command, e.g. "/toll Jableh"')
    p.set_defaults(run=_ask)
    p = sub.add_parser("digest", help="print the digest the bot would post now")
    p.set_defaults(run=_digest)
    p = sub.add_parser("load", help="validate and import a situation file")
    p.add_argument("file")
    p.add_argument("--dry-run", action="store_true", help="only validate and summarise")
    p.set_defaults(run=_load)
    p = sub.add_parser("export", help="the whole situation, history included, as JSON")
    p.add_argument("--situation", help="slug (default: the console's current situation)")
    p.set_defaults(run=_export)
    return top


async def _main(args: argparse.Namespace) -> int:
    run: Runner = args.run
    briefings = await Briefings.start(CoreSettings())
    try:
        return await run(briefings, args)
    finally:
        await briefings.close()


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return asyncio.run(_main(args))
    except SituationFileError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except ValidationError as exc:
        print(f"Invalid setting: {exc}", file=sys.stderr)
        return 2
    except NotFound as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
