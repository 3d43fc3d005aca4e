"""How commands are installed on the platforms: one entry command for everything, and the read commands people
know also on their own. Slack's manifest and Discord's command tree both come from here and the command table."""

ENTRY = "briefing"
"""The entry command's default name (setting BRIEFING_COMMAND)."""
SHORT = ("brief", "toll", "reactions", "timeline")
"""Read commands also installable on their own."""
