"""Reading Slack API failures."""

from __future__ import annotations

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError

NETWORK_ERRORS = (ClientError, OSError, TimeoutError)
"""What a Web API call raises when Slack cannot be reached (after the retry handlers gave up)."""


def error_code(exc: SlackApiError) -> str:
    """Slack's error code (`channel_not_found`), or the HTTP status when the answer was not Slack's JSON."""
    data = exc.response.data if exc.response is not None else None
    if isinstance(data, dict) and data.get("error"):
        return str(data["error"])
    status = getattr(exc.response, "status_code", None)
    return f"http_{status}" if status else "unknown_error"
