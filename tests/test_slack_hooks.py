"""Replies to response URLs over urllib3's kept-alive connections (adapters/slack/hooks.py), against a local server.

The retries are also exercised through the whole adapter in
test_faults_slack.py; these tests check the poster itself: one connection
carries many replies, concurrent posts each get one and keep it, a
connection the server closed while idle is replaced without losing or
doubling the reply, and slack_sdk's handlers see each failure as they would
from `WebhookClient` (Retry-After honoured, a refused connection retried).
"""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from typing import Iterator

import pytest
from slack_sdk.http_retry import builtin_handlers, jitter

from adapters.slack.app import retry_handlers
from adapters.slack.hooks import ResponseUrlPoster


class Hooks(ThreadingHTTPServer):
    """Response URLs on 127.0.0.1 that count connections and record each post; optionally hang up after one."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.connections = 0
        self.posts: list[tuple[str, dict]] = []
        self.hang_up_after_answer = False
        self.hung_up = threading.Event()
        self.lock = threading.Lock()
        self.held: threading.Barrier | None = None  # when set, each post waits there before it is answered
        self.answers: list[tuple[int, dict[str, str]]] = []  # (status, headers) to answer first, in order

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hooks/"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive unless the handler says otherwise
    server: Hooks

    def setup(self) -> None:
        super().setup()
        with self.server.lock:
            self.server.connections += 1

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with self.server.lock:
            self.server.posts.append((self.path, body))
            status, headers = self.server.answers.pop(0) if self.server.answers else (200, {})
        if self.server.held is not None:
            self.server.held.wait(5)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")
        if self.server.hang_up_after_answer:
            self.close_connection = True  # closed without telling the client, as an idle timeout does

    def finish(self) -> None:
        super().finish()
        if self.server.hang_up_after_answer:
            self.server.hung_up.set()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(autouse=True)
def _retries_without_jitter(monkeypatch):
    """slack_sdk adds up to a second of random jitter to each retry pause; without it the pauses are exact."""
    for module in (builtin_handlers, jitter):
        monkeypatch.setattr(module, "random", SimpleNamespace(random=lambda: 0.0))


@pytest.fixture
def hooks() -> Iterator[Hooks]:
    server = Hooks()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    thread.join(5)
    server.server_close()


@pytest.fixture
def poster() -> Iterator[ResponseUrlPoster]:
    p = ResponseUrlPoster(retry_handlers(), timeout=5)
    yield p
    p.close()


def test_one_connection_carries_every_reply_of_a_worker(hooks, poster):
    for i in range(5):
        answer = poster.post(f"{hooks.url}{i}", {"text": f"réponse {i}", "response_type": "ephemeral"})
        assert (answer.status, answer.body) == (200, "ok")
    assert [path for path, _ in hooks.posts] == [f"/hooks/{i}" for i in range(5)]
    assert hooks.posts[0][1] == {"text": "réponse 0", "response_type": "ephemeral"}
    assert hooks.connections == 1


def test_concurrent_posts_each_get_a_connection_and_keep_it_for_the_next_ones(hooks, poster):
    hooks.held = threading.Barrier(3)  # no post is answered before three are in flight: three connections at once
    threads = [threading.Thread(target=lambda i=i: [poster.post(f"{hooks.url}{i}-{n}", {"n": n}) for n in range(3)])
               for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(hooks.posts) == 9 and hooks.connections == 3


def test_a_rate_limited_post_waits_for_retry_after_then_is_delivered(hooks, poster):
    hooks.answers = [(429, {"Retry-After": "1"}), (500, {})]
    started = time.monotonic()
    assert poster.post(f"{hooks.url}slow", {"text": "patience"}).status == 200
    assert time.monotonic() - started >= 1.0
    assert [path for path, _ in hooks.posts] == ["/hooks/slow"] * 3 and hooks.connections == 1


def test_a_refusal_past_the_retries_is_answered_with_its_status(hooks, poster):
    hooks.answers = [(500, {})] * 3  # the first try and the two retries of a server error
    answer = poster.post(f"{hooks.url}down", {"text": "perdu"})
    assert (answer.status, answer.body) == (500, "ok") and len(hooks.posts) == 3


def test_a_connection_closed_by_the_server_while_idle_is_replaced_and_the_reply_posted_once(hooks, poster):
    hooks.hang_up_after_answer = True
    assert poster.post(f"{hooks.url}first", {"text": "un"}).status == 200
    assert hooks.hung_up.wait(5)
    assert poster.post(f"{hooks.url}second", {"text": "deux"}).status == 200
    assert [path for path, _ in hooks.posts] == ["/hooks/first", "/hooks/second"]
    assert hooks.connections == 2


def test_an_unreachable_host_raises_after_the_connection_retries(poster):
    with pytest.raises(ConnectionRefusedError):
        poster.post(f"http://127.0.0.1:{free_port()}/hooks/x", {"text": "perdu"})


def test_close_closes_the_kept_connections(hooks, poster):
    assert poster.post(f"{hooks.url}a", {"text": "un"}).status == 200
    poster.close()
    assert poster.post(f"{hooks.url}b", {"text": "deux"}).status == 200  # a new connection, as after a restart
    assert hooks.connections == 2


def test_only_http_urls_are_posted_to(poster):
    with pytest.raises(ValueError):
        poster.post("file:///etc/passwd", {"text": "x"})


def free_port() -> int:
    """A loopback port with nothing listening on it (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
