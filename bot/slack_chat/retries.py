"""slack_sdk's wait-and-retry on HTTP 429, telling listeners of each retry (the serving process counts them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler


class CountedRateLimitRetries(AsyncRateLimitErrorRetryHandler):
    """Waits out a 429's Retry-After like its parent; calls each listener once per retry."""

    def __init__(self, max_retry_count: int = 3) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.listeners: list[Callable[[], None]] = []

    async def prepare_for_next_attempt_async(self, **kwargs: Any) -> None:
        for listener in self.listeners:
            listener()
        await super().prepare_for_next_attempt_async(**kwargs)
