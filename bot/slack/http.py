"""The HTTP front for Slack: Bolt's `POST /slack/events` and `GET /healthz`, served by aiohttp."""

from __future__ import annotations

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp

EVENTS_PATH = "/slack/events"


class HttpServer:
    """Serves `app` on host:port (port 0 picks a free one; `port` then tells which)."""

    def __init__(self, app: AsyncApp, host: str, port: int) -> None:
        self.app, self.host, self.requested_port = app, host, port
        self.port: int | None = None
        self._runner: web.AppRunner | None = None

    def web_app(self) -> web.Application:
        web_app = web.Application()
        web_app.router.add_post(EVENTS_PATH, self._events)
        web_app.router.add_get("/healthz", self._health)
        return web_app

    async def _events(self, request: web.Request) -> web.Response:
        response = await self.app.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(response)

    async def _health(self, request: web.Request) -> web.Response:
        return web.json_response({"ok": True, "platform": "slack"})

    async def start(self) -> None:
        """Returns once listening."""
        self._runner = web.AppRunner(self.web_app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.requested_port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
