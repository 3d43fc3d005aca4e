"""Scheduled digests: when they are due, who claims them, and what they say."""
