"""The SPARQL 1.1 Protocol endpoint: Oxigraph's own server on the store, behind a thin guard.

`kg serve` runs Oxigraph's server (the ``oxigraph`` package: ``pip install 'aikg[serve]'``)
as a child process on a private loopback port, read-only (``serve-read-only``) unless
asked to be writable, with its query timeout. Oxigraph answers every request: SPARQL
queries and updates, content negotiation (results as JSON, XML, CSV, TSV; graphs as
Turtle, N-Triples, JSON-LD, ...), the Graph Store Protocol and its query page (YASGUI,
served from the binary, so it works offline).

In front of it, on the public address (127.0.0.1 by default), a small forwarding layer
adds the two things Oxigraph's server lacks:

- **a result cap**: a query's top-level LIMIT is lowered to the cap
  (`kg.sparqltext.cap_results`) and the answer carries ``X-SPARQL-MaxRows``, as Virtuoso
  does;
- **a clean timeout**: Oxigraph stops a query past its timeout but has already sent
  ``200 OK`` and part of the results; the guard holds a query's answer until it is
  complete and turns a stopped query into ``503`` with a one-line message.

Everything else (updates, the Graph Store Protocol, the page) is streamed through as it is.
"""
from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from kg.errors import KGError, StoreError
from kg.sparqltext import cap_results

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_RESULTS = 10_000
_CANCELLED = b"The SPARQL operation has been cancelled"
_GRACE = 2.0  # seconds past the timeout before the guard gives up waiting for Oxigraph
_HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
               "trailer", "trailers", "transfer-encoding", "upgrade", "content-length", "server", "date"}


class ServeError(KGError):
    """The endpoint could not be started (no server binary, address in use, no store)."""


def oxigraph_binary() -> str:
    """The path of Oxigraph's server binary (installed by the ``oxigraph`` package)."""
    beside = Path(sys.executable).with_name("oxigraph")
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("oxigraph")
    if found is None:
        raise ServeError("Oxigraph's server is not installed; run: pip install 'aikg[serve]'")
    return found


def free_port(host: str = DEFAULT_HOST) -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _wait_listening(host: str, port: int, process: subprocess.Popen | None, deadline: float) -> None:
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            return
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)


