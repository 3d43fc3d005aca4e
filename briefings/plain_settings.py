"""The core's settings, read straight from the environment when that is all it takes.

`CoreSettings` (pydantic-settings) reads the same variables, a `.env` file, and validates and converts every
value; loading it costs a command-line answer a good part of its start-up. `read_core_settings` reads the plain
case itself — no `.env` file, and only values that are text as given — and hands everything else to
`CoreSettings`, so a value that needs converting or is wrong is read, and refused, exactly as before.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from briefings.settings import CoreSettings

PREFIX = "BRIEFING_"
DATABASE_SETTINGS = ("BRIEFING_DATABASE_URL", "DATABASE_URL")
"""Where the database URL is read from, first found: ours, then the one hosting platforms set."""
DEFAULT_DATABASE_URL = "sqlite:///briefing.db"
DEFAULT_SEEDS = Path(__file__).resolve().parent.parent / "seeds"
DIGEST_GRACE = timedelta(hours=6)
"""How late a missed digest may still be posted, unless set otherwise."""
ENV_FILE = ".env"
MODERATOR_FORMS = ("console:", "slack:U", "slack:W", "slack:S", "discord:user:", "discord:role:")
CONVERTED = ("BRIEFING_DIGEST_GRACE",)
"""Settings whose text is converted to another type: read by `CoreSettings` when set."""


class CoreOptions(Protocol):
    """What starting the core reads from its settings."""

    @property
    def database_url(self) -> str: ...

    @property
    def moderators(self) -> str: ...

    @property
    def seeds(self) -> Path: ...

    @property
    def situation(self) -> str: ...

    @property
    def digest_grace(self) -> timedelta: ...


@dataclass(frozen=True)
class PlainCoreSettings:
    database_url: str = DEFAULT_DATABASE_URL
    moderators: str = ""
    seeds: Path = DEFAULT_SEEDS
    situation: str = ""
    digest_grace: timedelta = DIGEST_GRACE


def moderator_problem(value: str) -> str | None:
    """Why `value` (BRIEFING_MODERATORS) is not a list of moderator entries, or None if it is one."""
    for item in filter(None, (part.strip() for part in value.split(","))):
        if not item.startswith(MODERATOR_FORMS) or item.endswith(":"):
            return (
                f"'{item}' is not a moderator entry; use console:NAME, slack:U123, slack:S123, "
                "discord:user:123 or discord:role:123"
            )
    return None


def read_core_settings() -> CoreOptions:
    """The core's settings: read here when the environment holds only plain text, else by `CoreSettings`."""
    found = {name.lower(): value for name, value in os.environ.items()}  # names in any case, as CoreSettings

    def setting(name: str) -> str | None:
        return found.get(name.lower())

    moderators = setting(PREFIX + "MODERATORS") or ""
    if (
        Path(ENV_FILE).is_file()
        or any(setting(name) is not None for name in CONVERTED)
        or moderator_problem(moderators)
    ):
        from briefings.settings import CoreSettings

        settings: CoreSettings = CoreSettings()
        return settings
    seeds = setting(PREFIX + "SEEDS")
    return PlainCoreSettings(
        database_url=next((v for v in map(setting, DATABASE_SETTINGS) if v is not None), DEFAULT_DATABASE_URL),
        moderators=moderators,
        seeds=DEFAULT_SEEDS if seeds is None else Path(seeds),
        situation=setting(PREFIX + "SITUATION") or "",
    )
