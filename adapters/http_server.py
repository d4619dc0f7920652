"""The HTTP server of the front-ends that a chat platform calls (Slack's HTTP mode, Teams).

One small WSGI app (`Routes`) routes each request by its path, then its
method: Slack's `POST /slack/events` goes to slack-bolt's own WSGI adapter,
`GET /` answers a plain "ok", and health checks or OAuth pages can be
mounted beside them later. `HttpServer` serves it with cheroot. A front-end
configured on the address another one already serves (Teams' `/api/messages`
beside Slack's HTTP mode) finds that server's routes with `serving()` and
mounts its own path there: one port, one server.

Why cheroot. The server runs inside `sobria run`, beside Socket Mode,
Discord, the scheduler and the adapter's own pool of workers, so it must be
embeddable: started in a thread of this process and stopped from another.
cheroot (CherryPy's server, pure Python, on PyPI) is built for that: a pool
of threads, idle kept-alive connections watched by one selector rather than
a thread each, and a `stop()` that stops accepting, lets the requests in
flight finish, then closes what is left. gunicorn is a process manager (it
forks its workers and wants the main thread's signals), so it could not
share the process with the rest of the bot; waitress has no way to be
stopped gracefully from another thread. WSGI rather than ASGI: slack-bolt's
`App` is synchronous, and its listeners only acknowledge and queue.

And it is the fastest of the three that fit, measured with
`benchmarks/slack_http_overhead.py --compare-servers` (a bare slack-bolt app
that only acknowledges, the same WSGI app served by each, on one core of a
shared 2-CPU machine, 2,000 signed slash commands from 8 clients, median of
3 rounds, 2 December 2026): cheroot 1,728 requests/s, waitress 1,603, the
standard library's `wsgiref` (threaded, like the hand-written server it
replaces) 1,280.

What the server guarantees, whatever the app behind it:

* a request body larger than the limit is answered 413 before the app sees
  it; one of moderate size is read and dropped first, so that a client still
  sending it can read the answer instead of a reset connection;
* a client that hangs up, or stalls longer than the read timeout, costs one
  log line (no traceback) and never reaches the app;
* `stop()` stops accepting at once, lets the requests in flight finish (a
  bounded wait), then closes idle kept-alive connections and the threads.
"""

from __future__ import annotations

import io
import logging
import sys
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Callable, Iterable

from cheroot import wsgi

log = logging.getLogger("sobria.http")

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WsgiApp = Callable[[Environ, StartResponse], Iterable[bytes]]

SERVER_NAME = "sobria"  # the Server header: no version to advertise
THREADS = 16  # requests served at once; a request only holds a thread while it is read and answered
BACKLOG = 128  # connections the kernel queues for a burst (the default of 5 drops the rest for a second)
READ_TIMEOUT = 10.0  # seconds a client may stay silent while sending its request
SHUTDOWN_TIMEOUT = 5.0  # seconds stop() lets the requests in flight finish before closing their connections
_READ_TIMEOUT_KEY = "sobria.read_timeout"  # in each request's environ, for the log line of a stalled client
_CLOSE_KEY = "sobria.close_connection"  # set in the environ when the request could not be read whole


@dataclass(frozen=True)
class BodyLimit:
    """How large a request body may be, and how a larger one is refused.

    A body over `max_bytes` is answered 413. One of at most
    `discard_max_bytes` is read and dropped first (for at most
    `discard_timeout` seconds): closing a socket with unread data resets the
    connection, and a client still sending would see a broken pipe instead of
    the answer. A larger one is not waited for.
    """

    max_bytes: int
    discard_max_bytes: int
    discard_timeout: float


def plain(start_response: StartResponse, status: int, text: str = "",
          headers: Iterable[tuple[str, str]] = ()) -> list[bytes]:
    """A short text/plain answer."""
    data = text.encode("utf-8")
    start_response(f"{status} {HTTPStatus(status).phrase}",
                   [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(data))), *headers])
    return [data]


def _ok(environ: Environ, start_response: StartResponse) -> list[bytes]:
    return plain(start_response, 200, "ok")


