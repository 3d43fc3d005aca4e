"""The HTTP front for Slack: Bolt's `POST /slack/events`, and health and metrics routes, served by aiohttp."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from urllib.parse import parse_qs

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.signature import SignatureVerifier

from bot.guard import ConnectionGuard, GuardedSite
from bot.settings import Settings
from bot.slack_chat import payloads

EVENTS_PATH = "/slack/events"
ACCEPTED_TYPES = ("application/x-www-form-urlencoded", "application/json")
log = logging.getLogger(__name__)


def malformed(body: bytes, content_type: str) -> str | None:
    """What is wrong with a signed body Slack would never send (JSON that is not an object, a bad `payload`)."""
    try:
        if content_type == "application/json":
            return None if isinstance(json.loads(body), dict) else "the JSON body is not an object"
        payload = parse_qs(body.decode("utf-8")).get("payload")
        if payload:
            data = json.loads(payload[0])
            return payloads.problem(data) if isinstance(data, dict) else "the payload field is not a JSON object"
    except (ValueError, UnicodeDecodeError) as exc:
        return f"unreadable body ({exc.__class__.__name__})"
    return None


class HttpServer:
    """Serves `app` on host:port (port 0 picks a free one; `port` then tells which)."""

    def __init__(
        self,
        app: AsyncApp,
        host: str,
        port: int,
        signing_secret: str,
        guard: ConnectionGuard | None = None,
        routes: Sequence[web.RouteDef] = (),
    ) -> None:
        self.app, self.host, self.requested_port = app, host, port
        self.routes = routes
        """More routes on the same port (health and metrics); without them `/healthz` only says it is up."""
        self.verifier = SignatureVerifier(signing_secret)
        self.guard = guard or ConnectionGuard()
        """Bounds slow clients' read time and the number of open connections."""
        self.port: int | None = None
        self._site = GuardedSite(self.guard)

    @classmethod
    def configured(cls, app: AsyncApp, settings: Settings, routes: Sequence[web.RouteDef] = ()) -> HttpServer:
        """On `HOST:PORT`, with the connection limits `BRIEFING_HTTP_*` ask for, and any more `routes`."""
        guard = ConnectionGuard.configured(settings)
        return cls(app, settings.host, settings.port, settings.slack_signing_secret, guard, routes)

    def web_app(self) -> web.Application:
        web_app = web.Application(middlewares=[self.guard.middleware])
        web_app.router.add_post(EVENTS_PATH, self._events)
        if self.routes:
            web_app.add_routes(self.routes)
        else:
            web_app.router.add_get("/healthz", self._health)
        return web_app

    async def _events(self, request: web.Request) -> web.Response:
        """Checks the signature before anything reads the body, then lets Bolt answer; a body that is not what
        Slack sends (wrong content type, unreadable form or JSON) gets 400, never a crash."""
        body = await request.read()
        try:
            signed = self.verifier.is_valid_request(body, dict(request.headers))
        except (ValueError, UnicodeDecodeError):
            signed = False
        if not signed:
            return web.json_response({"error": "invalid request signature"}, status=401)
        if request.content_type not in ACCEPTED_TYPES:
            return web.json_response({"error": f"unsupported content type {request.content_type}"}, status=415)
        problem = malformed(body, request.content_type)
        if problem:
            log.warning("malformed Slack request refused: %s", problem)
            return web.json_response({"error": problem}, status=400)
        bolt_request = await to_bolt_request(request)
        return await to_aiohttp_response(await self.app.async_dispatch(bolt_request))

    async def _health(self, request: web.Request) -> web.Response:
        return web.json_response({"ok": True, "platform": "slack"})

    async def start(self) -> None:
        """Returns once listening. Connections are accepted through the guard."""
        self.port = await self._site.start(self.web_app(), self.host, self.requested_port)

    async def stop(self) -> None:
        await self._site.stop()
