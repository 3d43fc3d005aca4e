"""Feeds moderators follow: each new entry read once into proposals, announced once to the moderators."""
