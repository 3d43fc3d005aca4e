"""Benchmark 3: digest fan-out. One slot for N subscribed Slack channels (default 5,000), posted by
`DigestRunner.tick` with the real `SlackAdapter.post`, against a fake Slack on 127.0.0.1 that enforces
one message per second per channel, a workspace-wide rate (default 100 messages/s, with a one-second burst),
and random 429s (default 1 %), each 429 with Retry-After: 1.

Reports wall time against the floor the limits allow (messages / workspace rate, or the per-channel spacing if
larger), duplicates (a channel with more than one marked digest) and misses (a channel without one).
Ticks are driven with injected times (slot + 30 s, then every backoff step) and bounded in count and time.

    .venv/bin/python bench/digest_fanout.py [--channels 5000] [--workspace-rate 100] [--random-429 0.01]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from zoneinfo import ZoneInfo

from aiohttp import web
from common import machine, peak_rss_mb
from sqlalchemy import insert

from bot.slack_chat.adapter import SlackAdapter
from briefings.digests.runner import DigestRunner
from briefings.schedules import Schedule
from briefings.service import Briefings
from briefings.store.run_history import RunHistory
from briefings.store.schema import subscriptions
from briefings.store.subscriptions import SubscriptionStore
from tests.fakes.slack import FakeSlack, bot_settings

SCHEDULE = Schedule(clock_time(8, 0), ZoneInfo("UTC"))


class LimitedSlack(FakeSlack):
    """Slack's posting limits: per channel 1 message/s, a workspace token bucket, and random 429s."""

    def __init__(self, workspace_rate: float, random_429: float, seed: int = 1) -> None:
        super().__init__()
        self.workspace_rate = workspace_rate
        self.random_429 = random_429
        self.rng = random.Random(seed)
        self.tokens = workspace_rate
        self.refilled = time.monotonic()
        self.last_post: dict[str, float] = {}
        self.limited = {"channel": 0, "workspace": 0, "random": 0}
        self.first_post: float | None = None
        self.last_ok: float | None = None

    def _limit(self, channel: str) -> str | None:
        now = time.monotonic()
        self.tokens = min(self.workspace_rate, self.tokens + (now - self.refilled) * self.workspace_rate)
        self.refilled = now
        if now - self.last_post.get(channel, -10.0) < 1.0:
            return "channel"
        if self.tokens < 1:
            return "workspace"
        if self.rng.random() < self.random_429:
            return "random"
        self.tokens -= 1
        self.last_post[channel] = now
        return None

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["method"] == "chat.postMessage":
            params = await self._params(request)
            reason = self._limit(str(params.get("channel")))
            self.first_post = self.first_post or time.monotonic()
            if reason:
                self.limited[reason] += 1
                body = json.dumps({"ok": False, "error": "ratelimited"})
                return web.Response(
                    status=429, text=body, content_type="application/json", headers={"Retry-After": "1"}
                )
            self.last_ok = time.monotonic()
        return await super()._api(request)


async def subscribe_all(briefings: Briefings, channels: int, created: datetime) -> None:
    slug = (await briefings.store.situations())[0].slug
    async with briefings.store.writing() as db:
        situation_id = await briefings.store.situation_id(db, slug)
        rows = [
            {
                "channel": f"slack:C{n:06d}",
                "situation_id": situation_id,
                "at_time": "08:00",
                "timezone": "UTC",
                "days": "daily",
                "created_by": "bench",
                "created_at": created,
                "active": True,
                "failures": 0,
            }
            for n in range(channels)
        ]
        await db.execute(insert(subscriptions), rows)


async def main(args: argparse.Namespace) -> None:
    print(f"machine: {machine()}")
    slack = LimitedSlack(args.workspace_rate, args.random_429)
    await slack.start()
    with tempfile.TemporaryDirectory() as folder:
        settings = bot_settings(f"sqlite:///{folder}/fanout.db", slack, moderators="")
        briefings = await Briefings.start(settings)
        adapter = SlackAdapter(briefings, settings)
        await adapter.start()
        day = (datetime.now(UTC) - timedelta(days=2)).date()
        slot = SCHEDULE.slot_on(day)
        assert slot is not None
        await subscribe_all(briefings, args.channels, slot - timedelta(hours=1))
        runner = DigestRunner(
            briefings.store, {"slack": adapter}, briefings.urgency, settings.digest_grace, owner="bench"
        )
        # posting one digest: composing it alone (no network), to split the wall time
        sample = (await SubscriptionStore(briefings.store).subscriptions())[0]
        composed = time.perf_counter()
        for _ in range(5):
            await briefings.digest(sample.slug, now=slot)
        compose_ms = (time.perf_counter() - composed) / 5 * 1000

        started = time.perf_counter()
        ticks = []
        offsets = [0.5, 1.5, 3, 6, 12, 25, 45, 90, 180]  # minutes after the slot: the runner's backoff steps
        for minutes in offsets:
            if time.perf_counter() - started > args.max_seconds:
                print(f"stopped: over --max-seconds {args.max_seconds}")
                break
            report = await runner.tick(slot + timedelta(minutes=minutes))
            ticks.append((minutes, report, time.perf_counter() - started))
            if not report.retrying and report.posted == 0 and minutes > 1:
                break
        wall = time.perf_counter() - started
        # a tick with nothing to do (every slot already posted): what every 30-second tick costs in between
        idle_started = time.perf_counter()
        idle_report = await runner.tick(slot + timedelta(hours=4))
        idle_seconds = time.perf_counter() - idle_started

        subs = await SubscriptionStore(briefings.store).subscriptions()
        posted_runs = await RunHistory(briefings.store).last_digests_at({s.channel for s in subs})
        await adapter.stop()
        await briefings.close()
    await slack.stop()

    per_channel: dict[str, int] = {}
    messages = 0
    for channel, history in slack.history.items():
        marked = [m for m in history if (m.get("metadata") or {}).get("event_type") == "briefing_digest"]
        per_channel[channel] = len(marked)
        messages += len(history)
    duplicates = sum(1 for n in per_channel.values() if n > 1)
    misses = sum(1 for s in subs if per_channel.get(s.channel.removeprefix("slack:"), 0) == 0)
    floor = max(messages / args.workspace_rate, max(per_channel.values(), default=1) * 1.0)
    for minutes, report, at in ticks:
        print(
            f"tick at slot+{minutes:g} min: posted {report.posted}, retrying {report.retrying}, "
            f"failed {report.failed} (wall {at:.1f} s)"
        )
    print(f"channels {args.channels}, messages posted {messages}, runs marked posted {len(posted_runs)}")
    print(f"429s answered: {slack.limited}")
    print(f"composing one digest (no network): {compose_ms:.1f} ms")
    print(f"wall time {wall:.1f} s; floor allowed by the limits {floor:.1f} s -> {wall / floor:.2f}x the floor")
    print(f"duplicates {duplicates}, misses {misses}; peak RSS {peak_rss_mb():.0f} MiB")
    print(
        f"idle tick (nothing due, {args.channels} subscriptions): {idle_seconds:.2f} s "
        f"(posted {idle_report.posted}, skipped {idle_report.skipped})"
    )
    ok = duplicates == 0 and misses == 0 and wall <= 1.2 * floor
    print(f"target (0 duplicates, 0 misses, within 1.2x of the floor): {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--channels", type=int, default=5000)
    parser.add_argument("--workspace-rate", type=float, default=100.0)
    parser.add_argument("--random-429", type=float, default=0.01)
    parser.add_argument("--max-seconds", type=float, default=1200.0)
    asyncio.run(main(parser.parse_args()))
