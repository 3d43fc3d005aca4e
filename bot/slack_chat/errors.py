"""Reading Slack API failures, and the one list of Slack error codes the app tells apart."""

from __future__ import annotations

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError

NETWORK_ERRORS = (ClientError, OSError, TimeoutError)
"""What a Web API call raises when Slack cannot be reached (after the retry handlers gave up)."""
CHANNEL_ERRORS = frozenset({"not_in_channel", "channel_not_found", "is_archived"})
"""The bot cannot post in this channel (it was never invited, or the channel is gone)."""
TOKEN_ERRORS = frozenset({"invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive"})
"""Slack refuses the bot's token: nothing works until it is replaced."""
PERMANENT = CHANNEL_ERRORS | TOKEN_ERRORS | {"missing_scope"}
"""Sending the same call again cannot help."""
NOT_IN_CHANNEL = "I can't post in this channel. Invite me first (/invite @Briefing), then try again."
"""What a person is told after one of CHANNEL_ERRORS."""


def error_code(exc: SlackApiError) -> str:
    """Slack's error code (`channel_not_found`), or the HTTP status when the answer was not Slack's JSON."""
    data = exc.response.data if exc.response is not None else None
    if isinstance(data, dict) and data.get("error"):
        return str(data["error"])
    status = getattr(exc.response, "status_code", None)
    return f"http_{status}" if status else "unknown_error"
