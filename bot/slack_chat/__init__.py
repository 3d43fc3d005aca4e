"""Slack: the adapter (`bot.slack_chat.adapter.SlackAdapter`), Block Kit rendering, moderator forms, the manifest."""
