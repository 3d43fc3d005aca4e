"""A small web site on 127.0.0.1 for fetching tests: each path answers with a status, headers and a body (or a
body written piece by piece), and every request is recorded with its headers."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Page:
    body: bytes | Callable[[], Iterator[bytes]] = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    length: bool = True
    """Send Content-Length (for a body of bytes)."""


@dataclass
class Seen:
    path: str
    headers: dict[str, str]


class LocalSite:
    def __init__(self, host: str = "127.0.0.1") -> None:
        self.pages: dict[str, Page] = {}
        self.seen: list[Seen] = []
        self.sent: dict[str, int] = {}
        """Bytes written per path (a body given piece by piece stops when the client goes away)."""
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def do_GET(self) -> None:
                site.seen.append(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}))
                page = site.pages.get(self.path)
                if page is None:
                    self.send_error(404, "Not Found")
                    return
                self.send_response(page.status)
                if page.content_type:
                    self.send_header("Content-Type", page.content_type)
                for name, value in page.headers.items():
                    self.send_header(name, value)
                if isinstance(page.body, bytes) and page.length:
                    self.send_header("Content-Length", str(len(page.body)))
                self.end_headers()
                pieces = iter([page.body]) if isinstance(page.body, bytes) else page.body()
                try:
                    for piece in pieces:
                        self.wfile.write(piece)
                        self.wfile.flush()
                        site.sent[self.path] = site.sent.get(self.path, 0) + len(piece)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def start(self) -> LocalSite:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def endless(total: int = 50_000_000) -> Callable[[], Iterator[bytes]]:
    """A body of `total` bytes written piece by piece (a 50 MB page), with no Content-Length."""

    piece = b"<p>" + b"word " * 2000 + b"</p>\n"

    def pieces() -> Iterator[bytes]:
        yield b"<html><body>"
        for _ in range(total // len(piece)):
            yield piece

    return pieces


def slow(seconds: float) -> Callable[[], Iterator[bytes]]:
    """A body that trickles in, one small piece a second, for `seconds`."""

    def pieces() -> Iterator[bytes]:
        for _ in range(int(seconds)):
            yield b"<p>still coming</p>\n"
            time.sleep(1)

    return pieces
