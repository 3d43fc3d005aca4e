"""`briefing console`: the bot in a terminal, with line editing and history."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
from collections.abc import Callable
from pathlib import Path

from bot.scheduler import DigestClock
from briefings.access import Caller
from briefings.digests.runner import DigestRunner
from briefings.render_text import render
from briefings.reply import Reply
from briefings.service import Briefings

HISTORY = Path.home() / ".briefing_history"
BANNER = "Situation briefing console: {title}. Type /help for commands, /quit to leave."


def _enable_line_editing() -> None:
    try:
        import readline
    except ImportError:  # not on every platform; input() still works
        return
    with contextlib.suppress(OSError):
        readline.read_history_file(HISTORY)
    readline.set_history_length(1000)
    atexit.register(_save_history, readline.write_history_file)


def _save_history(write: Callable[[Path], None]) -> None:
    with contextlib.suppress(OSError):
        write(HISTORY)


class ConsolePoster:
    """Digests for the console channel are printed."""

    async def post(self, channel: str, reply: Reply, run_key: str) -> str:
        print("\n" + render(reply) + "\n")
        return run_key

    async def find_posted(self, channel: str, run_key: str) -> str | None:
        return None


async def run(briefings: Briefings, caller: Caller) -> int:
    clock = DigestClock(DigestRunner(briefings, {"console": ConsolePoster()}))
    clock.start()
    try:
        return await _loop(briefings, caller)
    finally:
        await clock.stop()


async def _loop(briefings: Briefings, caller: Caller) -> int:
    _enable_line_editing()
    situation = await briefings.store.situation(await briefings.situation_for(caller.channel))
    print(BANNER.format(title=situation.title))
    while True:
        try:
            text = await asyncio.to_thread(input, "briefing> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if not text.strip():
            continue
        if text.strip().lower() in ("/quit", "/exit", "quit", "exit"):
            return 0
        print(render(await briefings.handle(text if text.startswith("/") else "/" + text, caller)))
        print()
