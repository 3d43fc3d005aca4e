"""One bot process for the feed race test: polls the followed feeds at an injected instant and appends every
announcement to its own file (the platform all workers share, see `digest_worker.FilePoster`).

    python tests/feed_worker.py URL OUT_DIR INDEX WORKERS REPEATS NOW

Every worker waits for the others at a barrier, then polls REPEATS times; a summary goes to report-INDEX.json.
"""

from __future__ import annotations

import asyncio
import json
import sys
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from briefings.feeds.poller import FeedPoller  # noqa: E402
from briefings.service import Briefings  # noqa: E402
from briefings.settings import CoreSettings  # noqa: E402
from tests.digest_worker import FilePoster, barrier  # noqa: E402

SEEDS = ROOT / "seeds"


async def main(url: str, out: Path, index: int, workers: int, repeats: int, now: datetime) -> None:
    briefings = await Briefings.start(CoreSettings(database_url=url, seeds=SEEDS, moderators="console:mod"))
    poster = FilePoster(out, index)
    poller = FeedPoller(briefings.store, {"console": poster}, owner=f"worker-{index}")
    reports = []
    try:
        barrier(out, "poll", index, workers)
        for _ in range(repeats):
            reports.append(asdict(await poller.poll(now)))
    finally:
        poster.close()
        await briefings.close()
    (out / f"report-{index}.json").write_text(json.dumps(reports), encoding="utf-8")


if __name__ == "__main__":
    url, out, index, workers, repeats, now = sys.argv[1:]
    asyncio.run(main(url, Path(out), int(index), int(workers), int(repeats), datetime.fromisoformat(now)))
