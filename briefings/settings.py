"""Settings shared by every part of the bot, from the environment or a `.env` file."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from briefings.plain_settings import (
    DATABASE_SETTINGS,
    DEFAULT_DATABASE_URL,
    DEFAULT_SEEDS,
    DIGEST_GRACE,
    ENV_FILE,
    PREFIX,
    moderator_problem,
)


class CoreSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=PREFIX, env_file=ENV_FILE, extra="ignore")

    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
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
        problem = moderator_problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value
