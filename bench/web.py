"""Benchmark: the situation's web page and feeds over HTTP, against a bare aiohttp handler serving a constant.

`briefing serve web` (the real server: health listener, connection guard, access check per request, answers kept
per situation version) on 127.0.0.1 with the seed on SQLite, and in the same run a bare aiohttp app whose one
handler returns a constant body of the page's size (also behind the real listener's connection guard, to show
what the guard costs). The load generator is a separate process (this file with
--client), sending GETs with `concurrency` keep-alive connections for at most `seconds` or `limit` requests.

    .venv/bin/python bench/web.py [--seconds 4] [--limit 20000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp
from aiohttp import web
from common import machine, percentile

from bot.guard import ConnectionGuard, GuardedSite
from tests.web_serving import SLUG, base, moderate, serving_web

CONCURRENCY = (1, 16)
PATHS = (f"/s/{SLUG}", f"/s/{SLUG}/feed.atom", f"/s/{SLUG}/feed.json", f"/s/{SLUG}/claims.hxl.csv")


async def client(url: str, concurrency: int, seconds: float, limit: int) -> dict[str, float]:
    latencies: list[float] = []
    failed = 0
    sent = 0
    deadline = time.monotonic() + seconds
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def once() -> None:
            nonlocal failed
            started = time.perf_counter()
            async with session.get(url) as response:
                await response.read()
                failed += response.status != 200
            latencies.append(time.perf_counter() - started)

        await asyncio.gather(*(once() for _ in range(concurrency)))  # warm-up, not counted
        latencies.clear()
        began = time.perf_counter()

        async def worker() -> None:
            nonlocal sent
            while sent < limit and time.monotonic() < deadline:
                sent += 1
                await once()

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
    return {
        "requests": len(latencies),
        "failed": failed,
        "rps": len(latencies) / elapsed,
        "p50_ms": percentile(latencies, 0.5) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
    }


async def load(url: str, concurrency: int, seconds: float, limit: int) -> dict[str, float]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--client", url, str(concurrency), str(seconds), str(limit),
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, _ = await process.communicate()
    result: dict[str, float] = json.loads(out)
    return result


async def bare(body: bytes, guard: ConnectionGuard | None = None) -> tuple[Callable[[], Awaitable[None]], str]:
    """A constant handler on a plain aiohttp site, or behind the connection guard the real listener uses;
    returns how to stop it and its address."""

    async def constant(request: web.Request) -> web.Response:
        return web.Response(body=body, content_type="text/html")

    app = web.Application(middlewares=[guard.middleware] if guard else [])
    app.add_routes([web.get("/", constant)])
    if guard is not None:
        site = GuardedSite(guard)
        port = await site.start(app, "127.0.0.1", 0)
        return site.stop, f"http://127.0.0.1:{port}/"
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner.cleanup, f"http://127.0.0.1:{runner.addresses[0][1]}/"


def row(label: str, concurrency: int, r: dict[str, float], against: dict[str, float] | None) -> str:
    ratio = f"{r['p50_ms'] / against['p50_ms']:.2f}x" if against else "—"
    return (
        f"| {label} | {concurrency} | {r['rps']:.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {ratio} |"
        f" {int(r['requests'])} ({int(r['failed'])} not 200) |"
    )


async def main(args: argparse.Namespace) -> None:
    print(machine())
    print("| what | connections | requests/s | p50 ms | p99 ms | p50 vs bare | requests |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as folder:
        async with serving_web(f"sqlite:///{Path(folder) / 'bench.db'}") as serving:
            await moderate(serving, "/weblink public")
            await moderate(serving, "/update toll killed=120 civilians=60 source=SOHR as_of=2025-03-08T18:00")
            async with aiohttp.ClientSession() as session, session.get(base(serving) + PATHS[0]) as response:
                page = await response.read()
            stop_bare, bare_url = await bare(page)
            stop_guarded, guarded_url = await bare(page, ConnectionGuard())
            try:
                for concurrency in CONCURRENCY:
                    baseline = await load(bare_url, concurrency, args.seconds, args.limit)
                    print(row("bare aiohttp, constant body", concurrency, baseline, None))
                    behind = await load(guarded_url, concurrency, args.seconds, args.limit)
                    print(row("the same behind the connection guard", concurrency, behind, baseline))
                    for path in PATHS:
                        result = await load(base(serving) + path, concurrency, args.seconds, args.limit)
                        print(row(path.replace(SLUG, "SLUG"), concurrency, result, baseline))
            finally:
                await stop_bare()
                await stop_guarded()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--client":
        url, concurrency, seconds, limit = sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
        print(json.dumps(asyncio.run(client(url, concurrency, seconds, limit))))
    else:
        parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
        parser.add_argument("--seconds", type=float, default=4.0)
        parser.add_argument("--limit", type=int, default=20000)
        asyncio.run(main(parser.parse_args()))
