"""A bounded HTTP load generator (run as its own process): POSTs one pre-signed body with `concurrency`
connections for at most `seconds` or `limit` requests, and prints latency percentiles and requests/s as JSON.

    python bench/loadgen.py URL BODY_FILE HEADERS_JSON CONCURRENCY SECONDS LIMIT
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

import aiohttp


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))] if ordered else float("nan")


async def run(url: str, body: bytes, headers: dict[str, str], concurrency: int, seconds: float, limit: int) -> dict:
    latencies: list[float] = []
    errors: dict[str, int] = {}
    sent = 0
    deadline = time.monotonic() + seconds
    connector = aiohttp.TCPConnector(limit=concurrency, force_close=False)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=10)) as session:
        # warm-up: one request per connection, not counted
        async def warm() -> None:
            async with session.post(url, data=body, headers=headers) as response:
                await response.read()

        await asyncio.gather(*(warm() for _ in range(concurrency)))

        async def worker() -> None:
            nonlocal sent
            while sent < limit and time.monotonic() < deadline:
                sent += 1
                started = time.perf_counter()
                try:
                    async with session.post(url, data=body, headers=headers) as response:
                        await response.read()
                        status = response.status
                except Exception as exc:  # counted, not fatal
                    errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                    continue
                latencies.append(time.perf_counter() - started)
                if status != 200:
                    errors[str(status)] = errors.get(str(status), 0) + 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return {
        "concurrency": concurrency,
        "requests": len(latencies),
        "seconds": elapsed,
        "rps": len(latencies) / elapsed if elapsed else 0.0,
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p95_ms": percentile(latencies, 0.95) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "max_ms": max(latencies, default=float("nan")) * 1000,
        "errors": errors,
    }


def main() -> None:
    url, body_file, headers_json, concurrency, seconds, limit = sys.argv[1:7]
    result = asyncio.run(
        run(url, Path(body_file).read_bytes(), json.loads(headers_json), int(concurrency), float(seconds), int(limit))
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
