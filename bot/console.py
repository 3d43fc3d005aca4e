"""`briefing console`: the bot in a terminal, with line editing and history.

The prompt is read on the main thread, so Ctrl-C behaves as in a shell (the line is dropped, a new prompt
appears) and Ctrl-D leaves; the bot and its digest clock run on an event loop in a second thread."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar

from bot.adapter import SetupError
from bot.failures import open_briefings
from bot.images import save_image
from briefings.access import Caller
from briefings.render_text import render
from briefings.reply import Reply
from briefings.settings import CoreSettings

HISTORY = Path.home() / ".briefing_history"
BANNER = "Situation briefing console: {title}. Type /help for commands, /quit to leave (or Ctrl-D)."
T = TypeVar("T")


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
        if reply.image is not None:
            print(f"(chart saved to {save_image(reply.image)})\n")
        return run_key

    async def find_posted(self, channel: str, run_key: str) -> str | None:
        return None


class _Loop:
    """An event loop in a daemon thread; coroutines are handed to it and waited for from the main thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="briefing-loop", daemon=True)
        self.thread.start()

    def submit(self, work: Coroutine[Any, Any, T]) -> Future[T]:
        return asyncio.run_coroutine_threadsafe(work, self.loop)

    def call(self, work: Coroutine[Any, Any, T]) -> T:
        return self.submit(work).result()

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


def _read(prompt: str) -> str | None:
    """One line from the user; None at the end of input (Ctrl-D). Ctrl-C drops the line and prompts again."""
    while True:
        try:
            return input(prompt)
        except KeyboardInterrupt:
            print()
        except EOFError:
            print()
            return None


def main(settings: CoreSettings, caller: Caller) -> int:
    """Runs the console until /quit, Ctrl-D or the end of input."""
    from bot.scheduler import DigestClock
    from briefings.digests.runner import DigestRunner

    worker = _Loop()
    try:
        briefings = worker.call(open_briefings(settings))
        try:
            runner = DigestRunner(
                briefings.store, {"console": ConsolePoster()}, briefings.urgency, settings.digest_grace
            )
            clock = DigestClock(runner)
            worker.loop.call_soon_threadsafe(clock.start)
            try:
                situation = worker.call(briefings.store.situation(worker.call(briefings.situation_for(caller.channel))))
                _enable_line_editing()
                print(BANNER.format(title=situation.title))
                _converse(worker, lambda text: briefings.handle(text, caller))
                return 0
            finally:
                worker.call(clock.stop())
        finally:
            worker.call(briefings.close())
    finally:
        worker.close()


def _converse(worker: _Loop, handle: Callable[[str], Coroutine[Any, Any, Reply]]) -> None:
    while (text := _read("briefing> ")) is not None:
        if not text.strip():
            continue
        if text.strip().lower() in ("/quit", "/exit", "quit", "exit"):
            return
        pending = worker.submit(handle(text))
        try:
            reply = pending.result()
        except KeyboardInterrupt:
            pending.cancel()
            print("\n(interrupted)")
            continue
        print(render(reply))
        if reply.image is not None:
            try:
                print(f"(chart saved to {save_image(reply.image)})")
            except SetupError as exc:
                print(f"({exc})")
        print()
