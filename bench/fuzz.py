"""Benchmark 8 (robustness): the fuzzers of tests/test_fuzz.py with many more examples.

Moderator commands with wild values through `Briefings.handle` on SQLite (and PostgreSQL when reachable), and
broken situation files through the loader. Stops at the first failure and prints hypothesis's smallest example;
otherwise prints how many examples ran and how long they took.

    .venv/bin/python bench/fuzz.py [--commands 5000] [--files 20000] [--no-postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from common import POSTGRES, SEEDS, admin, machine, postgres_available
from hypothesis import HealthCheck, given, settings

from briefings.service import Briefings
from briefings.settings import CoreSettings
from tests.fuzzing import anything_as_a_file, commands
from tests.test_fuzz import MODERATOR, check_file, check_reply


def timed(label: str, count: int, run: Callable[[], None]) -> None:
    start = time.perf_counter()
    run()
    seconds = time.perf_counter() - start
    print(f"{label}: {count} examples, no failure, {seconds:.1f} s ({count / seconds:.0f}/s)", flush=True)


def fuzz_commands(url: str, count: int) -> None:
    with asyncio.Runner() as runner:
        briefings = runner.run(Briefings.start(CoreSettings(database_url=url, seeds=SEEDS, moderators="console:mod")))
        try:

            @settings(max_examples=count, deadline=None, suppress_health_check=list(HealthCheck), database=None)
            @given(commands)
            def one(text: str) -> None:
                check_reply(runner.run(briefings.handle(text, MODERATOR)), text)

            one()
        finally:
            runner.run(briefings.close())


def fuzz_files(count: int) -> None:
    @settings(max_examples=count, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(anything_as_a_file)
    def one(text: str) -> None:
        check_file(text)

    one()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=5000)
    parser.add_argument("--files", type=int, default=20000)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    print(machine())
    timed("situation files", args.files, lambda: fuzz_files(args.files))
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'fuzz.db'}"
        timed("commands on SQLite", args.commands, lambda: fuzz_commands(url, args.commands))
    if not args.no_postgres and postgres_available():
        name = f"bench_fuzz_{uuid.uuid4().hex[:10]}"
        asyncio.run(admin(f'CREATE DATABASE "{name}"'))
        try:
            url = f"{POSTGRES.rsplit('/', 1)[0]}/{name}"
            timed("commands on PostgreSQL", args.commands, lambda: fuzz_commands(url, args.commands))
        finally:
            asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