class Routes:
    """The WSGI app the server runs: routes by exact path, then method; reads and bounds each body first.

    A mounted app receives the body already read (`wsgi.input` is an
    in-memory file, `CONTENT_LENGTH` its exact size), so nothing behind the
    router reads from a slow or vanished client, and a body sent in chunks is
    bounded like any other. Unknown paths get 404, a known path asked with
    another method 405 (with `Allow`).
    """

    def __init__(self, limit: BodyLimit) -> None:
        self.limit = limit
        self._routes: dict[str, dict[str, WsgiApp]] = {}
        self.add("GET", "/", _ok)

    def add(self, method: str, path: str, app: WsgiApp) -> None:
        """Mount `app` for `method` on the exact `path` (a later mount replaces an earlier one)."""
        self._routes.setdefault(path, {})[method.upper()] = app

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        body = _read_body(environ, self.limit)
        if isinstance(body, int):
            environ[_CLOSE_KEY] = True  # what is left of the request on the connection cannot be trusted
            return plain(start_response, body)
        methods = self._routes.get(environ.get("PATH_INFO") or "/")
        if methods is None:
            return plain(start_response, 404, "not found")
        app = methods.get(environ.get("REQUEST_METHOD", "GET"))
        if app is None:
            return plain(start_response, 405, "method not allowed", [("Allow", ", ".join(sorted(methods)))])
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        return app(environ, start_response)


def _client(environ: Environ) -> str:
    return f"{environ.get('REMOTE_ADDR') or '?'}:{environ.get('REMOTE_PORT') or '?'}"


def _read_body(environ: Environ, limit: BodyLimit) -> bytes | int:
    """The whole body, or the HTTP status that refuses it (413, or 400/408 for a client that hung up or stalled)."""
    declared = environ.get("CONTENT_LENGTH") or ""
    stream = environ["wsgi.input"]
    if declared:
        try:
            length = int(declared)  # cheroot has refused a malformed Content-Length already
        except ValueError:
            return 400
        if length > limit.max_bytes:
            _discard(stream, length, limit)
            return 413
        wanted = length
    elif environ.get("wsgi.input_terminated"):  # chunked: read one byte more than allowed to tell
        wanted = limit.max_bytes + 1
    else:
        return b""
    try:
        body = stream.read(wanted)
    except ValueError as exc:  # cheroot's reading of a malformed chunked body
        log.info("http: client %s sent a malformed body (%s)", _client(environ), exc)
        return 400
    except TimeoutError:
        log.info("http: client %s stopped sending its request (no data for %.0f s)", _client(environ),
                 environ.get(_READ_TIMEOUT_KEY, READ_TIMEOUT))
        return 408
    except ConnectionError as exc:
        _hung_up(environ, "while sending its request", exc)
        return 400
    if declared and len(body) < wanted:
        _hung_up(environ, f"after {len(body)} of its {wanted} bytes", None)
        return 400
    if len(body) > limit.max_bytes:
        return 413
    return body


def _discard(stream: Any, length: int, limit: BodyLimit) -> None:
    """Read and drop a refused body of moderate size, within the limit's time (see BodyLimit)."""
    if not 0 < length <= limit.discard_max_bytes:
        return
    deadline = time.monotonic() + limit.discard_timeout
    try:
        while length > 0 and time.monotonic() < deadline:
            chunk = stream.read(min(length, 1 << 16))
            if not chunk:
                return
            length -= len(chunk)
    except OSError:
        return


def _hung_up(environ: Environ, when: str, exc: BaseException | None) -> None:
    """The one line a client that went away costs."""
    reason = f" ({type(exc).__name__})" if exc is not None else ""
    log.info("http: client %s hung up %s%s", _client(environ), when, reason)


