"""Benchmark 2: the core as the situation grows.

Stores of 1,000, 10,000 and 100,000 fact revisions (built quickly with `Store.write` batches of `Change`s:
one in five a new fact — tolls from several sources and places, events over 30 days — and the rest revisions
of existing facts), on SQLite and PostgreSQL. Times `/brief`, `/toll`, `/timeline` through `Briefings.handle`
and `Briefings.digest` (median of --repeat runs after one warm-up), with tracemalloc's peak per answer and the
process's peak RSS. Each timed answer follows a one-revision write (untimed), so it is never an answer kept
from before: it reads the new revision and computes afresh; the same question asked again is shown beside it.
The baseline is the same answers at 1,000 revisions in the same run.

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
from briefings.answers import changed, chart, digest
from briefings.facts import Event, Toll
from briefings.reply import Reply
from briefings.revisions import Change
from briefings.service import Briefings
from briefings.settings import CoreSettings

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

    async def one_more(self) -> None:
        """One correction, written now (as a moderator's would be): the situation's version moves on."""
        await self.briefings.store.write(self.slug, [self._change()], "bench")
        self.count += 1

    async def grow_to(self, total: int, now: datetime) -> float:
        """Writes revisions until `total`, spread over the 30 days before `now`; returns seconds taken."""
        started = time.perf_counter()
        while self.count < total:
            size = min(BATCH, total - self.count)
            at = now - timedelta(days=30) + timedelta(days=30) * (self.count / max(total, 1))
            await self.briefings.store.write(self.slug, [self._change() for _ in range(size)], "bench", at=at)
            self.count += size
        return time.perf_counter() - started


async def timed(call, repeat: int, change=None) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
    """Median seconds, tracemalloc peak MiB of one run, and the reply's size in characters. With `change`
    (untimed), the situation is changed before each run, so no answer kept from before can be given."""
    await call()  # warm-up
    times = []
    for _ in range(repeat):
        if change is not None:
            await change()
        started = time.perf_counter()
        reply = await call()
        times.append(time.perf_counter() - started)
    if change is not None:
        await change()
    tracemalloc.start()
    await call()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    from briefings.render_text import render

    return median(times), peak / 2**20, len(render(reply))


async def digest_text(briefings: Briefings, slug: str, now: datetime) -> Reply:
    """`Briefings.digest` without its chart (timed on its own: it is drawn in a worker thread)."""
    since = now - timedelta(hours=24)
    snapshot = await briefings.store.snapshot(slug)
    found = await changed.gather(briefings.store, snapshot, since, slice(0, digest.SHOWN_AT_MOST))
    return digest.answer(snapshot, found, now)


async def draw_chart(briefings: Briefings, slug: str) -> Reply:
    return await asyncio.to_thread(chart.answer, await briefings.store.snapshot(slug))


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
                ask = lambda c=command: briefings.handle(c, caller)  # noqa: E731
                seconds, peak, chars = await timed(ask, repeat, change=grower.one_more)
                again, _, _ = await timed(ask, repeat)
                results[(command, size)] = seconds
                print(
                    f"  {command:<10} {seconds * 1000:9.1f} ms after a write, {again * 1000:7.2f} ms asked again   "
                    f"tracemalloc peak {peak:7.1f} MiB   {chars:>8} chars"
                )
            compose = lambda: digest_text(briefings, slug, now)  # noqa: E731
            seconds, peak, chars = await timed(compose, repeat, change=grower.one_more)
            results[("digest", size)] = seconds
            print(f"  {'digest':<10} {seconds * 1000:9.1f} ms after a write   ", end="")
            print(f"tracemalloc peak {peak:7.1f} MiB   {chars:>8} chars")
            drawn, _, _ = await timed(lambda: draw_chart(briefings, slug), repeat, change=grower.one_more)
            print(f"  {'chart':<10} {drawn * 1000:9.1f} ms after a write (drawn in a worker thread, with the digest)")
            print(f"  process peak RSS so far {peak_rss_mb():.0f} MiB")
    finally:
        await briefings.close()
    return results


def verdict(name: str, results: dict[tuple[str, int], float], sizes: list[int]) -> None:
    small, big = sizes[0], sizes[-1]
    print(
        f"[{name}] targets at {big}: each answer no more than 2x the {small} time and under 20 ms;"
        " the digest text under 100 ms"
    )
    for command in (*COMMANDS, "digest"):
        ratio = results[(command, big)] / results[(command, small)]
        ms = results[(command, big)] * 1000
        ok = ms < 100 if command == "digest" else ratio <= 2 and ms < 20
        print(f"  {command:<10} {ratio:7.1f}x  {ms:9.1f} ms  -> {'met' if ok else 'NOT met'}")


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
