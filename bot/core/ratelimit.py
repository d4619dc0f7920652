"""A per-member sliding-window limit on logging commands.

A burst of logs (a script, a stuck key, someone gaming the leaderboard) is
refused politely and nothing is stored. The window lives in the process: with
several processes behind a load balancer each enforces it on what it sees,
which bounds a burst to the number of processes times the limit.
"""

from __future__ import annotations

import threading
from collections import deque


class RateLimiter:
    """At most `limit` accepted calls per `window` seconds for each key."""

    def __init__(self, limit: int, window: float = 60.0) -> None:
        self.limit, self.window = limit, window
        self._hits: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: tuple[str, str], now: float) -> bool:
        """Record a call at `now` and say whether it is within the limit (refused calls are not recorded)."""
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            if len(self._hits) > 10_000:  # forget idle members so memory stays bounded
                for k in [k for k, v in self._hits.items() if not v or v[-1] <= now - self.window]:
                    del self._hits[k]
            return True
