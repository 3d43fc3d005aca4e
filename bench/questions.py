"""Benchmark: questions in plain words as the situation grows, and the question set's pass rate.

Stores holding the seed plus 1,000 and 10,000 new facts (events, measures, claims and tolls in varied words, built
with `Store.write` batches), on SQLite and PostgreSQL. For each: the search index's build time for a snapshot;
the in-process time to read and answer questions (`understand`: a search, a yes/no question, `who is`, a name it
cannot place, a question mapped to a command) on the current snapshot, median and p95 of --repeat runs after a
warm-up; the whole `Briefings.handle` for the same questions after a one-fact write (so nothing is kept from
before); and the index update per revision (`Index.patched` for one changed fact). Then the question set of
tests/questions/questions.yaml, pass rate per category.

    .venv/bin/python bench/questions.py [--sizes 1000,10000] [--repeat 30] [--backends sqlite,postgres] [--no-set]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

from common import SEEDS, machine, median, percentile, postgres_available, postgres_database

from briefings.access import Caller
from briefings.facts import Claim, Event, Fact, Measure, Toll
from briefings.revisions import Change
from briefings.search.index import Index, index_of
from briefings.search.understand import understand
from briefings.service import Briefings
from briefings.settings import CoreSettings

QUESTIONS = {
    "yes/no (search)": "is there a curfew?",
    "yes/no, nothing": "is there a ceasefire in the port?",
    "open (search)": "who kidnapped the security forces?",
    "who is": "who is SOHR?",
    "unknown place": "how many died in Homs?",
    "mapped to /toll": "how many were kiled in jabla?",
}
BATCH = 500
PLACES = ["p1", "p2", "p3", "p4", "p5", "p6", "p7"]
SUBJECTS = [
    "shelling",
    "gunfire",
    "protest",
    "convoy",
    "checkpoint",
    "hospital",
    "school",
    "market",
    "bridge",
    "power",
    "water",
    "bakery",
]
VERBS = [
    "reported",
    "hit",
    "closed",
    "reopened",
    "blocked",
    "damaged",
    "evacuated",
    "raided",
    "searched",
    "cut",
    "restored",
]
START = datetime(2025, 3, 6, tzinfo=UTC)


def fact(rng: random.Random, i: int) -> tuple[str, Fact]:
    """One new fact in varied words."""
    day = (START + timedelta(days=rng.randint(0, 29))).strftime("%Y-%m-%d")
    words = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} near {rng.choice(SUBJECTS)} {rng.randint(1, 900)}"
    base = {"sources": [f"s{rng.randint(1, 7)}"], "when": day}
    roll = rng.random()
    if roll < 0.4:
        return f"e{1000 + i}", Event.model_validate(
            {**base, "text": words.capitalize(), "places": [rng.choice(PLACES)]}
        )
    if roll < 0.6:
        text = f"Measure after {words}."
        return f"m{1000 + i}", Measure.model_validate({**base, "type": "other", "text": text})
    if roll < 0.8:
        return f"c{1000 + i}", Claim.model_validate({**base, "text": f"Witnesses say {words}."})
    toll = {"sources": base["sources"], "as_of": day, "place": rng.choice(PLACES), "killed": rng.randint(1, 900)}
    return f"t{1000 + i}", Toll.model_validate(toll)


async def grow(briefings: Briefings, slug: str, rng: random.Random, start: int, count: int) -> None:
    for first in range(start, start + count, BATCH):
        batch = [fact(rng, i) for i in range(first, min(first + BATCH, start + count))]
        await briefings.store.write(slug, [Change(f, k, "create", new=True) for k, f in batch], "bench")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.3f} ms"


async def bench_backend(name: str, url: str, sizes: list[int], repeat: int) -> None:
    briefings = await Briefings.start(CoreSettings(database_url=url, seeds=SEEDS))
    caller = Caller("console", "reader", "console")
    rng = random.Random(7)
    try:
        slug = (await briefings.store.situations())[0].slug
        done = 0
        for size in sizes:
            await grow(briefings, slug, rng, done, size - done)
            done = size
            snapshot = await briefings.store.snapshot(slug)
            started = time.perf_counter()
            index = Index.build(snapshot)
            built = time.perf_counter() - started
            print(f"[{name}] {size} facts (+seed: {len(snapshot.facts)} in all), {len(index.postings)} terms;")
            print(f"  index build {ms(built)} (once per process; then patched per revision)")
            index_of(snapshot)
            now = datetime(2025, 4, 6, tzinfo=UTC)
            for label, question in QUESTIONS.items():
                understand(question, snapshot, now)  # warm-up
                times = []
                for _ in range(repeat):
                    started = time.perf_counter()
                    understand(question, snapshot, now)
                    times.append(time.perf_counter() - started)
                print(f"  {label:<18} in-process median {ms(median(times))}  p95 {ms(percentile(times, 0.95))}")
            await _handled(briefings, slug, rng, caller, done, repeat)
            done += repeat + 1
            _patches(snapshot, index, rng, repeat)
    finally:
        await briefings.close()


async def _handled(briefings: Briefings, slug: str, rng: random.Random, caller: Caller, at: int, repeat: int) -> None:
    """`Briefings.handle` end to end after a one-fact write (the snapshot is revised, its index patched)."""
    times: list[float] = []
    for i in range(repeat):
        await grow(briefings, slug, rng, at + i, 1)
        started = time.perf_counter()
        await briefings.handle(QUESTIONS["yes/no (search)"], caller)
        times.append(time.perf_counter() - started)
    print(f"  handle() after a write (yes/no)  median {ms(median(times))}  p95 {ms(percentile(times, 0.95))}")


def _patches(snapshot, index: Index, rng: random.Random, repeat: int) -> None:  # type: ignore[no-untyped-def]
    """The index update for one revised fact (a correction of an event or a new claim)."""
    times = []
    for i in range(repeat):
        key, new_fact = fact(rng, 900_000 + i)
        new = snapshot.copy()
        new.facts[key] = new_fact
        started = time.perf_counter()
        index.patched(snapshot, new, {key: new_fact})
        times.append(time.perf_counter() - started)
    print(f"  index update per revision        median {ms(median(times))}  p95 {ms(percentile(times, 0.95))}")


def question_set() -> None:
    """The question set's pass rate per category (the same checks as tests/test_question_set.py)."""
    from tests.test_question_set import ask, failure, prepare, questions

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/set.db"
        asyncio.run(prepare(url))
        passed: Counter[str] = Counter()
        total: Counter[str] = Counter()
        for question in questions():
            reply = asyncio.run(ask(url, question))
            total[question.category] += 1
            wrong = failure(question, reply)
            passed[question.category] += wrong is None
            if wrong:
                print(f"  FAIL {question.category}: {question.text!r}: {wrong}")
    print("question set: category, passed / asked")
    for category in sorted(total):
        rate = 100 * passed[category] / total[category]
        print(f"  {category:<10} {passed[category]:>3} / {total[category]:<3} {rate:5.1f}%")
    rate = 100 * sum(passed.values()) / sum(total.values())
    print(f"  {'all':<10} {sum(passed.values()):>3} / {sum(total.values()):<3} {rate:5.1f}%")


async def main(args: argparse.Namespace) -> None:
    print(f"machine: {machine()}")
    sizes = [int(s) for s in args.sizes.split(",")]
    backends = args.backends.split(",")
    if "sqlite" in backends:
        with tempfile.TemporaryDirectory() as folder:
            await bench_backend("sqlite", f"sqlite:///{folder}/questions.db", sizes, args.repeat)
    if "postgres" in backends and await asyncio.to_thread(postgres_available):
        async with postgres_database("bench_questions") as url:
            await bench_backend("postgres", url, sizes, args.repeat)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--no-set", action="store_true", help="skip the question set")
    arguments = parser.parse_args()
    asyncio.run(main(arguments))
    if not arguments.no_set:
        question_set()
