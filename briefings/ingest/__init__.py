"""From an article's text to proposed facts, each with the sentence it came from (offline, deterministic)."""

from briefings.ingest.extract import propose
from briefings.ingest.model import Proposal

__all__ = ["Proposal", "propose"]
