"""The Discord adapter: slash commands, autocomplete, embeds, modals and digest posts via discord.py.

Inside this package `import discord` is the discord.py library (imports are absolute)."""
