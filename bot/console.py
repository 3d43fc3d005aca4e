"""`briefing console`: the bot in a terminal, with line editing and history."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bot.scheduler import DigestClock
from briefings.access import Caller
from briefings.digests.runner import DigestRunner
from briefings.render_text import render
from briefings.reply import Image, Reply
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


def save_image(image: Image) -> Path:
    """Writes a reply's chart to `$BRIEFING_CHART_DIR` (default: a `briefing-charts` folder in the temp dir)."""
    folder = Path(os.environ.get("BRIEFING_CHART_DIR") or Path(tempfile.gettempdir()) / "briefing-charts")
    folder.mkdir(parents=True, exist_ok=True)
    stem, _, suffix = image.filename.rpartition(".")
    path = folder / f"{stem or image.filename}-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.{suffix or 'png'}"
    path.write_bytes(image.png)
    return path


class ConsolePoster:
    """Digests for the console channel are printed."""

    async def post(self, channel: str, reply: Reply, run_key: str) -> str:
        print("\n" + render(reply) + "\n")
        if reply.image is not None:
            print(f"(chart saved to {save_image(reply.image)})\n")
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
        reply = await briefings.handle(text, caller)
        print(render(reply))
        if reply.image is not None:
            print(f"(chart saved to {save_image(reply.image)})")
        print()
