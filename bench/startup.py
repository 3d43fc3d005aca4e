"""Benchmark 4: start-up and footprint.

- `briefing ask /toll` to its answer: on a fresh SQLite database (migrations + seed) and on an existing one;
  baselines in the same run: `python -c pass` (the interpreter alone) and `python -c "import sqlalchemy.ext.asyncio,
  pydantic"` (the libraries any answer needs), with the ratio to the latter (target: within 1.3x), and `briefing
  --help`. Bytecode is cached as on any ordinary install (PYTHONDONTWRITEBYTECODE is dropped, one warm-up run).
- `briefing serve slack` to `GET /healthz` answering (fake Slack Web API on 127.0.0.1, PORT chosen free),
  and its resident memory once ready.
- Resident memory with both adapters loaded and started (Slack HTTP and Discord gateway against fakes) in one
  process.

    .venv/bin/python bench/startup.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from common import ROOT, SEEDS, machine, median, rss_mb

BRIEFING = str(Path(sys.executable).parent / "briefing")


BASELINE = "import sqlalchemy.ext.asyncio, pydantic"


def run(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, timeout=60)
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def serve_ready(env: dict[str, str]) -> tuple[float, float]:
    """Seconds from exec to /healthz answering, and the server's RSS then."""
    port = free_port()
    env = {**env, "PORT": str(port), "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": "s"}
    started = time.perf_counter()
    process = subprocess.Popen(
        [BRIEFING, "serve", "slack"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        async with httpx.AsyncClient(timeout=1) as http:
            while time.perf_counter() - started < 30:
                try:
                    if (await http.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200:
                        return time.perf_counter() - started, rss_mb(process.pid)
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.01)
        raise RuntimeError("briefing serve did not answer /healthz within 30 s")
    finally:
        process.send_signal(signal.SIGTERM)
        try:  # waited in a thread: the fake Slack in this process must keep answering while it shuts down
            await asyncio.to_thread(process.wait, 20)
        except subprocess.TimeoutExpired:
            print("  (briefing serve did not exit within 20 s of SIGTERM; killed)")
            process.kill()
            process.wait(timeout=5)


async def both_adapters_rss(folder: str) -> float:
    import discord

    from bot.discord.adapter import DiscordAdapter
    from bot.slack.adapter import SlackAdapter
    from briefings.service import Briefings
    from tests.fakes.slack import FakeSlack, bot_settings
    from tests.fakes_discord import GUILD_ID, FakeDiscord

    slack, fake_discord = await FakeSlack().start(), FakeDiscord()
    await fake_discord.start()
    discord.http.Route.BASE = fake_discord.rest_url
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = fake_discord.gateway_url
    settings = bot_settings(
        f"sqlite:///{folder}/both.db", slack, moderators="", discord_token="test-token", discord_guild_ids=GUILD_ID
    )
    briefings = await Briefings.start(settings)
    slack_adapter = SlackAdapter(briefings, settings)
    discord_adapter = DiscordAdapter(briefings, settings, ready_timeout=5, guild_ready_timeout=0.01)
    await slack_adapter.start()
    await discord_adapter.start()
    memory = rss_mb()
    await discord_adapter.stop()
    await slack_adapter.stop()
    await briefings.close()
    await fake_discord.close()
    await slack.stop()
    return memory


async def main(args: argparse.Namespace) -> None:
    print(f"machine: {machine()}")
    from tests.fakes.slack import FakeSlack

    slack = await FakeSlack().start()
    with tempfile.TemporaryDirectory() as folder:
        skip = ("BRIEFING_", "SLACK_", "DISCORD_", "PYTHONDONTWRITEBYTECODE")
        base = {k: v for k, v in os.environ.items() if not k.startswith(skip)}
        base |= {"BRIEFING_SEEDS": str(SEEDS), "SLACK_API_URL": slack.api_url}
        for warm_up in ([sys.executable, "-c", BASELINE], [BRIEFING, "--help"]):
            run(warm_up, base)
        python = median([run([sys.executable, "-c", "pass"], base) for _ in range(args.repeat)])
        fresh, existing, baseline, helping = [], [], [], []
        for n in range(args.repeat):
            env = {**base, "BRIEFING_DATABASE_URL": f"sqlite:///{folder}/ask{n}.db"}
            fresh.append(await asyncio.to_thread(run, [BRIEFING, "ask", "/toll"], env))
            # interleaved, so both see the same machine
            baseline.append(run([sys.executable, "-c", BASELINE], base))
            existing.append(await asyncio.to_thread(run, [BRIEFING, "ask", "/toll"], env))
            helping.append(run([BRIEFING, "--help"], base))
        print(f"python -c pass                 {python * 1000:7.0f} ms   (the interpreter)")
        print(f"python -c '{BASELINE}' {median(baseline) * 1000:7.0f} ms   (baseline)")
        print(f"briefing --help                {median(helping) * 1000:7.0f} ms")
        print(f"briefing ask /toll, fresh DB   {median(fresh) * 1000:7.0f} ms   (migrations + seed load)")
        print(
            f"briefing ask /toll, existing   {median(existing) * 1000:7.0f} ms   "
            f"({median(existing) / median(baseline):.2f}x the baseline; target 1.3x)"
        )
        serving = []
        for n in range(args.repeat):
            env = {**base, "BRIEFING_DATABASE_URL": f"sqlite:///{folder}/serve{n}.db"}
            serving.append(await serve_ready(env))
        print(
            f"briefing serve slack -> /healthz {median([s for s, _ in serving]) * 1000:7.0f} ms "
            f"(fresh DB; target 1.5 s), RSS then {median([m for _, m in serving]):.0f} MiB"
        )
        print(f"both adapters started in one process: RSS {await both_adapters_rss(folder):.0f} MiB (target 150)")
    await slack.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    asyncio.run(main(parser.parse_args()))
