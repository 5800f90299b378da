"""A tiny StackOne stand-in on 127.0.0.1 for faults ``responses`` cannot imitate: a connection
reset in the middle of a body, and a port nobody listens on."""

from __future__ import annotations

import json
import socket
import socketserver
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from typing import Any


def unused_port() -> int:
    """Return a loopback port that nothing listens on (bound once, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    candidate: dict[str, Any] = {}
    methods_seen: list[str] = []

    def log_message(self, *args: Any) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        self.methods_seen.append("GET")
        body = json.dumps({"data": self.candidate}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_PATCH(self) -> None:
        self.methods_seen.append("PATCH")
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        # Promise 500 bytes, send a few, then reset the connection (SO_LINGER 0 → RST).
        self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n"
                         b'{"statusCode": 200, "da')
        self.wfile.flush()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True


class _Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextmanager
def resetting_server(candidate: dict[str, Any]) -> Iterator[tuple[str, list[str]]]:
    """Serve GETs of ``candidate`` and reset every PATCH mid-body. Yields (base URL, methods seen)."""
    handler = type("Handler", (_Handler,), {"candidate": candidate, "methods_seen": []})
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler.methods_seen
    finally:
        server.shutdown()
        server.server_close()
