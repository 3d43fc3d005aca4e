"""Keeps slow and surplus clients from taking an HTTP endpoint down (slowloris): Slack's events endpoint and the
health listener both accept connections through a `ConnectionGuard`.

Every connection must deliver a whole request, headers and body, within `read_timeout` seconds of opening (or of
its previous answer): a body still arriving then gets 408, a connection still sending headers or idle is closed.
At most `max_connections` are open at once, fewer when the process may open few files; a newcomer past that
closes the connection that has waited longest for its request, so trickling clients cannot keep good ones out.
Closed connections are logged as single lines (at most one line per `REPORT_EVERY` seconds, with a count), and a
client that goes away mid-request is not an error: no traceback reaches the log.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from bot.settings import Settings

log = logging.getLogger(__name__)
BACKLOG = 64
"""Connections the kernel queues for accepting; asyncio accepts up to this many at a time."""
SPARE_FILES = 2 * BACKLOG + 128
"""File descriptors kept free of clients: a burst being accepted, the database, the Web API client, logs."""
REPORT_EVERY = 10.0
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def file_budget(spare: int = SPARE_FILES) -> int | None:
    """How many client connections the process can hold without running out of file descriptors."""
    try:
        import resource
    except ImportError:  # not on this platform: nothing to go by
        return None
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    return None if soft == resource.RLIM_INFINITY else max(8, soft - spare)


class _Connection(asyncio.Protocol):
    """Passes everything to aiohttp's protocol for the connection, and tells the guard when it opens and closes."""

    def __init__(self, guard: ConnectionGuard, inner: asyncio.Protocol) -> None:
        self.guard, self.inner = guard, inner
        self.transport: asyncio.Transport | None = None
        self.peer = "?"
        self.deadline = 0.0
        self.answering = False
        """A whole request arrived and is being answered: not closed for being slow or surplus."""
        self.dropped = False
        self.received = False
        """Bytes of a request arrived since the connection started waiting for one."""
        self.timer: asyncio.TimerHandle | None = None
        self.made = False
        """aiohttp's protocol was told of the connection (not if the guard refused it at once)."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        peer = transport.get_extra_info("peername")
        self.peer = str(peer[0]) if isinstance(peer, tuple) and peer else "?"
        self.guard.opened(self)
        if not self.dropped:
            self.made = True
            self.inner.connection_made(transport)

    def data_received(self, data: bytes) -> None:
        self.received = True
        if self.made:
            self.inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self.inner.eof_received() if self.made else None

    def connection_lost(self, exc: Exception | None) -> None:
        self.guard.closed(self)
        if self.made:
            self.inner.connection_lost(exc)

    def pause_writing(self) -> None:
        if self.made:
            self.inner.pause_writing()

    def resume_writing(self) -> None:
        if self.made:
            self.inner.resume_writing()


class ConnectionGuard:
    """Bounds how long a client may take to send a request and how many connections are open."""

    def __init__(self, max_connections: int = 500, read_timeout: float = 10.0) -> None:
        budget = file_budget()
        self.max_connections = max(1, min(max_connections, budget) if budget else max_connections)
        self.read_timeout = read_timeout
        self.closed_count = 0
        """Connections closed for being slow or surplus, since the start."""
        self._open: OrderedDict[asyncio.BaseTransport, _Connection] = OrderedDict()
        """Oldest wait first: a connection moves to the end each time it starts waiting for a request."""
        self._unreported = 0
        self._report: asyncio.TimerHandle | None = None

    @classmethod
    def configured(cls, settings: Settings) -> ConnectionGuard:
        """With the limits `BRIEFING_HTTP_MAX_CONNECTIONS` and `BRIEFING_HTTP_READ_TIMEOUT` ask for."""
        return cls(settings.http_max_connections, settings.http_read_timeout)

    def factory(self, inner: Callable[[], Any]) -> Callable[[], asyncio.Protocol]:
        """A protocol factory for `loop.create_server` that wraps `inner` (aiohttp's `runner.server`)."""
        return lambda: _Connection(self, inner())

    @property
    def open_connections(self) -> int:
        return len(self._open)

    # ---- connections

    def opened(self, connection: _Connection) -> None:
        assert connection.transport is not None
        if len(self._open) >= self.max_connections:
            oldest = next((c for c in self._open.values() if not c.answering), None)
            if oldest is None:
                self._drop(connection, "too many open connections")
                return
            self._drop(oldest, "the oldest of too many open connections")
        self._open[connection.transport] = connection
        self._wait(connection)

    def closed(self, connection: _Connection) -> None:
        if connection.timer is not None:
            connection.timer.cancel()
        if connection.transport is not None:
            self._open.pop(connection.transport, None)

    def _wait(self, connection: _Connection) -> None:
        """The connection starts waiting for a (next) request: it has `read_timeout` seconds to send it."""
        loop = asyncio.get_running_loop()
        connection.answering = connection.received = False
        connection.deadline = loop.time() + self.read_timeout
        if connection.timer is not None:
            connection.timer.cancel()
        connection.timer = loop.call_at(connection.deadline, self._expire, connection)
        if connection.transport is not None and connection.transport in self._open:
            self._open.move_to_end(connection.transport)

    def _expire(self, connection: _Connection) -> None:
        connection.timer = None
        if connection.received:
            self._drop(connection, f"no whole request within {self.read_timeout:g} s")
        elif connection.transport is not None:  # an idle keep-alive connection: closed without a word
            self._open.pop(connection.transport, None)
            connection.transport.close()

    def _drop(self, connection: _Connection, why: str) -> None:
        connection.dropped = True
        if connection.transport is not None:
            self._open.pop(connection.transport, None)
            connection.transport.abort()
        self.closed_count += 1
        self._note(f"closed an HTTP connection from {connection.peer}: {why}")

    def _note(self, what: str) -> None:
        """One log line now, then at most one every REPORT_EVERY seconds saying how many more."""
        if self._report is not None:
            self._unreported += 1
            return
        log.warning("%s", what)
        self._report = asyncio.get_running_loop().call_later(REPORT_EVERY, self._flush)

    def _flush(self) -> None:
        self._report = None
        if self._unreported:
            count, self._unreported = self._unreported, 0
            self._note(f"closed {count} more slow or surplus HTTP connections in the last {REPORT_EVERY:g} s")

    def close(self) -> None:
        """Stops the timers (the server is shutting down)."""
        for connection in self._open.values():
            if connection.timer is not None:
                connection.timer.cancel()
        if self._report is not None:
            self._report.cancel()
            self._report = None

    # ---- requests

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Reads the body within what is left of the connection's deadline, then answers without one."""
        if request.transport is None or request.transport.is_closing():  # dropped by the guard before it got here
            return _closing(web.Response(status=400, text="incomplete request"))
        connection = self._open.get(request.transport)
        if connection is None:
            return await handler(request)
        if connection.timer is not None:  # from here the body's read enforces the deadline
            connection.timer.cancel()
            connection.timer = None
        try:
            async with asyncio.timeout_at(connection.deadline):
                await request.read()
        except TimeoutError:
            self.closed_count += 1
            self._note(f"HTTP request from {connection.peer} refused: body not sent within {self.read_timeout:g} s")
            return _closing(web.Response(status=408, text="request body too slow"))
        except (ConnectionError, HttpProcessingError) as exc:
            if not connection.dropped:
                log.debug("HTTP request from %s dropped while being read: %r", connection.peer, exc)
            return _closing(web.Response(status=400, text="incomplete request"))
        connection.answering = True
        try:
            return await handler(request)
        finally:
            if connection.transport in self._open:
                self._wait(connection)


def _closing(response: web.Response) -> web.Response:
    response.force_close()
    return response


class GuardedSite:
    """An aiohttp app served on host:port with every connection through a guard; port 0 picks a free one."""

    def __init__(self, guard: ConnectionGuard) -> None:
        self.guard = guard
        self.port: int | None = None
        self._runner: web.AppRunner | None = None
        self._listener: asyncio.Server | None = None

    async def start(self, app: web.Application, host: str, port: int) -> int:
        """Returns the port once listening; `app` must carry `guard.middleware`."""
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        assert self._runner.server is not None
        loop = asyncio.get_running_loop()
        factory = self.guard.factory(self._runner.server)
        self._listener = await loop.create_server(factory, host, port, backlog=BACKLOG, reuse_address=True)
        self.port = int(self._listener.sockets[0].getsockname()[1])
        return self.port

    async def stop(self) -> None:
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        self.guard.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
