"""Settings for serving chat platforms, on top of the core's."""

from __future__ import annotations

from pydantic import AliasChoices, Field, field_validator

from bot.surface import ENTRY
from briefings.settings import CoreSettings
from briefings.throttle import PER_CHANNEL, PER_PERSON, rates


def _env(name: str) -> AliasChoices:
    return AliasChoices(name, name.lower())


class Settings(CoreSettings):
    slack_bot_token: str = Field(default="", validation_alias=_env("SLACK_BOT_TOKEN"))
    slack_signing_secret: str = Field(default="", validation_alias=_env("SLACK_SIGNING_SECRET"))
    slack_app_token: str = Field(default="", validation_alias=_env("SLACK_APP_TOKEN"))
    slack_api_url: str = Field(default="https://slack.com/api/", validation_alias=_env("SLACK_API_URL"))
    port: int = Field(default=3000, validation_alias=_env("PORT"))
    host: str = Field(default="0.0.0.0", description="address the Slack HTTP endpoint listens on")
    http_read_timeout: float = Field(
        default=10.0, gt=0, description="seconds a client has to send a whole request (headers and body)"
    )
    http_max_connections: int = Field(default=500, ge=1, description="open connections to the HTTP endpoint")
    health_port: int = Field(
        default=8081, description="port of /livez, /readyz and /metrics when Slack is not served over HTTP"
    )
    rate_per_person: str = Field(default=PER_PERSON, description="commands one person may run, e.g. 20/minute")
    rate_per_channel: str = Field(default=PER_CHANNEL, description="commands run in one channel, e.g. 60/minute")
    command: str = Field(
        default=ENTRY,
        pattern=r"^[a-z0-9_-]{1,32}$",
        description="the entry slash command that answers everything (/briefing toll, /briefing update …)",
    )
    discord_token: str = Field(default="", validation_alias=_env("DISCORD_TOKEN"))
    discord_guild_ids: str = Field(default="", validation_alias=_env("DISCORD_GUILD_IDS"))

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_bot_token)

    @property
    def discord_enabled(self) -> bool:
        return bool(self.discord_token)

    @field_validator("rate_per_person", "rate_per_channel")
    @classmethod
    def _rates(cls, value: str) -> str:
        try:
            rates(value)
        except ValueError:
            raise ValueError(f"'{value}' is not a rate; use e.g. 20/minute, 100/hour or 5/10 seconds") from None
        return value
