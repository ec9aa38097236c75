"""A real HTTP server on 127.0.0.1 for tests: canned replies and hand-written handlers.

Used as `with FeedServer() as server: server.reply("/feed", body=...)`; it listens on an
ephemeral port of the loopback address only and records every request it gets. `host`,
`port` and `tls` (a server-side SSLContext) serve from another loopback address or over TLS.
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

Handler = Callable[["RequestHandler"], object]


@dataclass
class Reply:
    """A canned response."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Request:
    path: str
    headers: dict[str, str]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: FeedServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients hanging up on slow or huge replies is what the tests are about


class RequestHandler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    @property
    def stopping(self) -> threading.Event:
        """Set when the server closes: slow handlers wait on it instead of sleeping."""
        return self.server.owner.stopping

    def send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        headers = dict(headers or {})
        if not any(k.lower() == "content-length" for k in headers):
            headers["Content-Length"] = str(len(body))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(body)

    def do_GET(self) -> None:
        owner = self.server.owner
        with owner.lock:
            owner.requests.append(Request(self.path, {k.lower(): v for k, v in self.headers.items()}))
            route = owner.routes.get(self.path.split("?", 1)[0])
        if route is None:
            self.send(404, b"not found", {"Content-Type": "text/plain"})
        elif isinstance(route, Reply):
            self.send(route.status, route.body, route.headers)
        else:
            route(self)


class FeedServer:
    """An HTTP server on 127.0.0.1 (port 0) serving routes in a background thread."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[str, Reply | Handler] = {}
        self.requests: list[Request] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.host = host
        self.scheme = "https" if tls is not None else "http"
        self._server = _Server((host, port), RequestHandler)
        if tls is not None:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        self._server.owner = self
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def url(self, path: str) -> str:
        return f"{self.scheme}://{self.host}:{self.port}{path}"

    def reply(
        self, path: str, status: int = 200, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> str:
        """Serve a canned reply at `path`; returns its URL."""
        self.routes[path] = Reply(status, body, dict(headers or {}))
        return self.url(path)

    def handle(self, path: str, handler: Handler) -> str:
        """Serve `path` with a function of the request handler; returns its URL."""
        self.routes[path] = handler
        return self.url(path)

    def hits(self, path: str) -> list[Request]:
        with self.lock:
            return [r for r in self.requests if r.path.split("?", 1)[0] == path]

    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
