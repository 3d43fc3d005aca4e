"""Start-up checks: the tokens work and the app has the scopes it needs, or a message saying what to fix."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapter import SetupError
from bot.slack_chat.errors import NETWORK_ERRORS, TOKEN_ERRORS, error_code
from bot.slack_chat.manifest import CHART_SCOPE, GROUP_SCOPE, REQUIRED_SCOPES

log = logging.getLogger(__name__)
MANIFEST = "the output of `briefing manifest`"
# files:write is needed only to upload charts (`/toll chart`, a digest's chart): without it the bot runs and
# charts are refused in words.
NO_CHARTS = (
    f"The Slack app lacks the scope {CHART_SCOPE}, so charts cannot be uploaded (the figures are still sent as "
    f"text). Add it under OAuth & Permissions → Bot Token Scopes (or update the app from {MANIFEST}), then "
    "reinstall the app to the workspace."
)


class SlackSetupError(SetupError):
    """The Slack app cannot start; the message says what to change."""


def _unreachable(url: str, exc: BaseException) -> SlackSetupError:
    return SlackSetupError(f"Could not reach the Slack API at {url} ({exc!r}). Check SLACK_API_URL and the network.")


async def check_bot_token(client: AsyncWebClient, need_groups: bool) -> dict[str, Any]:
    """Calls `auth.test`; returns its answer (team, bot user id) or raises SlackSetupError."""
    try:
        response = await client.auth_test()
    except SlackApiError as exc:
        error = error_code(exc)
        if error in TOKEN_ERRORS:
            raise SlackSetupError(
                f"Slack refused SLACK_BOT_TOKEN ({error}). Set it to the app's Bot User OAuth Token (xoxb-…) from "
                "OAuth & Permissions, and reinstall the app to the workspace if the token was revoked."
            ) from None
        raise SlackSetupError(f"Slack auth.test failed ({error}); check SLACK_BOT_TOKEN and SLACK_API_URL.") from None
    except NETWORK_ERRORS as exc:
        raise _unreachable(client.base_url, exc) from None
    data: dict[str, Any] = dict(response.data) if isinstance(response.data, dict) else {}
    if not data.get("bot_id"):
        raise SlackSetupError(
            "SLACK_BOT_TOKEN is not a bot token: use the Bot User OAuth Token (xoxb-…), not a user token."
        )
    granted = _scopes(response.headers)
    if granted is None:
        log.warning("Slack did not report the token's scopes; not checking them")
        return data
    wanted = [*REQUIRED_SCOPES, *([GROUP_SCOPE] if need_groups else [])]
    missing = [scope for scope in wanted if scope not in granted]
    if missing:
        raise SlackSetupError(
            f"The Slack app lacks the scopes {', '.join(missing)}. Add them under OAuth & Permissions → Bot Token "
            f"Scopes (or update the app from {MANIFEST}), then reinstall the app to the workspace."
        )
    if CHART_SCOPE not in granted:
        log.warning(NO_CHARTS)
        data["charts"] = False
    return data


def _scopes(headers: Any) -> set[str] | None:
    for key, value in (headers or {}).items():
        if key.lower() == "x-oauth-scopes":
            text = value[0] if isinstance(value, list) else str(value)
            return {s.strip() for s in text.split(",") if s.strip()}
    return None


async def open_socket_url(client: AsyncWebClient, app_token: str) -> str:
    """Calls `apps.connections.open` with the app-level token; returns the websocket URL or raises."""
    try:
        response = await client.apps_connections_open(app_token=app_token)
    except SlackApiError as exc:
        error = error_code(exc)
        raise SlackSetupError(
            f"Slack refused SLACK_APP_TOKEN ({error}). Set it to an app-level token (xapp-…) with the "
            "connections:write scope (Basic Information → App-Level Tokens), and turn on Socket Mode for the app; "
            "or unset SLACK_APP_TOKEN to receive requests over HTTP."
        ) from None
    except NETWORK_ERRORS as exc:
        raise _unreachable(client.base_url, exc) from None
    return str(response["url"])


async def connect_socket(app: AsyncApp, client: AsyncWebClient, app_token: str, timeout: float = 15.0) -> Any:
    """Opens the Socket Mode connection for `app`; returns its handler (close it with `close_async`)."""
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    url = await open_socket_url(client, app_token)
    handler: Any = AsyncSocketModeHandler(app, app_token, web_client=client)
    handler.client.wss_uri = url
    try:
        await asyncio.wait_for(handler.connect_async(), timeout)
    except TimeoutError:
        await handler.close_async()
        raise SlackSetupError(f"Could not open the Socket Mode connection to {url}; check the network.") from None
    log.info("Slack Socket Mode connected")
    return handler
