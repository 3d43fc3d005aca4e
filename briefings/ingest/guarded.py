"""An HTTP client that connects only to addresses the settings allow: every address a host resolves to is checked
at connection time, so a redirect, or a name that resolves differently the second time, cannot reach a private,
loopback or link-local network."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

from briefings.ingest.fetch_settings import USER_AGENT, FetchSettings


class BlockedAddress(Exception):
    """The host resolves to an address that may not be fetched."""


class UnknownHost(Exception):
    """The host name does not resolve."""


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves the host, refuses it if any of its addresses is not allowed, and connects to a checked address."""

    def __init__(self, settings: FetchSettings) -> None:
        self.settings = settings
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await resolve(host, port)
        blocked = [a for a in addresses if not self.settings.allows(a)]
        if blocked:
            raise BlockedAddress(f"{host} is on a private, loopback or link-local network ({blocked[0]})")
        failure: Exception | None = None
        for address in addresses:  # each checked address in turn, as a browser falls back from IPv6 to IPv4
            try:
                return await self.inner.connect_tcp(
                    str(address), port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except httpcore.ConnectError as exc:
                failure = exc
        assert failure is not None
        raise failure

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise BlockedAddress("local sockets are never fetched")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


async def resolve(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """Every address the host resolves to (a literal address is itself)."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnknownHost(f"{host} is not a known host name") from exc
    found = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    if not found:
        raise UnknownHost(f"{host} is not a known host name")
    return list(dict.fromkeys(found))


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport over a connection pool whose every connection is checked (no proxies from the
    environment: a proxy would connect on our behalf, unchecked)."""

    def __init__(self, settings: FetchSettings) -> None:
        super().__init__(trust_env=False, retries=0)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=4,
            network_backend=GuardedBackend(settings),
        )


def client(settings: FetchSettings, timeout: float) -> httpx.AsyncClient:
    """A client for fetching pages moderators name: checked connections, a few redirects, the bot's name."""
    return httpx.AsyncClient(
        transport=GuardedTransport(settings),
        follow_redirects=True,
        max_redirects=5,
        timeout=httpx.Timeout(timeout),
        headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5"},
        trust_env=False,
    )
