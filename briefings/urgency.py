"""The urgency signal: a command that leaves urgent posts waiting raises it; whoever posts them (the digest
clock of this process) listens, and posts at once instead of at its next tick."""

from __future__ import annotations

from collections.abc import Callable

Listener = Callable[[], None]


class Urgency:
    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def listen(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def forget(self, listener: Listener) -> None:
        """Stops telling `listener` (nothing happens if it was not listening)."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    def signal(self) -> None:
        """Tells every listener that urgent posts are waiting."""
        for listener in list(self._listeners):
            listener()
