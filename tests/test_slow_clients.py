"""Slow clients against `briefing serve slack` (its own process, on 127.0.0.1, with few file descriptors as on a
small server): hundreds of connections trickling their headers or body a byte at a time do not keep `/healthz`
or a signed command from being answered promptly; they are closed after the read timeout, and the log has one
line about it, no traceback."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import resource
import sys
import time
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, SEEDS
from tests.fakes.slack import SECRET, FakeSlack
from tests.test_faults_http import command, sign

FILES = 384
"""The server's open-file limit: fewer than the trickling connections."""
TRICKLERS = 450
READ_TIMEOUT = 3
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@dataclass
class Served:
    url: str
    process: asyncio.subprocess.Process
    log: list[str] = field(default_factory=list)


def few_files() -> None:
    """In the server's process, before it starts: a low open-file limit, as on a small host."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (FILES, hard))


async def drain(stream: asyncio.StreamReader, lines: list[str]) -> None:
    while text := await stream.readline():
        lines.append(text.decode(errors="replace").rstrip())


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[Served]:
    fake = await FakeSlack().start()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("BRIEFING_", "SLACK_", "DISCORD_"))},
        "BRIEFING_DATABASE_URL": f"sqlite:///{tmp_path / 'briefings.db'}",
        "BRIEFING_SEEDS": str(SEEDS),
        "BRIEFING_HOST": "127.0.0.1",
        "BRIEFING_HTTP_READ_TIMEOUT": str(READ_TIMEOUT),
        "PORT": "0",
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.api_url,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "serve", "slack", cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT, preexec_fn=few_files,
    )  # fmt: skip
    assert process.stdout is not None
    served = Served("", process)
    reader: asyncio.Task[None] | None = None
    try:
        async with asyncio.timeout(30):
            while not served.url:
                text = (await process.stdout.readline()).decode(errors="replace").rstrip()
                assert text or process.returncode is None, "\n".join(served.log)
                served.log.append(text)
                found = re.search(r"(http://127\.0\.0\.1:\d+)/slack/events", text)
                served.url = found.group(1) if found else ""
        reader = asyncio.create_task(drain(process.stdout, served.log))
        yield served
    finally:
        if process.returncode is None:
            process.terminate()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(process.wait(), 10)
        if process.returncode is None:
            process.kill()
            await process.wait()
        if reader is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(reader, 5)
        await fake.stop()


async def trickle(port: int, body: bool, stop: asyncio.Event, closed: list[bool]) -> None:
    """One slow client: a request's headers (or its headers, then its body) a byte at a time, until closed."""
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return
    head = b"POST /slack/events HTTP/1.1\r\nHost: x\r\n"
    if body:
        head += b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n"
    try:
        writer.write(head)
        for _ in range(120):  # bounded: at most a minute
            if stop.is_set():
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(reader.read(1024), 0.5)  # an answer (408) or the end: closed by the server
                closed.append(True)
                return
            writer.write(b"a" if body else b"X: y\r\n")
            await writer.drain()
    except (ConnectionError, OSError):
        closed.append(True)
    finally:
        writer.transport.abort()


async def timed(request: Awaitable[httpx.Response]) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = await request
    return response, time.monotonic() - started


async def test_trickling_connections_do_not_take_the_endpoint_down(served: Served) -> None:
    port = int(served.url.rsplit(":", 1)[1])
    stop, closed = asyncio.Event(), []
    slow = [asyncio.create_task(trickle(port, n % 2 == 1, stop, closed)) for n in range(TRICKLERS)]
    try:
        await asyncio.sleep(1.5)  # every slow client connected and trickling
        async with httpx.AsyncClient(timeout=10) as http:
            health, health_took = await timed(http.get(f"{served.url}/healthz"))
            body = command("/toll", user="U0READER")
            answer, answer_took = await timed(
                http.post(f"{served.url}/slack/events", content=body, headers={**FORM, **sign(body)})
            )
        assert health.status_code == 200 and health_took < 2, (health.status_code, health_took)
        assert answer.status_code == 200 and "killed" in answer.text and answer_took < 2, (answer_took, answer.text)
        # past the read timeout, the slow clients that were not already closed to make room are closed too
        async with asyncio.timeout(READ_TIMEOUT + 5):
            while len(closed) < TRICKLERS:
                await asyncio.sleep(0.2)
    finally:
        stop.set()
        await asyncio.gather(*slow, return_exceptions=True)
    await asyncio.sleep(0.5)
    log = "\n".join(served.log)
    assert "Traceback" not in log and "Too many open files" not in log, log[-3000:]
    assert re.search(r"closed .*HTTP connection", log), log[-3000:]
