"""The Slack adapter: serves slash commands, mentions, the share button, moderators' forms and App Home over HTTP
(`/slack/events`) or Socket Mode, and posts digests. It keeps the contract of `bot/adapter.py`.

Each kind of request has its own module of listeners, registered here (`LISTENERS`): `commands`, `mentions`,
`sharing`, `submissions`, `home`. They share a `Serving` (the core, the Web API client, who is asking, the ack
deadline). A new kind of request is one more module with `register(app, serving)` and one more line below.
"""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import Settings
from bot.slack_chat import commands, home, mentions, once, posting, review, sharing, submissions
from bot.slack_chat.callers import Callers
from bot.slack_chat.http import HttpServer
from bot.slack_chat.serving import Register, Serving
from bot.slack_chat.startup import SlackSetupError, check_bot_token, connect_socket
from bot.slack_chat.throttle import SlackThrottle
from briefings.reply import Reply
from briefings.service import Briefings

log = logging.getLogger(__name__)
LISTENERS: tuple[Register, ...] = (
    commands.register,
    mentions.register,
    sharing.register,
    submissions.register,
    home.register,
    review.register,
)
"""Every module of listeners, each adding its own to the Bolt app."""
STOP_WAIT = 5.0
"""Seconds `stop` lets answers in flight finish."""


class _NoTokenWarning(logging.Filter):
    """Bolt warns that SLACK_BOT_TOKEN in the environment is unused when a client is given; it is the same token."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


BOLT_LOG = logging.getLogger("bot.slack_chat.bolt")
BOLT_LOG.addFilter(_NoTokenWarning())


class SlackAdapter:
    """Serves Slack over HTTP (`/slack/events`) or, with SLACK_APP_TOKEN, over Socket Mode."""

    platform = "slack"

    def __init__(self, briefings: Briefings, settings: Settings) -> None:
        self.briefings = briefings
        self.settings = settings
        self.client = AsyncWebClient(
            token=settings.slack_bot_token,
            base_url=settings.slack_api_url,
            retry_handlers=once.retry_handlers(),
        )
        self.socket_mode = bool(settings.slack_app_token)
        self.app = AsyncApp(
            client=self.client,
            signing_secret=settings.slack_signing_secret,
            process_before_response=True,
            request_verification_enabled=not self.socket_mode,
            logger=BOLT_LOG,
        )
        self.serving = Serving(briefings, settings, self.client, Callers(self.client, briefings.moderators))
        self.http: HttpServer | None = None
        self.routes: list[web.RouteDef] = []
        """More routes for the HTTP server (health and metrics), set before `start`."""
        self.socket: Any = None
        for register in LISTENERS:
            register(self.app, self.serving)
        self.app.error(self._on_error)
        self.app.middleware(SlackThrottle.configured(settings).middleware)

    @property
    def ack_within(self) -> float:
        """Seconds to wait for the core before acknowledging with "working on it" (Slack allows 3)."""
        return self.serving.ack_within

    @ack_within.setter
    def ack_within(self, seconds: float) -> None:
        self.serving.ack_within = seconds

    @property
    def port(self) -> int | None:
        """The HTTP port actually bound (useful with port 0), or None in Socket Mode."""
        return self.http.port if self.http else None

    async def start(self) -> None:
        """Checks the credentials, then listens (HTTP) or connects (Socket Mode); returns when ready."""
        if not self.settings.slack_bot_token:
            raise SlackSetupError("SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token from OAuth & Permissions.")
        if not self.socket_mode and not self.settings.slack_signing_secret:
            raise SlackSetupError(
                "SLACK_SIGNING_SECRET is not set: copy the Signing Secret from the app's Basic Information page "
                "(or set SLACK_APP_TOKEN to use Socket Mode instead of HTTP)."
            )
        identity = await check_bot_token(self.client, need_groups=bool(self.serving.callers.groups))
        self.serving.bot_user = str(identity.get("user_id") or "")
        self.client.session = aiohttp.ClientSession()  # from here on, Web API calls reuse their connections
        try:
            if self.socket_mode:
                self.socket = await connect_socket(self.app, self.client, self.settings.slack_app_token)
            else:
                server = HttpServer.configured(self.app, self.settings, self.routes)
                await server.start()
                self.http = server
                log.info("Slack events endpoint on http://%s:%s/slack/events", self.settings.host, self.port)
        except BaseException:
            await self._close_session()
            raise

    async def connected(self) -> bool:
        if self.socket is not None:
            return bool(await self.socket.client.is_connected())
        return self.http is not None

    async def stop(self) -> None:
        """Stops taking requests, lets work in flight finish (briefly), then closes."""
        if self.http is not None:
            await self.http.stop()
            self.http = None
        if self.socket is not None:
            await self.socket.close_async()
            self.socket = None
        await self.serving.settle(STOP_WAIT)
        await self._close_session()

    async def _close_session(self) -> None:
        session, self.client.session = self.client.session, None
        if session is not None:
            await session.close()

    async def _on_error(self, error: Exception, body: dict[str, Any]) -> None:
        log.error("Slack request failed: %r (payload type %s)", error, body.get("type") or body.get("command"))

    # the digest runner's side (`Poster`)

    async def post(self, channel: str, reply: Reply, run_key: str) -> str:
        return await posting.post(self.client, channel, reply, run_key)

    async def find_posted(self, channel: str, run_key: str) -> str | None:
        return await posting.find_posted(self.client, channel, run_key)


__all__ = ["SlackAdapter", "SlackSetupError"]
