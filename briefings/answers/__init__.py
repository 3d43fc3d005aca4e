"""Answers: pure functions from a snapshot (and the question) to a reply document."""
