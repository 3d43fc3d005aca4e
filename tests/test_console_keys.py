"""`briefing console` in a real terminal (a pseudo-terminal): Ctrl-C drops the line as a shell does, Ctrl-D leaves."""

from __future__ import annotations

import contextlib
import os
import pty
import select
import sys
import time
from pathlib import Path

from tests.conftest import SEEDS

BRIEFING = str(Path(sys.executable).parent / "briefing")
CTRL_C, CTRL_D = b"\x03", b"\x04"


class Terminal:
    """The console on the child side of a pseudo-terminal, so the line discipline turns Ctrl-C into SIGINT."""

    def __init__(self, tmp_path: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFING_", "SLACK_", "DISCORD_"))}
        env |= {"BRIEFING_DATABASE_URL": f"sqlite:///{tmp_path / 'b.db'}", "BRIEFING_SEEDS": str(SEEDS)}
        env |= {"HOME": str(tmp_path), "TERM": "xterm"}
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: becomes the console
            os.chdir(tmp_path)
            os.execve(BRIEFING, [BRIEFING, "console"], env)
        self.seen = b""
        self.code: int | None = None

    def read_until(self, wanted: bytes, timeout: float = 60) -> bytes:
        deadline = time.monotonic() + timeout
        while wanted not in self.seen:
            left = deadline - time.monotonic()
            assert left > 0, f"did not see {wanted!r}; the terminal shows:\n{self.seen.decode(errors='replace')}"
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:  # the child closed the terminal
                    chunk = b""
                assert chunk, f"the console ended before {wanted!r}:\n{self.seen.decode(errors='replace')}"
                self.seen += chunk
        found = self.seen
        self.seen = self.seen[self.seen.index(wanted) + len(wanted) :]
        return found

    def type(self, keys: bytes) -> None:
        os.write(self.fd, keys)

    def exit_code(self, timeout: float = 30) -> int | None:
        deadline = time.monotonic() + timeout
        while self.code is None and time.monotonic() < deadline:
            with_output = select.select([self.fd], [], [], 0.1)[0]
            if with_output:
                with contextlib.suppress(OSError):
                    self.seen += os.read(self.fd, 4096)
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.code = os.waitstatus_to_exitcode(status)
        return self.code

    def close(self) -> None:
        if self.exit_code(timeout=0.1) is None:
            os.kill(self.pid, 9)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


def test_ctrl_c_drops_the_typed_line_and_ctrl_d_leaves(tmp_path: Path) -> None:
    console = Terminal(tmp_path)
    try:
        console.read_until(b"briefing> ")
        console.type(b"/sources")
        console.read_until(b"/sources")  # echoed: the console has the half-typed line
        console.type(CTRL_C)
        console.read_until(b"briefing> ", timeout=30)  # a fresh prompt, at once, as in a shell
        console.type(b"/toll\r")
        answer = console.read_until(b"briefing> ")
        assert b"Death toll" in answer and b"SOHR" in answer
        assert b"/sources/toll" not in answer and b"unknown command" not in answer.lower()
        console.type(CTRL_D)
        assert console.exit_code() == 0
    finally:
        console.close()


def test_ctrl_c_on_an_empty_prompt_keeps_the_console_open(tmp_path: Path) -> None:
    console = Terminal(tmp_path)
    try:
        console.read_until(b"briefing> ")
        console.type(CTRL_C)
        console.read_until(b"briefing> ", timeout=30)
        console.type(b"/quit\r")
        assert console.exit_code() == 0
    finally:
        console.close()
