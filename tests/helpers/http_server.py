"""A tiny HTTP server on 127.0.0.1 for download tests.

Each test decides what the server answers for each path: a whole file, a file
cut off before its announced length, an error status, or a response that
starts and then stalls. The server runs in a daemon thread on a free port and
stops when its ``with`` block ends; a stalled answer waits at most
``max_stall`` seconds, so no test can hang on it.

>>> with FileServer() as server:
...     server.routes["/a.bin"] = Reply(b"hello")
...     import urllib.request
...     urllib.request.urlopen(server.url("/a.bin"), timeout=5).read()
b'hello'
"""

from __future__ import annotations

import socket
import threading
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

__all__ = ["Reply", "FileServer", "unused_port_url"]


@dataclass(frozen=True)
class Reply:
    """What the server sends for one path.

    Parameters
    ----------
    body : bytes
        The bytes sent.
    status : int, default=200
        HTTP status code.
    declared_length : int, optional
        The Content-Length announced; larger than ``len(body)`` makes a
        truncated response (the connection closes early).
    stall_after : int, optional
        Send only this many bytes of ``body``, then wait without sending more
        until the server stops (or ``max_stall`` seconds pass).
    """

    body: bytes
    status: int = 200
    declared_length: int | None = None
    stall_after: int | None = None


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def do_GET(self) -> None:  # noqa: N802 (name fixed by http.server)
        self.server.count(self.path)
        reply = self.server.routes.get(self.path, Reply(b"not found", status=404))
        length = len(reply.body) if reply.declared_length is None else reply.declared_length
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(length))
        self.end_headers()
        if reply.stall_after is None:
            self.wfile.write(reply.body)
            return
        self.wfile.write(reply.body[: reply.stall_after])
        self.wfile.flush()
        self.server.stopping.wait(self.server.max_stall)

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep test output clean


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, max_stall: float) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, Reply] = {}
        self.hits: Counter[str] = Counter()
        self.max_stall = max_stall
        self.stopping = threading.Event()
        self._lock = threading.Lock()

    def count(self, path: str) -> None:
        with self._lock:
            self.hits[path] += 1

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up (timeout) breaks the pipe; expected here


class FileServer:
    """Serve :class:`Reply` objects over HTTP on a free local port.

    Attributes
    ----------
    routes : dict of str to Reply
        Path (e.g. ``"/mnist.npz"``) to answer; other paths get 404.
    hits : Counter
        How many requests each path received.
    """

    def __init__(self, max_stall: float = 10.0) -> None:
        self._server = _Server(max_stall)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.routes = self._server.routes
        self.hits = self._server.hits

    def url(self, path: str) -> str:
        """Full URL of ``path`` on this server."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{path}"

    def __enter__(self) -> "FileServer":
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.stopping.set()  # release stalled handlers first
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def unused_port_url(path: str = "/mnist.npz") -> str:
    """A URL on 127.0.0.1 where nothing listens: connecting is refused at once."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"
