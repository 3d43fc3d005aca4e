"""Health and metrics of `briefing serve` in each mode, over HTTP on 127.0.0.1: Slack over HTTP and Slack in
Socket Mode (the real command line in a subprocess, against the fake Slack), and Discord alone (in process,
against the fake Discord)."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sys
import time
import urllib.parse
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

from bot.serve import Serving, serve
from bot.settings import Settings
from tests.conftest import SEEDS
from tests.fakes.slack import SECRET, FakeSlack
from tests.fakes_discord import CHANNEL_ID, GUILD_ID, FakeDiscord
from tests.test_slack import signed

ROOT = Path(__file__).resolve().parent.parent
LISTENING = re.compile(r"http://127\.0\.0\.1:(\d+)/(slack/events|readyz)")


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of a /metrics body, parsed by prometheus-client's own parser: (name, labels) -> value."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def value(text: str, name: str, **labels: str) -> float | None:
    return samples(text).get((name, frozenset(labels.items())))


@dataclass
class Process:
    """`briefing serve` in a subprocess: its health port and everything it wrote to stderr."""

    process: asyncio.subprocess.Process
    port: int
    log: list[str]
    http: httpx.AsyncClient

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def ready(self, timeout: float = 10.0) -> httpx.Response:
        deadline = time.monotonic() + timeout
        while True:
            response = await self.http.get(self.url("/readyz"))
            if response.status_code == 200 or time.monotonic() > deadline:
                return response
            await asyncio.sleep(0.1)

    async def command(self, text: str, user: str) -> httpx.Response:
        name, _, rest = text.partition(" ")
        fields = {"command": name, "text": rest, "user_id": user, "user_name": user.lower(), "channel_id": "C0TEST"}
        fields |= {"team_id": "T0TEST", "response_url": "http://127.0.0.1:9/unused", "trigger_id": "1.2.3"}
        body = urllib.parse.urlencode(fields).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", **signed(body)}
        return await self.http.post(self.url("/slack/events"), content=body, headers=headers)

    async def mention(self, words: str, user: str) -> httpx.Response:
        event = {"type": "app_mention", "user": user, "text": f"<@UBOT> {words}", "ts": "1.000100", "channel": "C0TEST"}
        body = json.dumps({"type": "event_callback", "team_id": "T0TEST", "event_id": "Ev1", "event": event}).encode()
        headers = {"Content-Type": "application/json", **signed(body)}
        return await self.http.post(self.url("/slack/events"), content=body, headers=headers)


async def _read(stream: asyncio.StreamReader, log: list[str], port: asyncio.Future[int]) -> None:
    while line := await stream.readline():
        text = line.decode(errors="replace").rstrip("\n")
        log.append(text)
        found = LISTENING.search(text)
        if found and not port.done():
            port.set_result(int(found.group(1)))
    if not port.done():
        port.set_exception(AssertionError("briefing serve ended before listening:\n" + "\n".join(log)))


@asynccontextmanager
async def briefing_serve(tmp_path: Path, fake: FakeSlack, **env: str) -> AsyncIterator[Process]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFING_", "SLACK_", "DISCORD_"))}
    environ |= {
        "BRIEFING_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "BRIEFING_SEEDS": str(SEEDS),
        "BRIEFING_MODERATORS": "slack:U0MOD",
        "BRIEFING_HOST": "127.0.0.1",
        "BRIEFING_HEALTH_PORT": "0",
        "PORT": "0",
        "SLACK_BOT_TOKEN": "xoxb-test-token-1234",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.api_url,
        **env,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "serve", "slack", cwd=tmp_path, env=environ, stderr=asyncio.subprocess.PIPE
    )
    assert process.stderr is not None
    log: list[str] = []
    port: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    reader = asyncio.create_task(_read(process.stderr, log, port))
    try:
        async with httpx.AsyncClient(timeout=10) as http:
            yield Process(process, await asyncio.wait_for(port, 30), log, http)
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 30) == 0, "\n".join(log)
        await reader


async def test_slack_over_http_serves_health_and_counts_commands(tmp_path: Path, fake_slack: FakeSlack) -> None:
    async with briefing_serve(tmp_path, fake_slack) as bot:
        assert (await bot.http.get(bot.url("/livez"))).json() == {"ok": True}
        ready = await bot.ready()
        assert ready.status_code == 200, ready.text
        body = ready.json()
        assert body["ready"] is True and body["not_ready"] == []
        assert set(body["checks"]) == {"database", "slack", "digest_clock"}
        assert (await bot.http.get(bot.url("/healthz"))).json()["ready"] is True
        assert (await bot.command("/toll", "U0READER")).status_code == 200
        assert (await bot.command("/toll", "U0READER")).status_code == 200
        assert (await bot.command("/undo", "U0READER")).status_code == 200  # refused: not a moderator
        assert (await bot.command("/update toll killed=75 source=SOHR", "U0MOD")).status_code == 200
        fake_slack.rate_limit("chat.postMessage", retry_after=1)
        assert (await bot.mention("toll", "U0READER")).status_code == 200
        await fake_slack.wait_for("chat.postMessage", count=2)
        metrics = await bot.http.get(bot.url("/metrics"))
        assert value(metrics.text, "briefing_rate_limit_retries_total", platform="slack") == 1
        assert metrics.headers["content-type"].startswith("text/plain; version=0.0.4")
        text = metrics.text
        commands = "briefing_commands_total"
        assert value(text, commands, command="toll", platform="slack", outcome="answered") == 3
        assert value(text, commands, command="undo", platform="slack", outcome="refused") == 1
        assert value(text, commands, command="update", platform="slack", outcome="answered") == 1
        assert value(text, "briefing_moderator_changes_total", command="update", platform="slack") == 1
        assert value(text, "briefing_command_duration_seconds_count", platform="slack") == 5
        assert value(text, "briefing_digest_posts_total", outcome="posted") == 0
        age = value(text, "briefing_newest_fact_age_seconds", situation="syria-coast-2025-03")
        assert age is not None and 0 <= age < 60
        assert any(name == "briefing_build_info" for name, _ in samples(text))
    log = "\n".join(bot.log)
    [refusal] = [line for line in bot.log if "refused /undo" in line]
    assert " INFO " in refusal  # routine, not a warning
    assert "WARNING" not in log and "Traceback" not in log, log
    assert "apscheduler" not in log and "alembic" not in log, log
    assert "xoxb-test-token-1234" not in log


async def test_socket_mode_serves_health_on_its_own_port(tmp_path: Path, fake_slack: FakeSlack) -> None:
    async with briefing_serve(tmp_path, fake_slack, SLACK_APP_TOKEN="xapp-1-test") as bot:
        assert any("/readyz" in line for line in bot.log)
        ready = await bot.ready()
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"]["slack"] == {"ok": True}
        assert (await bot.http.post(bot.url("/slack/events"))).status_code in (404, 405)
        assert value((await bot.http.get(bot.url("/metrics"))).text, "briefing_digest_posts_total", outcome="late") == 0


async def test_json_logs_are_one_object_a_line(tmp_path: Path, fake_slack: FakeSlack) -> None:
    async with briefing_serve(tmp_path, fake_slack, BRIEFING_LOG_FORMAT="json") as bot:
        await bot.ready()
    lines = [line for line in bot.log if line.strip()]
    assert lines
    for line in lines:
        record = json.loads(line)
        assert {"time", "level", "logger", "message"} <= set(record), record
    assert any("adapter ready" in json.loads(line)["message"] for line in lines)


# ---- Discord alone, in process against the fake Discord


@asynccontextmanager
async def serving_discord(fake: FakeDiscord, database_url: str) -> AsyncIterator[Serving]:
    settings = Settings(
        database_url=database_url,
        seeds=SEEDS,
        moderators="discord:user:111",
        discord_token="test-token",
        discord_guild_ids=GUILD_ID,
        host="127.0.0.1",
        health_port=0,
        slack_bot_token="",
    )
    stop = asyncio.Event()
    up: asyncio.Future[Serving] = asyncio.get_running_loop().create_future()
    task = asyncio.create_task(serve(settings, "discord", stop=stop, ready=up.set_result))
    try:
        waiting: set[asyncio.Future[Any]] = {task, up}
        done, _ = await asyncio.wait(waiting, timeout=30, return_when=asyncio.FIRST_COMPLETED)
        assert up in done, task.result() if task in done else "not ready in time"
        yield up.result()
    finally:
        stop.set()
        assert await asyncio.wait_for(task, 30) == 0


async def get(serving: Serving, path: str) -> httpx.Response:
    async with httpx.AsyncClient(timeout=10) as http:
        return await http.get(f"http://127.0.0.1:{serving.health_port}{path}")


async def wait_status(serving: Serving, status: int, timeout: float = 10.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        response = await get(serving, "/readyz")
        if response.status_code == status or time.monotonic() > deadline:
            assert response.status_code == status, response.text
            body: dict[str, Any] = response.json()
            return body
        await asyncio.sleep(0.1)


async def test_discord_alone_is_ready_then_not_when_the_gateway_drops(
    fake_discord: FakeDiscord, database_url: str
) -> None:
    async with serving_discord(fake_discord, database_url) as serving:
        assert serving.health_port
        assert (await get(serving, "/livez")).status_code == 200
        body = await wait_status(serving, 200)
        assert set(body["checks"]) == {"database", "discord", "digest_clock"}
        await fake_discord.interact(fake_discord.command("toll", None, user_id="222"))
        text = (await get(serving, "/metrics")).text
        assert value(text, "briefing_commands_total", command="toll", platform="discord", outcome="answered") == 1
        fake_discord.rate_limited = 1
        answer = await fake_discord.interact(fake_discord.command("toll", None, user_id="222"))
        await fake_discord.interact(fake_discord.button(fake_discord.message_for(answer), "briefing:share:/toll"))
        assert len(fake_discord.messages[CHANNEL_ID]) == 1  # posted once, after waiting out the 429
        text = (await get(serving, "/metrics")).text
        assert value(text, "briefing_rate_limit_retries_total", platform="discord") == 1
        await fake_discord.close()
        body = await wait_status(serving, 503)
        assert body["ready"] is False and "discord" in body["not_ready"]
        assert body["checks"]["discord"] == {"ok": False, "error": "not connected"}
        assert (await get(serving, "/livez")).status_code == 200  # liveness never depends on a platform


async def test_a_stopped_digest_clock_is_not_ready(fake_discord: FakeDiscord, sqlite_url: str) -> None:
    async with serving_discord(fake_discord, sqlite_url) as serving:
        await wait_status(serving, 200)
        serving.clock.scheduler.pause()
        serving.health.tick_limit = 0.3
        body = await wait_status(serving, 503)
        assert body["not_ready"] == ["digest_clock"]
        assert "last tick" in body["checks"]["digest_clock"]["error"]


def test_digest_outcomes_are_counted_from_each_tick() -> None:
    from bot.metrics import Metrics
    from briefings.digests.tick import TickReport

    metrics = Metrics()
    metrics.ticked(TickReport(posted=3, late=1, skipped=2, failed=1, retrying=1))
    metrics.ticked(TickReport(posted=1))
    body, content_type = metrics.exposition()
    text = body.decode()
    assert content_type.startswith("text/plain; version=0.0.4")
    expected = {"posted": 3, "late": 1, "skipped": 2, "failed": 1, "retrying": 1}
    for outcome, count in expected.items():
        assert value(text, "briefing_digest_posts_total", outcome=outcome) == count, outcome
    assert (value(text, "briefing_digest_clock_last_tick_timestamp_seconds") or 0) > time.time() - 60
