"""How commands are installed on the platforms: one entry command for everything, and the read commands people
know also on their own. Slack's manifest and Discord's command tree both come from here and the command table."""

ENTRY = "briefing"
"""The entry command's default name (setting BRIEFING_COMMAND)."""
SHORT = ("brief", "toll", "reactions", "timeline")
"""Read commands also installable on their own."""
MESSAGE_SHORTCUTS = (
    (
        "propose_facts",
        "Propose facts",
        "Read this message, or the article it links to, into facts for moderators to review",
    ),
)
"""Actions on a chat message: (callback id, name, description)."""
