"""Benchmark 6: slow clients (slowloris) against `briefing serve slack`.

`briefing serve slack` runs as its own process (fake Slack Web API on 127.0.0.1, SQLite seed store) with an
open-file limit as on a small host. `--connections` clients connect and trickle a request one byte every
`--every` seconds (half of them the headers, half the body of a POST); meanwhile `/healthz` and a signed `/toll`
are timed once a second. Prints their latencies, how many slow clients the server closed, and the server's log
lines and tracebacks. Bounded: `--seconds` of trickling, then every client is closed.

    .venv/bin/python bench/slow_clients.py [--connections 1100] [--files 1024] [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import resource
import sys
import tempfile
import time
import urllib.parse

import httpx
from common import ROOT, SEEDS, machine, median

from tests.fakes.slack import SECRET, FakeSlack
from tests.test_faults_http import sign


async def trickle(port: int, body: bool, every: float, stop: asyncio.Event, stats: dict[str, int]) -> None:
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        stats["refused"] += 1
        return
    stats["connected"] += 1
    head = b"POST /slack/events HTTP/1.1\r\nHost: x\r\n"
    if body:
        head += b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n"
    try:
        writer.write(head)
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(reader.read(1024), every)  # an answer (408) or the end
                stats["closed by the server"] += 1
                return
            writer.write(b"a" if body else b"X: y\r\n")
            await writer.drain()
    except (ConnectionError, OSError):
        stats["closed by the server"] += 1
    finally:
        writer.transport.abort()


async def probe(url: str, results: dict[str, list[float]], failures: dict[str, int]) -> None:
    fields = {"command": "/toll", "text": "", "user_id": "U0PROBE", "channel_id": "C0PROBE", "team_id": "T0TEST"}
    body = urllib.parse.urlencode(fields).encode()
    async with httpx.AsyncClient(timeout=5) as http:
        for name in ("healthz", "toll"):
            started = time.perf_counter()
            try:
                if name == "healthz":
                    response = await http.get(f"{url}/healthz")
                else:
                    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body)}
                    response = await http.post(f"{url}/slack/events", content=body, headers=headers)
                response.raise_for_status()
                results[name].append(time.perf_counter() - started)
            except httpx.HTTPError:
                failures[name] += 1


async def main(args: argparse.Namespace) -> None:
    print(f"machine: {machine()}")
    print(f"{args.connections} slow clients, a byte every {args.every:g} s, server open-file limit {args.files}")
    fake = await FakeSlack().start()
    folder = tempfile.mkdtemp()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("BRIEFING_", "SLACK_", "DISCORD_"))},
        "BRIEFING_DATABASE_URL": f"sqlite:///{folder}/bench.db",
        "BRIEFING_SEEDS": str(SEEDS),
        "BRIEFING_HOST": "127.0.0.1",
        "BRIEFING_RATE_PER_PERSON": "",
        "PORT": "0",
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.api_url,
    }

    def few_files() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (args.files, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))

    server = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "serve", "slack", cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT, preexec_fn=few_files,
    )  # fmt: skip
    assert server.stdout is not None
    log: list[str] = []
    url = ""
    async with asyncio.timeout(60):
        while not url:
            text = (await server.stdout.readline()).decode(errors="replace")
            if not text:
                raise SystemExit("the server ended:\n" + "".join(log))
            log.append(text)
            found = re.search(r"(http://127\.0\.0\.1:\d+)/slack/events", text)
            url = found.group(1) if found else ""

    async def drain() -> None:
        assert server.stdout is not None
        while text := await server.stdout.readline():
            log.append(text.decode(errors="replace"))

    reading = asyncio.create_task(drain())
    port = int(url.rsplit(":", 1)[1])
    stats = dict.fromkeys(("connected", "refused", "closed by the server"), 0)
    results: dict[str, list[float]] = {"healthz": [], "toll": []}
    failures = {"healthz": 0, "toll": 0}
    stop = asyncio.Event()
    slow = [asyncio.create_task(trickle(port, n % 2 == 1, args.every, stop, stats)) for n in range(args.connections)]
    try:
        await asyncio.sleep(2)
        deadline = time.monotonic() + args.seconds
        while time.monotonic() < deadline:
            await probe(url, results, failures)
            await asyncio.sleep(1)
    finally:
        stop.set()
        await asyncio.gather(*slow, return_exceptions=True)
        await asyncio.sleep(1)
        server.terminate()
        await server.wait()
        await reading
        await fake.stop()
    print(f"slow clients: {stats}")
    for name, values in results.items():
        worst = max(values) if values else float("nan")
        print(
            f"{name:8} answered {len(values)}, failed {failures[name]} (5 s timeout), "
            f"median {median(values) * 1000:.0f} ms, worst {worst * 1000:.0f} ms"
        )
    whole = "".join(log)
    print(f"server log: {len(log)} lines, {whole.count('Traceback')} tracebacks")
    for text in log:
        if "WARNING" in text or "ERROR" in text:
            print("  " + text.rstrip()[:200])
            break


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=1100)
    parser.add_argument("--files", type=int, default=1024)
    parser.add_argument("--every", type=float, default=5.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    asyncio.run(main(parser.parse_args()))
