"""The shared HTTP server (adapters/http_server.py): cheroot serving the path router, on 127.0.0.1.

Slack's own route is tested through the whole adapter in test_slack_http.py
and test_payloads.py; these tests give the server small WSGI apps of their
own, to check what it promises any front-end mounted on it: routes, the body
limit (also for a body sent in chunks), kept-alive connections, one log line
for a client that hangs up or stalls, and a graceful, bounded stop.
"""

from __future__ import annotations

import http.client
import logging
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Iterator

import pytest

from adapters.http_server import BodyLimit, HttpServer, Routes, plain

LIMIT = BodyLimit(max_bytes=1000, discard_max_bytes=100_000, discard_timeout=2.0)


class Echo:
    """A WSGI app answering what it received: the body, and the CONTENT_LENGTH it was given."""

    def __init__(self) -> None:
        self.seen: list[tuple[bytes, str]] = []

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        body = environ["wsgi.input"].read()
        self.seen.append((body, environ["CONTENT_LENGTH"]))
        return plain(start_response, 200, body.decode())


@pytest.fixture
def echo() -> Echo:
    return Echo()


@pytest.fixture
def server(echo: Echo) -> Iterator[HttpServer]:
    routes = Routes(LIMIT)
    routes.add("POST", "/echo", echo)
    served = HttpServer(routes, "127.0.0.1", 0, read_timeout=1.0, shutdown_timeout=1.0).start()
    yield served
    served.stop()


def request(port: int, method: str, path: str, body: Any = None,
            headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = headers or {}
    conn.request(method, path, body=body, headers=headers, encode_chunked="Transfer-Encoding" in headers)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


def test_routes_by_path_then_method(server: HttpServer, echo: Echo) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", "/")
    answer = conn.getresponse()
    assert (answer.status, answer.read()) == (200, b"ok")
    conn.request("POST", "/echo?x=1", body=b"bonjour")
    answer = conn.getresponse()
    assert (answer.status, answer.read()) == (200, b"bonjour")
    assert echo.seen == [(b"bonjour", "7")]
    conn.close()
    assert request(server.port, "GET", "/nowhere").status == 404
    answer = request(server.port, "GET", "/echo")
    assert answer.status == 405 and answer.getheader("Allow") == "POST"
    assert request(server.port, "DELETE", "/").getheader("Allow") == "GET"


def test_a_kept_alive_connection_carries_several_requests(server: HttpServer) -> None:
    accepted: list[int] = []
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        for n in range(3):
            sock.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n" + f"{n:02d}".encode())
            data = b""
            while not data.endswith(f"{n:02d}".encode()):
                data += sock.recv(4096)
            accepted.append(int(data.split(b" ", 2)[1]))
    assert accepted == [200, 200, 200]


def test_a_body_over_the_limit_is_refused_and_never_reaches_the_app(server: HttpServer, echo: Echo) -> None:
    assert request(server.port, "POST", "/echo", b"x" * 1000).status == 200
    assert request(server.port, "POST", "/echo", b"x" * 1001).status == 413
    assert request(server.port, "POST", "/echo", b"x" * 90_000).status == 413  # read and dropped: the answer is read
    assert request(server.port, "POST", "/nowhere", b"x" * 5000).status == 413  # checked before the route
    assert [len(body) for body, _ in echo.seen] == [1000]


def test_a_body_sent_in_chunks_is_bounded_too(server: HttpServer, echo: Echo) -> None:
    def chunked(parts: list[bytes]) -> Iterator[bytes]:
        yield from parts

    small = request(server.port, "POST", "/echo", chunked([b"abc", b"def"]), {"Transfer-Encoding": "chunked"})
    assert small.status == 200 and echo.seen == [(b"abcdef", "6")]
    large = request(server.port, "POST", "/echo", chunked([b"x" * 600, b"y" * 600]), {"Transfer-Encoding": "chunked"})
    assert large.status == 413 and len(echo.seen) == 1
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n")
        assert sock.recv(64).startswith(b"HTTP/1.1 400")  # not a chunk size
    assert len(echo.seen) == 1


def test_a_client_that_stalls_gets_408_and_one_log_line(server: HttpServer, echo: Echo,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="sobria.http"):
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
            sock.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
            assert sock.recv(64).startswith(b"HTTP/1.1 408")  # after the read timeout of 1 s
    lines = [r for r in caplog.records if r.name == "sobria.http"]
    assert len(lines) == 1 and "stopped sending its request" in lines[0].getMessage() and lines[0].exc_info is None
    assert echo.seen == []


def test_a_bug_in_an_app_is_a_500_and_a_logged_traceback_not_a_dropped_connection(
        caplog: pytest.LogCaptureFixture) -> None:
    def broken(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        raise RuntimeError("bug")

    routes = Routes(LIMIT)
    routes.add("GET", "/broken", broken)
    served = HttpServer(routes, "127.0.0.1", 0).start()
    try:
        with caplog.at_level(logging.INFO, logger="sobria.http"):
            assert request(served.port, "GET", "/broken").status == 500
            assert request(served.port, "GET", "/").status == 200  # still serving
    finally:
        served.stop()
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and errors[0].exc_info and "RuntimeError" in errors[0].getMessage()


def test_stop_finishes_the_request_in_flight_refuses_new_ones_and_is_bounded() -> None:
    entered, release = threading.Event(), threading.Event()

    def slow(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        entered.set()
        release.wait(10)
        return plain(start_response, 200, "fini")

    routes = Routes(LIMIT)
    routes.add("GET", "/slow", slow)
    served = HttpServer(routes, "127.0.0.1", 0, shutdown_timeout=3.0).start()
    with ThreadPoolExecutor(max_workers=2) as pool:
        in_flight = pool.submit(request, served.port, "GET", "/slow")
        assert entered.wait(5)
        stopping = pool.submit(served.stop)
        deadline = time.monotonic() + 2
        refused = False
        while not refused and time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", served.port), timeout=1).close()
                time.sleep(0.05)
            except OSError:
                refused = True
        assert refused and not in_flight.done()
        release.set()
        assert in_flight.result(5).status == 200  # finished, answered in full
        stopping.result(5)


def test_stop_returns_within_its_bound_when_an_app_never_finishes(caplog: pytest.LogCaptureFixture) -> None:
    entered, release = threading.Event(), threading.Event()

    def stuck(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        entered.set()
        release.wait(20)
        return plain(start_response, 200, "trop tard")

    routes = Routes(LIMIT)
    routes.add("GET", "/stuck", stuck)
    served = HttpServer(routes, "127.0.0.1", 0, shutdown_timeout=0.5).start()
    client = threading.Thread(target=lambda: _ignore_errors(request, served.port, "GET", "/stuck"), daemon=True)
    client.start()
    try:
        assert entered.wait(5)
        started = time.monotonic()
        with caplog.at_level(logging.WARNING, logger="sobria.http"):
            served.stop()
        assert time.monotonic() - started < 3.0
        assert "still running" in caplog.text
    finally:
        release.set()
        client.join(5)


def _ignore_errors(call: Any, *args: Any) -> None:
    try:
        call(*args)
    except (OSError, http.client.HTTPException):
        pass


def test_a_busy_port_is_an_oserror_at_bind() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(OSError):
            HttpServer(Routes(LIMIT), "127.0.0.1", taken.getsockname()[1]).bind()
