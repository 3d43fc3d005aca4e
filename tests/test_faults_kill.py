"""SIGKILL at random points while a stream of moderator updates is applied: every update that was acknowledged
(its reply returned by `Briefings.handle`) is in the store afterwards, and the store opens cleanly."""

from __future__ import annotations

import asyncio
import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from briefings.access import Caller
from briefings.facts import Toll
from briefings.service import Briefings
from briefings.settings import CoreSettings
from tests.conftest import ROOT, SEEDS

KILLS = 4
WORKER = """
import asyncio, sys
from briefings.access import Caller
from briefings.service import Briefings
from briefings.settings import CoreSettings

async def main(first: int) -> None:
    briefings = await Briefings.start(CoreSettings())
    print("ready", flush=True)
    number = first
    while number < first + 10_000:  # bounded; the test kills it long before
        reply = await briefings.handle(
            f"/update toll killed={1000 + number} source=SOHR note=kill-{number} confirm=yes", Caller.operator()
        )
        if not reply.ok:
            print("refused", number, reply.title, flush=True)
            raise SystemExit(3)
        print("ack", number, flush=True)
        number += 1

asyncio.run(main(int(sys.argv[1])))
"""


def read_lines(process: subprocess.Popen[str], until: float) -> list[str]:
    """Lines the worker printed so far (without blocking past `until`)."""
    assert process.stdout is not None
    lines = []
    while time.monotonic() < until:
        ready, _, _ = select.select([process.stdout], [], [], max(0.0, until - time.monotonic()))
        if not ready:
            break
        text = process.stdout.readline()
        if not text:
            break
        lines.append(text.strip())
        if text.startswith("ack"):
            return lines
    return lines


def run_and_kill(database_url: str, first: int, rng: random.Random) -> list[int]:
    """Starts a worker, lets it acknowledge a random number of updates, SIGKILLs it at a random moment,
    and returns every update id it acknowledged (including lines still in the pipe)."""
    env = {**os.environ, "BRIEFING_DATABASE_URL": database_url, "BRIEFING_SEEDS": str(SEEDS)}
    process = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(first)], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    acked: list[int] = []
    try:
        deadline = time.monotonic() + 20
        target = rng.randint(1, 25)
        while len(acked) < target and time.monotonic() < deadline:
            for text in read_lines(process, deadline):
                assert not text.startswith("refused"), text
                if text.startswith("ack"):
                    acked.append(int(text.split()[1]))
            assert process.poll() is None, f"worker exited with {process.returncode}"
        assert acked, "the worker acknowledged nothing in 20 s"
        time.sleep(rng.uniform(0, 0.03))  # somewhere inside the next write
    finally:
        process.send_signal(signal.SIGKILL)
        rest, _ = process.communicate(timeout=10)
    assert process.returncode == -signal.SIGKILL
    acked += [int(text.split()[1]) for text in rest.splitlines() if text.startswith("ack")]
    return acked


async def recorded_notes(database_url: str) -> tuple[set[str], str]:
    briefings = await Briefings.start(CoreSettings(database_url=database_url, seeds=SEEDS))
    try:
        slug = (await briefings.store.situations())[0].slug
        snapshot = await briefings.store.snapshot(slug)
        notes = {toll.note for _, toll in snapshot.all(Toll) if toll.note}
        answer = await briefings.handle("/toll", Caller("console", "reader", "console"))
        assert answer.ok
        return notes, answer.title
    finally:
        await briefings.close()


def kill_repeatedly(database_url: str, seed: int) -> list[int]:
    rng = random.Random(seed)
    acked: list[int] = []
    first = 0
    for _ in range(KILLS):
        got = run_and_kill(database_url, first, rng)
        assert got == list(range(first, first + len(got))), got
        acked += got
        first += len(got) + 1  # the update in flight at the kill may or may not have been written
    return acked


def check(database_url: str, acked: list[int]) -> None:
    notes, _ = asyncio.run(recorded_notes(database_url))
    missing = [n for n in acked if f"kill-{n}" not in notes]
    assert not missing, f"acknowledged but lost: {missing}"


def test_sigkill_loses_no_acknowledged_update_on_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "killed.db"
    url = f"sqlite:///{path}"
    acked = kill_repeatedly(url, seed=7)
    # the file is intact: SQLite's own check, then the bot opens it (migrations, WAL recovery) and answers
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    check(url, acked)


def test_sigkill_loses_no_acknowledged_update_on_postgres(postgres_url: str) -> None:
    acked = kill_repeatedly(postgres_url, seed=11)
    check(postgres_url, acked)


def test_sigkill_during_first_start_leaves_a_store_that_opens(tmp_path: Path) -> None:
    """Killed while creating the database and loading the seed: the next start finishes the job."""
    path = tmp_path / "first.db"
    url = f"sqlite:///{path}"
    env = {**os.environ, "BRIEFING_DATABASE_URL": url, "BRIEFING_SEEDS": str(SEEDS)}
    rng = random.Random(3)
    for _ in range(3):
        process = subprocess.Popen(
            [sys.executable, "-c", WORKER, "0"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, text=True
        )
        time.sleep(rng.uniform(0.3, 1.2))  # python start-up, migrations and seed loading take about this long
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    _, title = asyncio.run(recorded_notes(url))
    assert "Death toll" in title
