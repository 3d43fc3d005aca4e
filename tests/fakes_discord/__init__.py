"""A fake Discord (REST and gateway) for testing the Discord adapter with the real discord.py client."""

from tests.fakes_discord.server import APP_ID, CHANNEL_ID, GUILD_ID, MOD_ROLE, Call, FakeDiscord

__all__ = ["APP_ID", "CHANNEL_ID", "GUILD_ID", "MOD_ROLE", "Call", "FakeDiscord"]
