"""Shared helpers for the hand-run benchmarks: machine facts, percentiles, PostgreSQL scratch databases."""

from __future__ import annotations

import asyncio
import os
import platform
import resource
import statistics
import sys
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.conftest import POSTGRES, admin  # noqa: E402  (after the path is set)
from tests.conftest import SEEDS as SEEDS  # noqa: E402  (for the benchmarks)


def machine() -> str:
    model = "unknown CPU"
    try:
        for text in Path("/proc/cpuinfo").read_text().splitlines():
            if text.startswith("model name"):
                model = text.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}, {platform.system()}"


def percentile(values: Sequence[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def peak_rss_mb() -> float:
    """This process's peak resident set size (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb(pid: int | None = None) -> float:
    """Current resident set size of a process, from /proc."""
    status = Path(f"/proc/{pid or os.getpid()}/status").read_text()
    for text in status.splitlines():
        if text.startswith("VmRSS:"):
            return int(text.split()[1]) / 1024
    return float("nan")


@asynccontextmanager
async def postgres_database(prefix: str = "bench") -> AsyncIterator[str]:
    """A new PostgreSQL database for one benchmark; dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    await admin(f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES.rsplit('/', 1)[0]}/{name}"
    finally:
        await admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_available() -> bool:
    try:
        asyncio.run(admin("SELECT 1"))
    except Exception as exc:  # OSError, asyncpg errors
        print(f"(PostgreSQL not reachable at {POSTGRES}: {exc}; its rows are skipped)")
        return False
    return True
