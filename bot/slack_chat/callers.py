"""Who is asking on Slack: the `Caller` for a user in a channel, with the moderator user groups they belong to.
Whether that makes them a moderator is the core's to say (`Briefings.plan`)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack_chat.errors import NETWORK_ERRORS, error_code
from briefings.access import Caller, Moderators

log = logging.getLogger(__name__)
CACHE_SECONDS = 60.0


def group_ids(moderators: Moderators) -> list[str]:
    """Slack user groups named in BRIEFING_MODERATORS (`slack:S…`)."""
    return sorted(e.removeprefix("slack:") for e in moderators.entries if e.startswith("slack:S"))


class Callers:
    """Builds callers; group members and display names are fetched from Slack and kept for a minute."""

    def __init__(
        self,
        client: AsyncWebClient,
        moderators: Moderators,
        ttl: float = CACHE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.groups = group_ids(moderators)
        """The user groups worth asking about: those the moderators setting names."""
        self.ttl = ttl
        self.clock = clock
        self._members: dict[str, tuple[float, frozenset[str]]] = {}
        self._names: dict[str, tuple[float, str]] = {}

    async def caller(self, user: str, channel: str, name: str = "") -> Caller:
        """`channel` is Slack's id (`C123`); the caller's channel key is `slack:C123`."""
        groups = frozenset([g for g in self.groups if user in await self.members(g)])
        return Caller("slack", user, f"slack:{channel}", name or await self.name(user), groups)

    async def members(self, group: str) -> frozenset[str]:
        """Users in a user group; on an API error, nobody (and the error is logged)."""
        cached = self._members.get(group)
        if cached and cached[0] > self.clock():
            return cached[1]
        try:
            response = await self.client.usergroups_users_list(usergroup=group)
            users = frozenset(str(u) for u in response.get("users") or [])
        except SlackApiError as exc:
            log.warning("could not list members of Slack user group %s: %s", group, error_code(exc))
            users = frozenset()
        except NETWORK_ERRORS as exc:
            log.warning("could not list members of Slack user group %s: %r", group, exc)
            users = frozenset()
        self._members[group] = (self.clock() + self.ttl, users)
        return users

    async def name(self, user: str) -> str:
        """A user's display name (events carry only the id); "" if Slack won't say."""
        cached = self._names.get(user)
        if cached and cached[0] > self.clock():
            return cached[1]
        try:
            response = await self.client.users_info(user=user)
            info = response.get("user") or {}
            profile = info.get("profile") or {}
            name = str(profile.get("display_name") or info.get("real_name") or info.get("name") or "")
        except SlackApiError as exc:
            log.warning("could not look up Slack user %s: %s", user, error_code(exc))
            name = ""
        except NETWORK_ERRORS as exc:
            log.warning("could not look up Slack user %s: %r", user, exc)
            name = ""
        self._names[user] = (self.clock() + self.ttl, name)
        return name
