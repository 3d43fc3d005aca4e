"""Slack: the adapter (`bot.slack_chat.adapter.SlackAdapter`) and its listeners, one module per kind of request
(`commands`, `mentions`, `sharing`, `submissions`, `home`), Block Kit rendering, moderator forms, the manifest."""
