"""Benchmark 5: moderator update throughput: `/update toll ...` through `Briefings.handle` (parse, validate,
lower-than-before check, audit revision), one after another and from several concurrent moderators, on SQLite
and PostgreSQL. Baseline in the same run: a read (`/sources`) through the same path. Bounded by --count and time.

    .venv/bin/python bench/updates.py [--count 300] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time

from common import SEEDS, machine, postgres_available, postgres_database

from briefings.access import Caller
from briefings.service import Briefings
from briefings.settings import CoreSettings

MAX_SECONDS = 120


async def rate(briefings: Briefings, texts: list[str], concurrency: int) -> tuple[float, int]:
    """Commands per second with `concurrency` callers sharing the list; returns (rate, refused)."""
    queue = list(reversed(texts))
    refused = 0
    deadline = time.monotonic() + MAX_SECONDS

    async def worker(number: int) -> int:
        caller = Caller("console", f"mod{number}", "console")
        bad = 0
        while queue and time.monotonic() < deadline:
            reply = await briefings.handle(queue.pop(), caller)
            bad += not reply.ok
        return bad

    started = time.perf_counter()
    refused = sum(await asyncio.gather(*(worker(n) for n in range(concurrency))))
    return len(texts) / (time.perf_counter() - started), refused


async def bench(name: str, url: str, count: int, concurrency: int) -> None:
    moderators = ",".join(f"console:mod{n}" for n in range(concurrency))
    briefings = await Briefings.start(CoreSettings(database_url=url, seeds=SEEDS, moderators=moderators))
    try:
        reads = ["/sources"] * count
        updates = [f"/update toll killed={100 + n} source=SOHR as_of=2025-03-09 note=bench-{n}" for n in range(count)]
        read_rate, _ = await rate(briefings, reads, 1)
        serial, bad = await rate(briefings, updates[: count // 2], 1)
        parallel, bad2 = await rate(briefings, updates[count // 2 :], concurrency)
        print(
            f"[{name}] read /sources baseline {read_rate:7.1f}/s | updates serial {serial:6.1f}/s | "
            f"{concurrency} moderators at once {parallel:6.1f}/s | refused {bad + bad2}"
        )
    finally:
        await briefings.close()


async def main(args: argparse.Namespace) -> None:
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as folder:
        await bench("sqlite", f"sqlite:///{folder}/updates.db", args.count, args.concurrency)
    if await asyncio.to_thread(postgres_available):
        async with postgres_database("bench_updates") as url:
            await bench("postgres", url, args.count, args.concurrency)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    asyncio.run(main(parser.parse_args()))
