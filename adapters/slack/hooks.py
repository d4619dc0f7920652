"""Replies posted to Slack's response URLs over kept-alive connections.

Every slash command and button press is answered at its response URL.
slack_sdk's `WebhookClient` opens a new connection for each post (urllib
asks the server to close it after one answer), which on hooks.slack.com
means a new TCP connection and TLS handshake per reply, and on any host
urllib's per-request machinery. Measured with
benchmarks/slack_http_overhead.py, a post over a kept connection takes about
a third of the interpreter time of a `WebhookClient.send` (0.2 ms against
0.6 ms on the loopback), time the workers otherwise take from the
acknowledgements, which need the same interpreter lock.

The retries are slack_sdk's own handlers (the adapter's `retry_handlers()`),
fed the same way `WebhookClient` feeds them, so a response URL answering
429 or 5xx, or a dropped connection, is retried exactly as before.
"""

from __future__ import annotations

import http.client
import json
import ssl
import threading
from dataclasses import dataclass
from typing import Any, Sequence
from urllib.error import URLError
from urllib.parse import urlsplit

from slack_sdk.http_retry import HttpRequest, HttpResponse, RetryHandler, RetryState

# A kept connection the server closed while idle fails at once with one of these, before any answer:
# the post is then sent again on a new connection (not counted as a retry: nothing reached the server).
_STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError, ConnectionAbortedError)
_MAX_ATTEMPTS = 100  # a bound against a handler that never stops asking for another attempt


@dataclass(frozen=True)
class HookAnswer:
    """What a response URL answered: its status and the start of its body (for the log)."""

    status: int
    body: str


class ResponseUrlPoster:
    """POSTs JSON to response URLs, keeping one connection per worker thread and host.

    Thread-safe: each thread has its own connections (an http.client
    connection carries one request at a time), so a handful of workers keep a
    handful of connections. `close()` closes them all.
    """

    def __init__(self, retry_handlers: Sequence[RetryHandler], timeout: float) -> None:
        self.retry_handlers = list(retry_handlers)
        self.timeout = timeout
        self._local = threading.local()
        self._all: list[http.client.HTTPConnection] = []
        self._lock = threading.Lock()
        self._tls: ssl.SSLContext | None = None

    def post(self, url: str, body: dict[str, Any]) -> HookAnswer:
        """POST `body` as JSON, with retries; raises OSError or http.client.HTTPException when it never got an answer."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("a response URL must be an http(s) URL")
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        data = json.dumps(body).encode("utf-8")
        headers = {"Content-Type": "application/json;charset=utf-8"}
        request = HttpRequest(method="POST", url=url, headers=dict(headers), data=data)
        state = RetryState()
        for _ in range(_MAX_ATTEMPTS):
            state.next_attempt_requested = False
            response: HttpResponse | None = None
            error: Exception | None = None
            try:
                answer, answer_headers = self._send(parts.scheme, parts.hostname, parts.port, path, data, headers)
                if answer.status == 200:
                    return answer
                response = HttpResponse(status_code=answer.status, headers=answer_headers,
                                        data=answer.body.encode("utf-8"))
            except _Unreachable as exc:
                # as urllib reports it to WebhookClient's handlers: a failed connection is a URLError
                error = URLError(exc.__cause__)
            except (OSError, http.client.HTTPException) as exc:
                error = exc
            for handler in self.retry_handlers:
                if handler.can_retry(state=state, request=request, response=response, error=error):
                    handler.prepare_for_next_attempt(state=state, request=request, response=response, error=error)
                    break
            if not state.next_attempt_requested:
                if error is not None:
                    raise error.reason if isinstance(error, URLError) else error
                return answer
        raise ConnectionError("response URL: too many attempts")

    def _send(self, scheme: str, host: str, port: int | None, path: str, data: bytes,
              headers: dict[str, str]) -> tuple[HookAnswer, dict[str, str]]:
        """One attempt; a kept connection found closed by the server is replaced once, at once."""
        conn = self._connection(scheme, host, port)
        reused = conn.sock is not None
        if not reused:
            try:
                conn.connect()
            except OSError as exc:
                conn.close()
                raise _Unreachable() from exc
        try:
            return self._exchange(conn, path, data, headers)
        except _STALE:
            conn.close()
            if not reused:
                raise
        try:
            conn.connect()
        except OSError as exc:
            conn.close()
            raise _Unreachable() from exc
        return self._exchange(conn, path, data, headers)

    @staticmethod
    def _exchange(conn: http.client.HTTPConnection, path: str, data: bytes,
                  headers: dict[str, str]) -> tuple[HookAnswer, dict[str, str]]:
        try:
            conn.request("POST", path, body=data, headers=headers)
            response = conn.getresponse()
            raw = response.read()  # read whole, so that the connection can carry the next post
        except BaseException:
            conn.close()  # half a request or an unread answer: this connection cannot be reused
            raise
        charset = response.headers.get_content_charset() or "utf-8"
        return (HookAnswer(response.status, raw.decode(charset, errors="replace")),
                {k: v for k, v in response.headers.items()})

    def _connection(self, scheme: str, host: str, port: int | None) -> http.client.HTTPConnection:
        conns: dict[tuple[str, str, int | None], http.client.HTTPConnection] | None = getattr(self._local, "conns", None)
        if conns is None:
            conns = self._local.conns = {}
        key = (scheme, host, port)
        conn = conns.get(key)
        if conn is None:
            if scheme == "https":
                with self._lock:
                    if self._tls is None:
                        self._tls = ssl.create_default_context()
                    tls = self._tls
                conn = http.client.HTTPSConnection(host, port, timeout=self.timeout, context=tls)
            else:
                conn = http.client.HTTPConnection(host, port, timeout=self.timeout)
            conns[key] = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def close(self) -> None:
        """Close every kept connection (the adapter's workers have ended)."""
        with self._lock:
            conns, self._all = self._all, []
        for conn in conns:
            conn.close()


class _Unreachable(Exception):
    """The connection could not be opened (the OSError is its cause)."""
