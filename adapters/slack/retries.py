"""One answer per Slack request, however often Slack sends it.

Slack sends a request again when it got no acknowledgement in time
(`X-Slack-Retry-Num` over HTTP, `retry_attempt` in Socket Mode), and the copy
is the same request: the same trigger_id and response URL. Since a command
is stored before it is acknowledged, a copy arriving while the first is
still being stored, or after it was, must not store it a second time. Each
request is therefore run under a key made of what identifies it (`command_key`,
`action_key`); a copy waits for the first run's result and answers with it.

This memory is the process's own. A copy reaching another process, or this
one after a restart, is run again; its log has the first one's id (made from
the trigger_id, `bot.core.identity.Delivery`), and the engine stores no
second one (`Services.add_event`).

Keys are kept for `RETRY_WINDOW_S`, longer than Slack's last retry (about 5
minutes after the first attempt, https://api.slack.com/apis/events-api#retries),
and at most `MAX_KEYS` of them. Written here rather than taken from a library:
it is a dictionary of futures, and Bolt itself only tells a retry from a first
attempt, not whether the first attempt was already handled.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, Callable, Generic, Hashable, Mapping, TypeVar

T = TypeVar("T")

RETRY_WINDOW_S = 15 * 60.0
MAX_KEYS = 50_000


def command_key(body: Mapping[str, Any]) -> tuple[Any, ...]:
    """What identifies one slash command: who, where, what, and its trigger and response URL (unique per command)."""
    return ("command", body.get("enterprise_id"), body.get("team_id"), body.get("user_id"), body.get("command"),
            body.get("text"), body.get("trigger_id"), body.get("response_url"))


def action_key(body: Mapping[str, Any], action: Mapping[str, Any]) -> tuple[Any, ...]:
    """What identifies one button press: who, which button, its value and the moment it was pressed."""
    user = body.get("user") or {}
    return ("action", user.get("team_id"), user.get("id"), body.get("trigger_id"), action.get("action_id"),
            action.get("value"), action.get("action_ts"))


class OnceByKey(Generic[T]):
    """Run `work` once per key; a second call with the key gets the first one's result (see the module docstring)."""

    def __init__(self, window: float = RETRY_WINDOW_S, max_keys: int = MAX_KEYS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.window, self.max_keys, self.clock = window, max_keys, clock
        self._runs: OrderedDict[Hashable, tuple[float, Future[T]]] = OrderedDict()
        self._lock = threading.Lock()

    def run(self, key: Hashable, work: Callable[[], T], wait: float,
            keep: Callable[[T], T] = lambda result: result) -> tuple[T | None, bool]:
        """(result, True) for the first call with `key`; (the first call's result, False) for a copy.

        A copy waits at most `wait` seconds for the first call to finish, and
        gets None when it has not (or when it failed). What is kept for copies
        is `keep(result)`: only what a copy needs (a reply's files, say, are
        not kept in memory for the retry window).
        """
        now = self.clock()
        with self._lock:
            while self._runs and (len(self._runs) >= self.max_keys or next(iter(self._runs.values()))[0] < now - self.window):
                self._runs.popitem(last=False)
            seen = self._runs.get(key)
            if seen is None:
                future: Future[T] = Future()
                self._runs[key] = (now, future)
        if seen is not None:
            try:
                return seen[1].result(timeout=wait), False
            except (FutureTimeout, Exception):
                return None, False
        try:
            result = work()
        except BaseException as exc:
            future.set_exception(exc)
            raise
        future.set_result(keep(result))
        return result, True
