"""Benchmark 2: the core as the situation grows.

Stores of 1,000, 10,000 and 100,000 fact revisions (built quickly with `Store.write` batches of `Change`s:
one in five a new fact — tolls from several sources and places, events over 30 days — and the rest revisions
of existing facts), on SQLite and PostgreSQL. Times `/brief`, `/toll`, `/timeline` through `Briefings.handle`
and `Briefings.digest` (median of --repeat runs after one warm-up), with tracemalloc's peak per answer and the
process's peak RSS. The baseline is the same answers at 1,000 revisions in the same run.

    .venv/bin/python bench/core_scale.py [--sizes 1000,10000,100000] [--repeat 5] [--backends sqlite,postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta

from common import SEEDS, machine, median, peak_rss_mb, postgres_available, postgres_database

from briefings.access import Caller
from briefings.facts import Event, Toll
from briefings.service import Briefings
from briefings.settings import CoreSettings
from briefings.store.store import Change

COMMANDS = ("/brief", "/toll", "/timeline")
BATCH = 500
SOURCES = ["s1", "s2", "s3", "s4", "s5", "s6", "s7"]
PLACES = [None, "p1", "p2", "p3", "p4", "p5", "p6", "p7"]
START = datetime(2025, 3, 6, tzinfo=UTC)


class Grower:
    """Adds revisions to the situation: new tolls and events, and corrections of them."""

    def __init__(self, briefings: Briefings, slug: str) -> None:
        self.briefings, self.slug = briefings, slug
        self.rng = random.Random(42)
        self.tolls: list[str] = []
        self.events: list[str] = []
        self.count = 0
        self.next_toll = 1000
        self.next_event = 1000

    def _toll(self) -> Toll:
        killed = self.rng.randint(10, 2000)
        return Toll.model_validate(
            {
                "sources": [self.rng.choice(SOURCES)],
                "as_of": (START + timedelta(hours=self.rng.randint(0, 24 * 30))).strftime("%Y-%m-%dT%H:%M"),
                "place": self.rng.choice(PLACES),
                "killed": killed,
                "civilians": killed // 2,
            }
        )

    def _event(self) -> Event:
        day = START + timedelta(days=self.rng.randint(0, 29))
        return Event.model_validate(
            {
                "sources": [self.rng.choice(SOURCES)],
                "when": day.strftime("%Y-%m-%d"),
                "text": f"Clashes reported near checkpoint {self.rng.randint(1, 500)}, residents say.",
                "places": [p for p in [self.rng.choice(PLACES)] if p],
            }
        )

    def _change(self) -> Change:
        roll = self.rng.random()
        if roll < 0.1 or not self.tolls:
            key = f"t{self.next_toll}"
            self.next_toll += 1
            self.tolls.append(key)
            return Change(self._toll(), key, "create", new=True)
        if roll < 0.2 or not self.events:
            key = f"e{self.next_event}"
            self.next_event += 1
            self.events.append(key)
            return Change(self._event(), key, "create", new=True)
        if roll < 0.6:
            return Change(self._toll(), self.rng.choice(self.tolls), "correct", reason="bench correction")
        return Change(self._event(), self.rng.choice(self.events), "correct", reason="bench correction")

    async def grow_to(self, total: int, now: datetime) -> float:
        """Writes revisions until `total`, spread over the 30 days before `now`; returns seconds taken."""
        started = time.perf_counter()
        while self.count < total:
            size = min(BATCH, total - self.count)
            at = now - timedelta(days=30) + timedelta(days=30) * (self.count / max(total, 1))
            await self.briefings.store.write(self.slug, [self._change() for _ in range(size)], "bench", at=at)
            self.count += size
        return time.perf_counter() - started


async def timed(call, repeat: int) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
    """Median seconds, tracemalloc peak MiB of one run, and the reply's size in characters."""
    await call()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        reply = await call()
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    await call()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    from briefings.render_text import render

    return median(times), peak / 2**20, len(render(reply))


async def bench_backend(name: str, url: str, sizes: list[int], repeat: int) -> dict[tuple[str, int], float]:
    briefings = await Briefings.start(CoreSettings(database_url=url, seeds=SEEDS))
    results: dict[tuple[str, int], float] = {}
    try:
        slug = (await briefings.store.situations())[0].slug
        grower = Grower(briefings, slug)
        caller = Caller("console", "reader", "console")
        now = datetime.now(UTC)
        for size in sizes:
            built = await grower.grow_to(size, now)
            print(
                f"[{name}] {size:>7} revisions (+seed) built in {built:6.1f} s "
                f"({len(grower.tolls)} tolls, {len(grower.events)} events)"
            )
            for command in COMMANDS:
                seconds, peak, chars = await timed(lambda c=command: briefings.handle(c, caller), repeat)
                results[(command, size)] = seconds
                print(f"  {command:<10} {seconds * 1000:9.1f} ms   tracemalloc peak {peak:7.1f} MiB   {chars:>8} chars")
            seconds, peak, chars = await timed(lambda: briefings.digest(slug, now=now), repeat)
            results[("digest", size)] = seconds
            print(f"  {'digest':<10} {seconds * 1000:9.1f} ms   tracemalloc peak {peak:7.1f} MiB   {chars:>8} chars")
            print(f"  process peak RSS so far {peak_rss_mb():.0f} MiB")
    finally:
        await briefings.close()
    return results


def verdict(name: str, results: dict[tuple[str, int], float], sizes: list[int]) -> None:
    small, big = sizes[0], sizes[-1]
    print(f"[{name}] target: {big} no more than 2x the {small} time, and each answer under 20 ms at {big}")
    for command in (*COMMANDS, "digest"):
        ratio = results[(command, big)] / results[(command, small)]
        ms = results[(command, big)] * 1000
        ok = "met" if ratio <= 2 and ms < 20 else "NOT met"
        print(f"  {command:<10} {ratio:7.1f}x  {ms:9.1f} ms  -> {ok}")


async def main(args: argparse.Namespace) -> None:
    print(f"machine: {machine()}")
    sizes = [int(s) for s in args.sizes.split(",")]
    backends = args.backends.split(",")
    if "sqlite" in backends:
        with tempfile.TemporaryDirectory() as folder:
            results = await bench_backend("sqlite", f"sqlite:///{folder}/scale.db", sizes, args.repeat)
        verdict("sqlite", results, sizes)
    if "postgres" in backends and await asyncio.to_thread(postgres_available):
        async with postgres_database("bench_scale") as url:
            results = await bench_backend("postgres", url, sizes, args.repeat)
        verdict("postgres", results, sizes)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--backends", default="sqlite,postgres")
    asyncio.run(main(parser.parse_args()))
