"""Settings shared by every part of the bot, from the environment or a `.env` file."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SEEDS = Path(__file__).resolve().parent.parent / "seeds"
DATABASE_SETTINGS = ("BRIEFING_DATABASE_URL", "DATABASE_URL")
"""Where the database URL is read from, first found: ours, then the one hosting platforms set."""
DIGEST_GRACE = timedelta(hours=6)
"""How late a missed digest may still be posted, unless set otherwise."""
MODERATOR_FORMS = ("console:", "slack:U", "slack:W", "slack:S", "discord:user:", "discord:role:")


class CoreSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BRIEFING_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite:///briefing.db",
        validation_alias=AliasChoices(*(name.lower() for name in DATABASE_SETTINGS)),
        description="sqlite:///PATH (the embedded default) or postgresql://USER@HOST/DB",
    )
    moderators: str = Field(
        default="",
        description="Comma-separated: console:NAME, slack:U… (user), slack:S… (user group), "
        "discord:user:ID, discord:role:ID",
    )
    seeds: Path = Field(default=DEFAULT_SEEDS, description="Folder of situation files loaded into a fresh database")
    situation: str = Field(default="", description="The situation channels follow until switched (default: the first)")
    digest_grace: timedelta = Field(
        default=DIGEST_GRACE,
        description="How late a missed digest may still be posted (marked late); older ones are skipped and said so",
    )

    @field_validator("moderators")
    @classmethod
    def _known_forms(cls, value: str) -> str:
        for item in filter(None, (part.strip() for part in value.split(","))):
            if not item.startswith(MODERATOR_FORMS) or item.endswith(":"):
                raise ValueError(
                    f"'{item}' is not a moderator entry; use console:NAME, slack:U123, slack:S123, "
                    "discord:user:123 or discord:role:123"
                )
        return value