class _Gateway(wsgi.Gateway_10):
    """cheroot's WSGI gateway, telling of a client that hung up before reading its answer (cheroot is silent)."""

    def get_environ(self) -> Environ:
        env: Environ = super().get_environ()
        env[_READ_TIMEOUT_KEY] = self.req.server.timeout
        return env

    def start_response(self, status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        """As cheroot's, and a request the router could not read whole closes its connection after the answer.

        Otherwise cheroot would try to read the rest of the body before
        answering, from a client that hung up or stalled.
        """
        write = super().start_response(status, headers, exc_info)
        if self.env.get(_CLOSE_KEY):
            self.req.close_connection = True
        return write

    def respond(self) -> None:
        try:
            super().respond()
        except (ConnectionError, TimeoutError) as exc:
            _hung_up(self.env, "before its answer was sent", exc)
            self.req.close_connection = True


class _Server(wsgi.Server):
    """cheroot's server, its messages sent to our log (cheroot writes them on stderr, with a traceback)."""

    def error_log(self, msg: str = "", level: int = logging.INFO, traceback: bool = False) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            log.info("http: a client hung up (%s)", type(error).__name__)
            return
        log.log(level, "http: %s", msg, exc_info=error if traceback and level >= logging.ERROR else None)


# The servers of this process that serve a `Routes`, by the address they were asked for (host, port as
# configured, 0 included): a second front-end configured on the same address mounts its routes there
# (Teams beside Slack's HTTP mode) instead of binding the port again.
_serving: dict[tuple[str, int], "HttpServer"] = {}
_serving_changed = threading.Condition()


def serving(host: str, port: int, timeout: float, stop: threading.Event | None = None) -> "HttpServer | None":
    """The server this process serves on (host, port) with `Routes`, waiting up to `timeout` seconds for it to
    start (another front-end's thread may not have bound it yet); None if none did, or when `stop` is set."""
    deadline = time.monotonic() + timeout
    with _serving_changed:
        while (host, port) not in _serving:
            left = deadline - time.monotonic()
            if left <= 0 or (stop is not None and stop.is_set()):
                return None
            _serving_changed.wait(min(left, 0.2))
        return _serving[(host, port)]


class HttpServer:
    """A WSGI app served by cheroot on one address: `bind()`, `start()`, `stop()`; see the module docstring."""

    def __init__(self, app: WsgiApp, host: str, port: int, *, threads: int = THREADS,
                 read_timeout: float = READ_TIMEOUT, shutdown_timeout: float = SHUTDOWN_TIMEOUT) -> None:
        self._server = _Server((host, port), app, numthreads=threads, server_name=SERVER_NAME,
                               request_queue_size=BACKLOG, timeout=read_timeout,
                               shutdown_timeout=shutdown_timeout)
        self._server.gateway = _Gateway
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._address = (host, port)  # as asked, the key of `_serving`
        self._routes = app if isinstance(app, Routes) else None

    @property
    def routes(self) -> Routes | None:
        """The `Routes` it serves (None for another WSGI app): where another front-end mounts its paths."""
        return self._routes

    @property
    def port(self) -> int:
        """The port bound (the one picked by the system when 0 was asked)."""
        return int(self._server.bind_addr[1])

    def bind(self) -> "HttpServer":
        """Bind and listen (OSError when the address is taken); requests wait in the backlog until `start()`."""
        self._server.prepare()
        return self

    def start(self) -> "HttpServer":
        """Serve in a thread of its own (binding first if need be)."""
        with self._lock:
            if self._thread is not None:
                raise RuntimeError("the HTTP server is already started")
            if not self._server.ready:
                self.bind()
            self._thread = threading.Thread(target=self._server.serve, name="sobria-http", daemon=True)
            self._thread.start()
        if self._routes is not None:
            with _serving_changed:
                _serving[self._address] = self
                _serving_changed.notify_all()
        return self

    def stop(self) -> None:
        """Stop accepting, let the requests in flight finish, close the rest; returns within the shutdown timeout.

        cheroot's own `stop()` waits the shutdown timeout for its threads,
        then shuts the reading side of the connections still busy, and waits
        for their threads again, without a bound: an app stuck in a request
        would hold the caller forever. It runs in a helper thread here, and
        the caller waits for it at most a second past the shutdown timeout.
        """
        with _serving_changed:
            if _serving.get(self._address) is self:
                del _serving[self._address]
        timeout = self._server.shutdown_timeout
        stopping = threading.Thread(target=self._server.stop, name="sobria-http-stop", daemon=True)
        stopping.start()
        stopping.join(timeout + 1)
        if stopping.is_alive():
            log.warning("http: a request was still running %.0f s after the server was asked to stop", timeout + 1)
        with self._lock:
            thread = self._thread
        if thread is not None:
            thread.join(1)
