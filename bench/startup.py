"""Benchmark 4: start-up and footprint.

- `briefing ask /toll` to its answer: on a fresh SQLite database (migrations + seed) and on an existing one;
  baselines in the same run: `python -c pass` (the interpreter alone) and `python -c "import sqlalchemy.ext.asyncio,
  pydantic"` (the libraries any answer needs), with the ratio to the latter (target: within 1.3x), and `briefing
  --help`. Bytecode is cached as on any ordinary install (PYTHONDONTWRITEBYTECODE is dropped, one warm-up run).
- `briefing serve slack` to `GET /healthz` answering (fake Slack Web API on 127.0.0.1, PORT chosen free), on a
  fresh database and again on the same one (as after a release step), with the CPU time it used until then and
  its resident memory once ready.
- Resident memory with both adapters loaded and started (Slack HTTP and Discord gateway against fakes) in one
  process.

    .venv/bin/python bench/startup.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
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


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock seconds, and CPU seconds (user + system) the command used: the CPU time is what a busy machine
    disturbs least, so the ratios are given for both."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, timeout=60)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) a running process has used so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def serve_ready(env: dict[str, str]) -> tuple[float, float, float]:
    """Seconds from exec to /healthz answering, the CPU seconds the server used until then, and its RSS then."""
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
                        return time.perf_counter() - started, cpu_seconds(process.pid), rss_mb(process.pid)
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

    from bot.discord_chat.adapter import DiscordAdapter
    from bot.slack_chat.adapter import SlackAdapter
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
        python = [run([sys.executable, "-c", "pass"], base) for _ in range(args.repeat)]
        fresh, existing, baseline, helping = [], [], [], []
        for n in range(args.repeat):
            env = {**base, "BRIEFING_DATABASE_URL": f"sqlite:///{folder}/ask{n}.db"}
            fresh.append(await asyncio.to_thread(run, [BRIEFING, "ask", "/toll"], env))
            # interleaved, so both see the same machine
            baseline.append(run([sys.executable, "-c", BASELINE], base))
            existing.append(await asyncio.to_thread(run, [BRIEFING, "ask", "/toll"], env))
            helping.append(run([BRIEFING, "--help"], base))

        def show(label: str, runs: list[tuple[float, float]], note: str = "") -> None:
            wall, cpu = median([w for w, _ in runs]), median([c for _, c in runs])
            print(f"{label:<52} {wall * 1000:6.0f} ms wall {cpu * 1000:6.0f} ms CPU  {note}")

        def ratio(runs: list[tuple[float, float]]) -> str:
            wall = median([w for w, _ in runs]) / median([w for w, _ in baseline])
            cpu = median([c for _, c in runs]) / median([c for _, c in baseline])
            return f"{wall:.2f}x the baseline (wall), {cpu:.2f}x (CPU); target 1.3x"

        show("python -c pass", python, "(the interpreter)")
        show(f"python -c '{BASELINE}'", baseline, "(baseline)")
        show("briefing --help", helping)
        show("briefing ask /toll, fresh DB", fresh, "(migrations + seed load)")
        show("briefing ask /toll, existing DB", existing, ratio(existing))
        serving: dict[str, list[tuple[float, float, float]]] = {"fresh": [], "existing": []}
        for n in range(args.repeat):
            env = {**base, "BRIEFING_DATABASE_URL": f"sqlite:///{folder}/serve{n}.db"}
            serving["fresh"].append(await serve_ready(env))  # migrations + seed first
            serving["existing"].append(await serve_ready(env))  # as after a release step
        for kind, runs in serving.items():
            print(
                f"briefing serve slack -> /healthz ({kind} DB) {median([s for s, _, _ in runs]) * 1000:6.0f} ms wall "
                f"{median([c for _, c, _ in runs]) * 1000:6.0f} ms CPU (target 1.5 s), "
                f"RSS then {median([m for _, _, m in runs]):.0f} MiB"
            )
        print(f"both adapters started in one process: RSS {await both_adapters_rss(folder):.0f} MiB (target 150)")
    await slack.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    asyncio.run(main(parser.parse_args()))
