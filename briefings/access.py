"""Who is asking, and whether they may change facts."""

from __future__ import annotations

from dataclasses import dataclass, field

OPERATOR = "console:operator"


@dataclass(frozen=True)
class Caller:
    """A person on one platform. `groups` are Slack user groups or Discord roles they belong to."""

    platform: str
    user: str
    channel: str
    name: str = ""
    groups: frozenset[str] = field(default_factory=frozenset)

    @property
    def ident(self) -> str:
        """The form the moderators setting uses: `slack:U123`, `discord:user:42`, `console:NAME`."""
        if self.platform == "discord":
            return f"discord:user:{self.user}"
        return f"{self.platform}:{self.user}"

    @property
    def group_idents(self) -> set[str]:
        prefix = "discord:role:" if self.platform == "discord" else f"{self.platform}:"
        return {prefix + group for group in self.groups}

    @classmethod
    def operator(cls) -> Caller:
        """The person at the local console, who runs the bot and so moderates it."""
        return cls("console", "operator", "console", "operator")


@dataclass(frozen=True)
class Moderators:
    """Parsed from `BRIEFING_MODERATORS`: `console:NAME, slack:U…, slack:S…, discord:user:ID, discord:role:ID`."""

    entries: frozenset[str]

    @classmethod
    def parse(cls, setting: str | list[str] | None) -> Moderators:
        items = setting if isinstance(setting, list) else (setting or "").split(",")
        return cls(frozenset(item.strip() for item in items if item.strip()))

    def allow(self, caller: Caller) -> bool:
        if caller.ident == OPERATOR:
            return True
        return caller.ident in self.entries or bool(caller.group_idents & self.entries)
