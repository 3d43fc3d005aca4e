"""Settings for fetching articles and feeds, from the environment (`BRIEFING_FETCH_…`, `BRIEFING_FEED_…`)."""

from __future__ import annotations

import ipaddress
from functools import cached_property

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
EVERY = ("all", "true", "yes", "1")
USER_AGENT = "BriefingBot/0.1 (situation briefings; fetches articles and feeds its moderators add)"


class FetchSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BRIEFING_", env_file=".env", extra="ignore")

    fetch_timeout: float = Field(default=15.0, gt=0, description="seconds one article or feed may take, in all")
    fetch_max_bytes: int = Field(default=5_000_000, ge=1000, description="largest page or feed read (bytes)")
    fetch_allow_private: str = Field(
        default="",
        description="networks fetched although private, loopback or link-local: comma-separated CIDRs "
        "(127.0.0.1/32) or `all`; empty refuses them all",
    )
    feed_poll_interval: float = Field(default=900.0, ge=5, description="seconds between two polls of the feeds")
    feed_channel: str = Field(
        default="",
        description="where new proposals from feeds are announced (slack:C…, discord:…); "
        "default: the channel where the feed was added",
    )
    feed_entries_per_poll: int = Field(default=20, ge=1, description="newest entries of a feed read per poll")

    @field_validator("fetch_allow_private")
    @classmethod
    def _networks(cls, value: str) -> str:
        if value.strip().lower() in EVERY:
            return value
        for item in filter(None, (part.strip() for part in value.split(","))):
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(f"'{item}' is not a network; use e.g. 127.0.0.1/32, 10.0.0.0/8 or all") from None
        return value

    @cached_property
    def allowed_networks(self) -> tuple[Network, ...] | None:
        """The private networks that may be fetched; None when every one may."""
        if self.fetch_allow_private.strip().lower() in EVERY:
            return None
        parts = filter(None, (part.strip() for part in self.fetch_allow_private.split(",")))
        return tuple(ipaddress.ip_network(part, strict=False) for part in parts)

    def allows(self, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        """Whether an address may be connected to: any public one, a private one only when allowed."""
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if address.is_global and not address.is_multicast:
            return True
        allowed = self.allowed_networks
        return allowed is None or any(address in network for network in allowed)
