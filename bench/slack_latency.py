"""Benchmark 1: slash-command latency through Slack's real path.

A signed `POST /slack/events` (form-encoded slash command, signed exactly as Slack signs) goes through aiohttp ->
Bolt -> `Briefings.handle` -> Block Kit reply, on the server `briefing serve` uses (`SlackAdapter`, port 0, a fake
Slack Web API on 127.0.0.1). The baseline, measured in the same run on the same HTTP server class, is a bare Bolt
`AsyncApp` (process_before_response=True, as the adapter uses) acking a constant. The load generator is a
separate process (bench/loadgen.py), bounded by time and request count.

    .venv/bin/python bench/slack_latency.py [--seconds 5] [--limit 20000] [--commands /toll,/brief]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from common import ROOT, machine
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack_chat.adapter import SlackAdapter
from bot.slack_chat.http import HttpServer
from briefings.service import Briefings
from tests.fakes.slack import FakeSlack, bot_settings

SECRET = "bench-secret"
CONCURRENCY = (1, 16, 64)


def signed_request(text: str, response_url: str) -> tuple[bytes, dict[str, str]]:
    """The body and headers Slack would send for `text`; the timestamp stays valid for 5 minutes."""
    name, _, rest = text.partition(" ")
    fields = {
        "token": "legacy",
        "team_id": "T0TEST",
        "channel_id": "C0BENCH",
        "channel_name": "bench",
        "user_id": "U0READER",
        "user_name": "reader",
        "command": name,
        "text": rest,
        "response_url": response_url,
        "trigger_id": "1337.42.trigger",
        "api_app_id": "A0APP",
    }
    body = urllib.parse.urlencode(fields).encode()
    stamp = str(int(time.time()))
    signature = SignatureVerifier(SECRET).generate_signature(timestamp=stamp, body=body)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": str(signature),
    }
    return body, headers


async def load(url: str, text: str, response_url: str, concurrency: int, seconds: float, limit: int) -> dict:
    body, headers = signed_request(text, response_url)
    with tempfile.NamedTemporaryFile(suffix=".body") as file:
        file.write(body)
        file.flush()
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            str(Path(__file__).parent / "loadgen.py"),
            url,
            file.name,
            json.dumps(headers),
            str(concurrency),
            str(seconds),
            str(limit),
            stdout=asyncio.subprocess.PIPE,
        )
        out, _ = await asyncio.wait_for(process.communicate(), seconds + 60)
    return json.loads(out)


def bare_app(api_url: str) -> AsyncApp:
    """Bolt checks the token with auth.test once (cached): point it at the fake too, never at slack.com."""
    client = AsyncWebClient(token="xoxb-bench", base_url=api_url)
    app = AsyncApp(signing_secret=SECRET, client=client, process_before_response=True)

    async def answer(ack: AsyncAck) -> None:
        await ack("ok")

    for name in ("/toll", "/brief", "/timeline"):
        app.command(name)(answer)
    return app


def row(label: str, result: dict) -> str:
    errors = f" errors={result['errors']}" if result["errors"] else ""
    return (
        f"{label:<22} c={result['concurrency']:<3} n={result['requests']:<6} "
        f"p50={result['p50_ms']:7.2f} ms  p95={result['p95_ms']:7.2f} ms  p99={result['p99_ms']:7.2f} ms  "
        f"max={result['max_ms']:7.1f} ms  {result['rps']:7.0f} req/s{errors}"
    )


async def main(args: argparse.Namespace) -> None:
    print(f"machine: {machine()}")
    print(f"load: {args.seconds:g} s or {args.limit} requests per row, one pre-signed request, generator in a process")
    fake = await FakeSlack().start()
    with tempfile.TemporaryDirectory() as folder:
        # one person sends every request: rate limits off, so each is answered, not refused
        settings = bot_settings(
            f"sqlite:///{folder}/bench.db", fake, slack_signing_secret=SECRET, rate_per_person="", rate_per_channel=""
        )
        briefings = await Briefings.start(settings)
        adapter = SlackAdapter(briefings, settings)
        await adapter.start()
        baseline = HttpServer(bare_app(fake.api_url), "127.0.0.1", 0, SECRET)
        await baseline.start()
        real_url = f"http://127.0.0.1:{adapter.port}/slack/events"
        bare_url = f"http://127.0.0.1:{baseline.port}/slack/events"
        summary = []
        try:
            for concurrency in CONCURRENCY:
                bare = await load(bare_url, "/toll", fake.response_url(), concurrency, args.seconds, args.limit)
                print(row("bare Bolt (constant)", bare))
                for command in args.commands.split(","):
                    real = await load(real_url, command, fake.response_url(), concurrency, args.seconds, args.limit)
                    print(row(f"adapter {command}", real))
                    summary.append((command, concurrency, real["p50_ms"] / bare["p50_ms"], real["p99_ms"]))
                print()
        finally:
            await baseline.stop()
            await adapter.stop()
            await briefings.close()
            await fake.stop()
    print("target: p50 within 1.3x of the bare baseline; p99 far inside Slack's 3 s")
    for command, concurrency, ratio, p99 in summary:
        verdict = "met" if ratio <= 1.3 else "NOT met"
        print(f"  {command:<10} c={concurrency:<3} p50 ratio {ratio:5.1f}x ({verdict}); p99 {p99:.0f} ms of 3000")
    followups = len(fake.called("response_url"))
    print(f"(response_url follow-ups during the run: {followups}; a long answer posts its extra pages there)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--limit", type=int, default=20_000)
    parser.add_argument("--commands", default="/toll,/brief")
    asyncio.run(main(parser.parse_args()))
    del ROOT
