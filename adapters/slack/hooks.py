"""Replies posted to Slack's response URLs, over urllib3's pool of kept-alive connections.

Every slash command and button press is answered at its response URL.
slack_sdk's `WebhookClient` opens a new connection for each post (urllib
asks the server to close it after one answer), which on hooks.slack.com
means a TCP connection and a TLS handshake per reply. Measured by
`benchmarks/slack_http_overhead.py --compare-hooks` on the loopback against
a TLS server (2 December 2026), a `WebhookClient.send` took about 1.5 ms of
its thread's processor time and a post over one of urllib3's kept
connections about 0.3 ms: over a millisecond per reply that the workers
would otherwise take from the acknowledgements, which need the same
interpreter lock (a log costs about 5 ms of work in all), before counting
the round trips of each new connection to Slack.

The retries are slack_sdk's own handlers (the adapter's `retry_handlers()`),
shown each failure as `WebhookClient` shows it to them (urllib's errors), so
a response URL answering 429 or 5xx, or a refused or dropped connection, is
retried exactly as it would be by `WebhookClient`. urllib3 itself retries
nothing (`retries=False`); it only replaces, before use, a kept connection
the server closed while it was idle.
"""

from __future__ import annotations

import json
import ssl
from dataclasses import dataclass
from typing import Any, Sequence
from urllib.error import URLError
from urllib.parse import urlsplit

import urllib3
from slack_sdk.http_retry import HttpRequest, HttpResponse, RetryHandler, RetryState
from urllib3.exceptions import ConnectTimeoutError, ProtocolError, ReadTimeoutError, SSLError

_MAX_ATTEMPTS = 100  # a bound against a handler that never stops asking for another attempt
_HEADERS = {"Content-Type": "application/json;charset=utf-8"}


@dataclass(frozen=True)
class HookAnswer:
    """What a response URL answered: its status and the start of its body (for the log)."""

    status: int
    body: str


class ResponseUrlPoster:
    """POSTs JSON to response URLs; thread-safe, keeping up to `connections` connections per host.

    Give it as many connections as threads post at once (the adapter's
    workers): a post finding every kept connection busy opens one more, used
    once then closed. `close()` closes them all.
    """

    def __init__(self, retry_handlers: Sequence[RetryHandler], timeout: float, connections: int = 4,
                 tls: ssl.SSLContext | None = None) -> None:
        """`tls`: the certificates to trust, when not the system's (a proxy's own authority, a benchmark's)."""
        self.retry_handlers = list(retry_handlers)
        self._pool = urllib3.PoolManager(num_pools=4, maxsize=connections, block=False, retries=False,
                                         timeout=urllib3.Timeout(connect=timeout, read=timeout), ssl_context=tls)

    def post(self, url: str, body: dict[str, Any]) -> HookAnswer:
        """POST `body` as JSON, with retries; raises OSError or urllib3's HTTPError when it never got an answer."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("a response URL must be an http(s) URL")
        data = json.dumps(body).encode("utf-8")
        request = HttpRequest(method="POST", url=url, headers=dict(_HEADERS), data=data)
        state = RetryState()
        for _ in range(_MAX_ATTEMPTS):
            state.next_attempt_requested = False
            response: HttpResponse | None = None
            error: Exception | None = None
            try:
                answer = self._pool.request("POST", url, body=data, headers=_HEADERS, redirect=False)
                if answer.status == 200:
                    return HookAnswer(200, _text(answer))
                response = HttpResponse(status_code=answer.status, data=answer.data,
                                        headers={k: answer.headers.getlist(k) for k in answer.headers})
            except urllib3.exceptions.HTTPError as exc:
                error = _as_urllib_error(exc)
            for handler in self.retry_handlers:
                if handler.can_retry(state=state, request=request, response=response, error=error):
                    handler.prepare_for_next_attempt(state=state, request=request, response=response, error=error)
                    break
            if not state.next_attempt_requested:
                if error is not None:
                    raise _unwrapped(error)
                return HookAnswer(answer.status, _text(answer))
        raise ConnectionError("response URL: too many attempts")

    def close(self) -> None:
        """Close every kept connection (the adapter's workers have ended)."""
        self._pool.clear()


def _text(answer: urllib3.BaseHTTPResponse) -> str:
    return answer.data.decode("utf-8", errors="replace")


def _as_urllib_error(exc: urllib3.exceptions.HTTPError) -> Exception:
    """The error urllib, `WebhookClient`'s transport, raises for the same failure, so the handlers judge it alike.

    A connection that cannot be opened (refused, unknown host, TLS refused,
    timed out) is a URLError; a connection dropped during the exchange is the
    plain OSError (reset) or http.client error (closed without an answer); a
    read that timed out is a TimeoutError.
    """
    if isinstance(exc, (ConnectTimeoutError, SSLError)):  # NewConnectionError is a ConnectTimeoutError
        return URLError(exc.__cause__ if isinstance(exc.__cause__, OSError) else exc)
    if isinstance(exc, ProtocolError) and len(exc.args) > 1 and isinstance(exc.args[1], Exception):
        return exc.args[1]
    if isinstance(exc, ReadTimeoutError):
        return TimeoutError(str(exc))
    return exc


def _unwrapped(error: Exception) -> Exception:
    """What the caller sees once the retries are spent: the OSError itself rather than urllib's wrapper."""
    if isinstance(error, URLError) and isinstance(error.reason, Exception):
        return error.reason
    return error