class OxigraphServer:
    """Oxigraph's SPARQL server on a store folder, as a child process.

    Used by `Endpoint`, and by tests that need a real SPARQL store to load into. With
    `location=None` the server keeps the data in memory.
    """

    def __init__(self, location: Path | str | None, *, host: str = DEFAULT_HOST, port: int | None = None,
                 writable: bool = False, timeout: float | None = None) -> None:
        self.location = None if location is None else Path(location)
        self.host = host
        self.port = port
        self.writable = writable
        self.timeout = timeout
        self.process: subprocess.Popen | None = None
        self._log = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def command(self) -> list[str]:
        """The command line that starts the server."""
        command = [oxigraph_binary(), "serve" if self.writable else "serve-read-only"]
        if self.location is not None:
            command += ["--location", str(self.location)]
        elif not self.writable:
            raise ServeError("a read-only server needs a store folder")
        command += ["--bind", f"{self.host}:{self.port}"]
        if self.timeout is not None:
            command += ["--timeout-s", str(max(1, round(self.timeout)))]
        return command

    def start(self) -> OxigraphServer:
        if self.process is not None:
            return self
        if self.location is not None and not (self.location / "CURRENT").is_file():
            if not self.writable:
                raise ServeError(f"{self.location}: no store here yet; run `kg build` first")
        if self.port is None:
            self.port = free_port(self.host)
        # stderr to a file, not a pipe: a pipe nobody reads would block the server once full
        self._log = tempfile.TemporaryFile()
        # its own session: Ctrl-C reaches kg serve, which then stops the server in order
        self.process = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=self._log, start_new_session=True)
        _wait_listening(self.host, self.port, self.process, time.monotonic() + 20)
        if self.process.poll() is not None:
            self._log.seek(0)
            message = self._log.read().decode("utf-8", "replace").strip().splitlines()
            self._log.close()
            self.process = None
            detail = message[-1] if message else "it exited"
            if "lock" in detail.lower():
                detail = f"the store is in use by another process (locked): {detail}"
            raise ServeError(f"{self.location or 'memory'}: Oxigraph's server did not start ({detail})")
        return self

    def stop(self) -> None:
        """Stop the server and wait for it (SIGTERM, then SIGKILL after 5 s)."""
        process, self.process = self.process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> OxigraphServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class Endpoint:
    """The SPARQL endpoint `kg serve` runs: Oxigraph's server behind the result cap and timeout guard.

    `start()` returns at once (the guard serves from a thread); `serve_forever()` blocks;
    `stop()` (or leaving a ``with`` block) stops both the guard and Oxigraph.
    """

    def __init__(self, location: Path | str, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                 writable: bool = False, timeout: float = DEFAULT_TIMEOUT,
                 max_results: int = DEFAULT_MAX_RESULTS) -> None:
        if timeout <= 0:
            raise ServeError("--timeout must be positive")
        if max_results <= 0:
            raise ServeError("--max-results must be positive")
        self.location = Path(location)
        self.host = host
        self.port = port
        self.writable = writable
        self.timeout = timeout
        self.max_results = max_results
        self.oxigraph = OxigraphServer(self.location, writable=writable, timeout=timeout)
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> Endpoint:
        self.oxigraph.start()
        try:
            self._httpd = _GuardServer((self.host, self.port), _Guard, endpoint=self)
        except OSError as exc:
            self.oxigraph.stop()
            raise ServeError(f"{self.host}:{self.port}: cannot listen ({exc.strerror or exc})") from None
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="kg-serve", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Block until interrupted (Ctrl-C or SIGTERM), then stop cleanly."""
        if self._httpd is None:
            self.start()
        try:
            while self._thread is not None and self._thread.is_alive():
                if self.oxigraph.process is None or self.oxigraph.process.poll() is not None:
                    raise ServeError("Oxigraph's server stopped unexpectedly")
                time.sleep(0.2)
        finally:
            self.stop()

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is not None:
            httpd.shutdown()
            httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self.oxigraph.stop()

    def __enter__(self) -> Endpoint:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class _GuardServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, handler, *, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, handler)


class _Guard(BaseHTTPRequestHandler):
    server: _GuardServer
    protocol_version = "HTTP/1.0"  # one request per connection: no keep-alive bookkeeping

    def log_message(self, format: str, *args) -> None:  # quiet: `kg serve` prints its own line
        pass

    def do_GET(self) -> None:
        self._forward()

    def do_POST(self) -> None:
        self._forward()

    def do_PUT(self) -> None:
        self._forward()

    def do_DELETE(self) -> None:
        self._forward()

    def do_HEAD(self) -> None:
        self._forward()

    def do_OPTIONS(self) -> None:
        self._forward()

    # -- forwarding --------------------------------------------------------------------------

    def _forward(self) -> None:
        endpoint = self.server.endpoint
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path, capped = self.path, False
        is_query = urllib.parse.urlsplit(path).path.rstrip("/") == "/query"
        if is_query:
            path, body, capped = self._capped(path, body, endpoint.max_results)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP and k.lower() != "host"}
        if body:
            headers["Content-Length"] = str(len(body))
        # A query's whole answer must arrive within the timeout (plus a little for Oxigraph's
        # whole-second timer); Oxigraph stops the evaluation on its side.
        deadline = time.monotonic() + max(1, round(endpoint.timeout)) + _GRACE
        upstream = http.client.HTTPConnection(endpoint.oxigraph.host, endpoint.oxigraph.port,
                                              timeout=None if not is_query else deadline - time.monotonic())
        try:
            upstream.request(self.command, path, body=body or None, headers=headers)
            response = upstream.getresponse()
            if is_query:
                self._answer_query(response, capped, upstream, deadline)
            else:
                self._stream(response)
        except TimeoutError:
            self._stopped()
        except (OSError, http.client.HTTPException) as exc:
            self._plain(502, f"the SPARQL server did not answer ({exc.__class__.__name__})")
        finally:
            upstream.close()

    def _capped(self, path: str, body: bytes, cap: int) -> tuple[str, bytes, bool]:
        """The request with its query's LIMIT capped, wherever the protocol put the query."""
        split = urllib.parse.urlsplit(path)
        params = urllib.parse.parse_qsl(split.query, keep_blank_values=True)
        if any(k == "query" for k, _ in params):
            params, capped = _cap_params(params, cap)
            return urllib.parse.urlunsplit(split._replace(query=urllib.parse.urlencode(params))), body, capped
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if content_type == "application/x-www-form-urlencoded":
            params, capped = _cap_params(urllib.parse.parse_qsl(body.decode("utf-8", "replace"),
                                                                keep_blank_values=True), cap)
            return path, urllib.parse.urlencode(params).encode("utf-8"), capped
        if content_type == "application/sparql-query":
            text, capped = cap_results(body.decode("utf-8", "replace"), cap)
            return path, text.encode("utf-8"), capped
        return path, body, False

    def _answer_query(self, response: http.client.HTTPResponse, capped: bool,
                      upstream: http.client.HTTPConnection, deadline: float) -> None:
        # held until complete: a query stopped by the timeout must not look like a 200
        chunks = []
        stopped = False
        try:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError
                if upstream.sock is not None:
                    upstream.sock.settimeout(remaining)
                chunk = response.read1(1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
        except http.client.IncompleteRead:
            stopped = True
        data = b"".join(chunks)
        if stopped or (response.status == 200 and data.rstrip().endswith(_CANCELLED)):
            self._stopped()
            return
        self.send_response(response.status)
        for key, value in response.getheaders():
            if key.lower() not in _HOP_BY_HOP:
                self.send_header(key, value)
        if capped:
            self.send_header("X-SPARQL-MaxRows", str(self.server.endpoint.max_results))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _stream(self, response: http.client.HTTPResponse) -> None:
        self.send_response(response.status)
        for key, value in response.getheaders():
            if key.lower() not in _HOP_BY_HOP:
                self.send_header(key, value)
        length = response.getheader("Content-Length")
        if length is not None:
            self.send_header("Content-Length", length)
        self.end_headers()
        if self.command == "HEAD":
            return
        while chunk := response.read(1 << 16):
            self.wfile.write(chunk)

    def _stopped(self) -> None:
        timeout = self.server.endpoint.timeout
        self._plain(503, f"query stopped: it ran past this endpoint's {timeout:g} s timeout")

    def _plain(self, status: int, message: str) -> None:
        data = (message + "\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


def _cap_params(params: list[tuple[str, str]], cap: int) -> tuple[list[tuple[str, str]], bool]:
    out, capped = [], False
    for key, value in params:
        if key == "query":
            value, changed = cap_results(value, cap)
            capped = capped or changed
        out.append((key, value))
    return out, capped


def serve(location: Path | str, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, writable: bool = False,
          timeout: float = DEFAULT_TIMEOUT, max_results: int = DEFAULT_MAX_RESULTS) -> Endpoint:
    """Start the endpoint on the store at `location` and return it (running; call `stop()`)."""
    if not writable and not (Path(location) / "CURRENT").is_file():
        raise StoreError(f"{location}: no store here yet; run `kg build` first")
    return Endpoint(location, host=host, port=port, writable=writable, timeout=timeout,
                    max_results=max_results).start()


__all__ = ["Endpoint", "OxigraphServer", "ServeError", "serve", "oxigraph_binary", "free_port",
           "DEFAULT_HOST", "DEFAULT_PORT", "DEFAULT_TIMEOUT", "DEFAULT_MAX_RESULTS"]
