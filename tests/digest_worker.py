"""One bot process for the digest race tests: ticks a DigestRunner at injected instants and appends every post to
its own file, so the test can count posts across processes.

    python tests/digest_worker.py URL OUT_DIR INDEX WORKERS REPEATS NOW [NOW ...]

For each NOW (a phase), every worker waits for all the others at a barrier (files in OUT_DIR), then ticks
REPEATS times at that instant. Posts go to OUT_DIR/posted-INDEX.txt as `channel|run_key|INDEX` lines;
`find_posted` looks through every worker's file (the platform is shared). A summary goes to report-INDEX.json.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from briefings.digests.runner import DigestRunner  # noqa: E402
from briefings.reply import Reply  # noqa: E402
from briefings.service import Briefings  # noqa: E402
from briefings.settings import CoreSettings  # noqa: E402

SEEDS = ROOT / "seeds"
BARRIER_TIMEOUT = 60.0


class FilePoster:
    def __init__(self, out: Path, index: int) -> None:
        self.out = out
        self.index = index
        self.file = (out / f"posted-{index}.txt").open("a", encoding="utf-8")
        self.count = 0

    async def post(self, channel: str, reply: Reply, run_key: str) -> str:
        await asyncio.sleep(0)  # let the other runners of this process in, as a network call would
        self.count += 1
        self.file.write(f"{channel}|{run_key}|{self.index}\n")
        self.file.flush()
        return f"w{self.index}-{self.count}"

    async def find_posted(self, channel: str, run_key: str) -> str | None:
        for path in sorted(self.out.glob("posted-*.txt")):
            for n, row in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                posted_channel, posted_key, worker = row.split("|")
                if posted_channel == channel and posted_key == run_key:
                    return f"w{worker}-{n}"
        return None

    def close(self) -> None:
        self.file.close()


def barrier(out: Path, name: str, index: int, workers: int) -> None:
    (out / f"ready-{name}-{index}").touch()
    deadline = time.monotonic() + BARRIER_TIMEOUT
    while len(list(out.glob(f"ready-{name}-*"))) < workers:
        if time.monotonic() > deadline:
            raise SystemExit(f"worker {index}: timed out waiting for the others at barrier {name}")
        time.sleep(0.005)


async def main(url: str, out: Path, index: int, workers: int, repeats: int, nows: list[datetime]) -> None:
    started = time.monotonic()
    settings = CoreSettings(database_url=url, seeds=SEEDS, moderators="console:mod")
    briefings = await Briefings.start(settings)
    poster = FilePoster(out, index)
    runner = DigestRunner(
        briefings.store, {"console": poster, "slack": poster, "discord": poster}, owner=f"worker-{index}"
    )
    report: dict[str, object] = {"index": index, "owner": runner.owner, "phases": []}
    report["startup"] = round(time.monotonic() - started, 2)
    try:
        for phase, now in enumerate(nows):
            barrier(out, f"phase{phase}", index, workers)
            began = time.monotonic()
            totals = {"now": now.isoformat(), "posted": 0, "skipped": 0, "failed": 0, "retrying": 0}
            for _ in range(repeats):
                tick = await runner.tick(now)
                totals["posted"] += tick.posted  # type: ignore[operator]
                totals["skipped"] += tick.skipped  # type: ignore[operator]
                totals["failed"] += tick.failed  # type: ignore[operator]
                totals["retrying"] += tick.retrying  # type: ignore[operator]
            totals["seconds"] = round(time.monotonic() - began, 2)
            report["phases"].append(totals)  # type: ignore[attr-defined]
    finally:
        poster.close()
        await briefings.close()
    (out / f"report-{index}.json").write_text(json.dumps(report), encoding="utf-8")


if __name__ == "__main__":
    url, out, index, workers, repeats, *nows = sys.argv[1:]
    asyncio.run(main(url, Path(out), int(index), int(workers), int(repeats), [datetime.fromisoformat(n) for n in nows]))
