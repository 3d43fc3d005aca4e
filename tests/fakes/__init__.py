"""Fake platform servers for end-to-end adapter tests on 127.0.0.1."""
