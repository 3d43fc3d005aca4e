"""Events answered once: Slack delivers an event again when the answer seems slow (an `X-Slack-Retry-Num`
request with the same `event_id`), so the ids of recent events are kept and a repeat is ignored."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

SEEN_EVENTS = 1000


class SeenEvents:
    """The ids of the last `size` events, oldest first."""

    def __init__(self, size: int = SEEN_EVENTS) -> None:
        self.size = size
        self._seen: OrderedDict[str, None] = OrderedDict()

    def first_delivery(self, body: dict[str, Any]) -> bool:
        """False for an event seen before; True (and remembered) otherwise, and for a body without an event id."""
        event_id = str(body.get("event_id") or "")
        if not event_id:
            return True
        if event_id in self._seen:
            return False
        self._seen[event_id] = None
        while len(self._seen) > self.size:
            self._seen.popitem(last=False)
        return True
