"""Slow clients against `briefing serve slack` (its own process, on 127.0.0.1, with few file descriptors as on a
small server): hundreds of connections trickling their headers or body a byte at a time do not keep `/healthz`
or a signed command from being answered promptly; they are closed after the read timeout, and the log has one
line about it, no traceback. The health listener of a process without Slack over HTTP is guarded the same way."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import resource
import sys
import time
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiohttp import web

from bot.guard import ConnectionGuard, GuardedSite
from bot.serve import Serving, serve
from bot.settings import Settings
from tests.conftest import ROOT, SEEDS
from tests.fakes.slack import SECRET, FakeSlack
from tests.fakes_discord import GUILD_ID, FakeDiscord
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
    stop, closed = asyncio.Event(), list[bool]()
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


# ---- the health listener of a process that serves Discord alone (in process, against the fake Discord)


async def test_slow_clients_on_the_health_port_are_bounded_and_closed(
    fake_discord: FakeDiscord, sqlite_url: str
) -> None:
    settings = Settings(
        database_url=sqlite_url,
        seeds=SEEDS,
        moderators="",
        discord_token="test-token",
        discord_guild_ids=GUILD_ID,
        host="127.0.0.1",
        health_port=0,
        slack_bot_token="",
        http_read_timeout=1,
        http_max_connections=20,
    )
    stop = asyncio.Event()
    up: asyncio.Future[Serving] = asyncio.get_running_loop().create_future()
    task = asyncio.create_task(serve(settings, "discord", stop=stop, ready=up.set_result))
    halt, closed = asyncio.Event(), list[bool]()
    try:
        waiting: set[asyncio.Future[Any]] = {task, up}
        done, _ = await asyncio.wait(waiting, timeout=30, return_when=asyncio.FIRST_COMPLETED)
        assert up in done, task.result() if task in done else "not ready in time"
        serving = up.result()
        assert serving.health_server is not None and serving.health_port
        port = serving.health_port
        slow = [asyncio.create_task(trickle(port, n % 2 == 1, halt, closed)) for n in range(60)]
        await asyncio.sleep(0.5)
        async with httpx.AsyncClient(timeout=5) as http:
            live, took = await timed(http.get(f"http://127.0.0.1:{port}/livez"))
        assert live.status_code == 200 and took < 1, took
        async with asyncio.timeout(5):  # the read timeout is 1 s
            while len(closed) < len(slow):
                await asyncio.sleep(0.1)
        halt.set()
        await asyncio.gather(*slow)
    finally:
        halt.set()
        stop.set()
        assert await asyncio.wait_for(task, 30) == 0


async def test_requests_being_answered_are_never_cut_to_make_room(caplog: pytest.LogCaptureFixture) -> None:
    """With every place taken by a request being answered, a newcomer is closed at once (one log line) and the
    answers in progress complete; once they are done, newcomers are served again."""
    guard = ConnectionGuard(max_connections=2, read_timeout=5)
    release = asyncio.Event()

    async def slow(request: web.Request) -> web.Response:
        await release.wait()
        return web.Response(text="done")

    app = web.Application(middlewares=[guard.middleware])
    app.router.add_get("/slow", slow)
    site = GuardedSite(guard)
    url = f"http://127.0.0.1:{await site.start(app, '127.0.0.1', 0)}/slow"
    try:
        async with httpx.AsyncClient(timeout=5) as first, httpx.AsyncClient(timeout=5) as second:
            answers = [asyncio.create_task(client.get(url)) for client in (first, second)]
            async with asyncio.timeout(5):
                while guard.open_connections < 2:
                    await asyncio.sleep(0.05)
            await asyncio.sleep(0.2)  # both requests are in their handler
            async with httpx.AsyncClient(timeout=5) as third:
                with pytest.raises(httpx.TransportError):
                    await third.get(url)
            release.set()
            assert [(await answer).text for answer in answers] == ["done", "done"]
        async with httpx.AsyncClient(timeout=5) as later:
            assert (await later.get(url)).text == "done"
        assert guard.closed_count == 1
        assert not [r.getMessage() for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    finally:
        await site.stop()
