"""Slack: the adapter (`bot.slack.adapter.SlackAdapter`), Block Kit rendering, moderator forms, the app manifest."""
