"""A TLS server on 127.0.0.1 for tests that stand in for an HTTPS API (Slack's webhook and Web API)."""

from __future__ import annotations

import http.server
import ssl
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

Answer = tuple[int, Mapping[str, str], str]
"""Status, headers and body text of one answer."""


@contextmanager
def https_server(tls_files: tuple[Path, Path], respond: Callable[[str, Any, bytes], Answer]) -> Iterator[str]:
    """Answer every POST with `respond(path, headers, body)`, served with the certificate and key in
    `tls_files`; yields the base URL. Threads are daemons, so a hanging answer cannot hold up the run."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            status, headers, text = respond(
                self.path, self.headers, self.rfile.read(int(self.headers["Content-Length"]))
            )
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(text)))
            self.end_headers()
            self.wfile.write(text.encode())

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*tls_files)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
