"""Health and metrics over HTTP for `briefing serve`: `/livez`, `/readyz` (with `/healthz` as its alias) and
`/metrics`. Served beside Slack's events endpoint when Slack is served over HTTP, else on a small listener of
their own (BRIEFING_HEALTH_PORT)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from aiohttp import web
from sqlalchemy import text

from bot.guard import ConnectionGuard, GuardedSite
from bot.metrics import Metrics
from bot.scheduler import DigestClock
from briefings.service import Briefings

log = logging.getLogger(__name__)
TICK_LIMIT = 90.0
"""Seconds since the digest clock's last tick after which the process is not ready (it ticks every 30)."""
CHECK_TIMEOUT = 3.0


@runtime_checkable
class Connected(Protocol):
    platform: str

    async def connected(self) -> bool:
        """True while the platform can reach this process (HTTP served, Socket Mode or gateway connected)."""
        ...


@dataclass
class Health:
    briefings: Briefings
    metrics: Metrics
    platforms: Sequence[object] = ()
    clock: DigestClock | None = None
    tick_limit: float = TICK_LIMIT

    async def readiness(self) -> dict[str, Any]:
        """Each component with `ok` and, when not, `error`; `ready` only when all are."""
        checks: dict[str, dict[str, Any]] = {"database": await self._database()}
        for adapter in self.platforms:
            if isinstance(adapter, Connected):
                checks[adapter.platform] = await self._platform(adapter)
        checks["digest_clock"] = self._clock()
        failing = [name for name, check in checks.items() if not check["ok"]]
        return {"ready": not failing, "not_ready": failing, "checks": checks}

    async def _database(self) -> dict[str, Any]:
        async def ping() -> None:
            async with self.briefings.store.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))

        try:
            await asyncio.wait_for(ping(), CHECK_TIMEOUT)
        except TimeoutError:
            return {"ok": False, "error": f"no answer within {CHECK_TIMEOUT:g} s"}
        except Exception as exc:  # any failure to reach it means not ready; the class says which
            return {"ok": False, "error": f"unreachable ({type(exc).__name__})"}
        return {"ok": True}

    @staticmethod
    async def _platform(adapter: Connected) -> dict[str, Any]:
        try:
            connected = await asyncio.wait_for(adapter.connected(), CHECK_TIMEOUT)
        except Exception as exc:
            return {"ok": False, "error": f"check failed ({type(exc).__name__})"}
        return {"ok": True} if connected else {"ok": False, "error": "not connected"}

    def _clock(self) -> dict[str, Any]:
        if self.clock is None:
            return {"ok": False, "error": "not started"}
        if self.clock.last_tick is None:
            return {"ok": False, "error": "has not ticked yet"}
        age = time.monotonic() - self.clock.last_tick
        check: dict[str, Any] = {"ok": age < self.tick_limit, "last_tick_seconds_ago": round(age, 1)}
        if not check["ok"]:
            check["error"] = f"last tick {age:.0f} s ago (limit {self.tick_limit:g} s)"
        return check

    # ---- HTTP

    def routes(self) -> list[web.RouteDef]:
        return [
            web.get("/livez", self._livez),
            web.get("/readyz", self._readyz),
            web.get("/healthz", self._readyz),
            web.get("/metrics", self._metrics),
        ]

    async def _livez(self, request: web.Request) -> web.Response:
        """The process answers: checks nothing outside it (a database blip must not get it restarted)."""
        return web.json_response({"ok": True})

    async def _readyz(self, request: web.Request) -> web.Response:
        body = await self.readiness()
        if not body["ready"]:
            log.info("not ready: %s", ", ".join(body["not_ready"]))
        return web.json_response(body, status=200 if body["ready"] else 503)

    async def _metrics(self, request: web.Request) -> web.Response:
        try:
            await asyncio.wait_for(self.metrics.refresh(self.briefings), CHECK_TIMEOUT)
        except Exception as exc:  # the other metrics are still worth a scrape
            log.warning("metrics: could not read the situations (%s)", type(exc).__name__)
        body, content_type = self.metrics.exposition(request.headers.get("Accept", ""))
        return web.Response(body=body, headers={"Content-Type": content_type})


class HealthServer:
    """The small listener for health and metrics when Slack is not served over HTTP."""

    def __init__(
        self,
        health: Health,
        host: str,
        port: int,
        guard: ConnectionGuard | None = None,
        routes: Sequence[web.RouteDef] = (),
    ) -> None:
        self.health, self.host, self.requested_port = health, host, port
        self.routes = list(routes)
        """Served beside health and metrics (the situations' web pages)."""
        self.guard = guard or ConnectionGuard()
        """Bounds slow clients' read time and the number of open connections, as on Slack's endpoint."""
        self.port: int | None = None
        self._site = GuardedSite(self.guard)

    async def start(self) -> None:
        app = web.Application(middlewares=[self.guard.middleware])
        app.add_routes(self.health.routes() + self.routes)
        self.port = await self._site.start(app, self.host, self.requested_port)
        log.info("health and metrics on http://%s:%s/readyz and /metrics", self.host, self.port)

    async def stop(self) -> None:
        await self._site.stop()
