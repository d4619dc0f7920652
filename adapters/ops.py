"""What a host's load balancer and monitoring ask the HTTP server: /healthz, /readyz and /metrics.

* `GET /healthz` answers 200 "ok" as long as the process serves HTTP: a
  liveness probe (restart the process when it stops answering).
* `GET /readyz` answers 200 when the store answers a query and the chat
  platform's API is reachable, else 503 naming what is not (a readiness
  probe: send no traffic to this process meanwhile). The platform's answer is
  kept for `PLATFORM_CHECK_SECONDS`, so a probe every few seconds does not
  call Slack every few seconds.
* `GET /metrics`: prometheus-client's exposition of `bot/metrics.py` (only
  when `[metrics] enabled`).

None of the three shows a token, a workspace or a member.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable

from prometheus_client import make_wsgi_app

from bot import metrics
from adapters.http_server import Environ, Routes, StartResponse, plain

log = logging.getLogger("sobria.ops")

PLATFORM_CHECK_SECONDS = 30.0


def healthz(environ: Environ, start_response: StartResponse) -> list[bytes]:
    return plain(start_response, 200, "ok")


class Readiness:
    """The WSGI app of /readyz: the store queried at each probe, the platform's check cached a little."""

    def __init__(self, store: Any, platform_reachable: Callable[[], bool],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.store, self.platform_reachable, self.clock = store, platform_reachable, clock
        self._platform: tuple[float, bool] | None = None
        self._lock = threading.Lock()

    def _store_ok(self) -> bool:
        try:
            self.store.workspaces()
            return True
        except Exception as exc:  # any failure means "not ready"; the reason goes to the log, not to the prober
            metrics.STORE_ERRORS.labels(where="readyz").inc()
            log.warning("readiness: the store does not answer (%s)", type(exc).__name__)
            return False

    def _platform_ok(self) -> bool:
        now = self.clock()
        with self._lock:
            cached = self._platform
        if cached is not None and now - cached[0] < PLATFORM_CHECK_SECONDS:
            return cached[1]
        try:
            ok = bool(self.platform_reachable())
        except Exception as exc:
            log.warning("readiness: the chat platform is unreachable (%s)", type(exc).__name__)
            ok = False
        with self._lock:
            self._platform = (now, ok)
        return ok

    def __call__(self, environ: Environ, start_response: StartResponse) -> list[bytes]:
        failing = [name for name, ok in (("store", self._store_ok()), ("platform", self._platform_ok())) if not ok]
        if failing:
            return plain(start_response, 503, "not ready: " + ", ".join(failing))
        return plain(start_response, 200, "ready")


def add_ops_routes(routes: Routes, *, store: Any, platform_reachable: Callable[[], bool], metrics_on: bool) -> None:
    """Mount /healthz, /readyz and (when `metrics_on`) /metrics on the server's router."""
    routes.add("GET", "/healthz", healthz)
    routes.add("GET", "/readyz", Readiness(store, platform_reachable))
    if metrics_on:
        routes.add("GET", "/metrics", make_wsgi_app(metrics.registry()))
