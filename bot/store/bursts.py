"""The embedded store's burst windows: each member's last accepted logs, shared by the processes of one machine.

`[limits] logs_per_minute` must hold whichever process answers a member
(bot/core/ratelimit.py). For the embedded store that means processes on the
same machine and data directory, so the windows live in one small file per
workspace, `<workspace>/.bursts.json`, read and rewritten under a lock file of
its own (`.bursts.lock`), never the writers' lock: a check does not wait for a
flush of events.

The file is rewritten in place, without fsync nor rename: it records the
last minute only, so losing it in a crash costs nothing but a few hits of
memory, and a log does not pay for a second flush. It starts with a dot, so
backups skip it, and a damaged or missing file reads as empty.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import BinaryIO

from filelock import FileLock, Timeout

from bot.core.ratelimit import admit

FILE = ".bursts.json"
LOCK = ".bursts.lock"
LOCK_TIMEOUT_S = 5.0


class Bursts:
    """Burst windows of the workspaces under one data directory (one object per TinyStore)."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()  # FileLock objects are shared by threads: this orders them
        self._locks: dict[Path, FileLock] = {}

    def admit(self, ws_dir: Path, user: str, now: float, limit: int, window: float) -> bool:
        """Record a hit of `user` at `now` if it fits (see bot.core.ratelimit.admit); True when it does."""
        with self._mutex:
            lock = self._locks.get(ws_dir)
            if lock is None:
                lock = self._locks[ws_dir] = FileLock(str(ws_dir / LOCK), timeout=LOCK_TIMEOUT_S, thread_local=False)
            try:
                ws_dir.mkdir(parents=True, exist_ok=True)
                with lock, _open(ws_dir / FILE) as fh:
                    windows = _read(fh)
                    accepted, hits = admit(windows.get(user, []), now, limit, window)
                    windows[user] = hits
                    # members idle for a whole window are forgotten, so the file stays as small as the burst
                    _write(fh, {u: h for u, h in windows.items() if h and h[-1] > now - window})
                    return accepted
            except (Timeout, OSError):
                return True  # no shared window to be had: let the log through, its own write decides

    def forget(self, ws_dir: Path, user: str) -> None:
        """Drop the member's window (erasure: the file names them)."""
        with self._mutex:
            lock = self._locks.get(ws_dir) or FileLock(str(ws_dir / LOCK), timeout=LOCK_TIMEOUT_S, thread_local=False)
            self._locks[ws_dir] = lock
            if not (ws_dir / FILE).exists():
                return
            with lock, _open(ws_dir / FILE) as fh:
                windows = _read(fh)
                if windows.pop(user, None) is not None:
                    _write(fh, windows)


def _open(path: Path) -> BinaryIO:
    """The file for reading and rewriting in place, created empty if missing (not in append mode: its writes
    would all go to the end)."""
    return os.fdopen(os.open(path, os.O_RDWR | os.O_CREAT, 0o600), "r+b")


def _read(fh: BinaryIO) -> dict[str, list[float]]:
    fh.seek(0)
    try:
        data = json.loads(fh.read() or b"{}")
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(u): [float(h) for h in hits if isinstance(h, (int, float))]
            for u, hits in data.items() if isinstance(hits, list)}


def _write(fh: BinaryIO, windows: dict[str, list[float]]) -> None:
    """Rewrite the file in place: a write cut short leaves a damaged file, which reads as empty.

    Shorter content is padded with spaces (JSON ignores them) rather than the
    file truncated, which costs a millisecond on some file systems; the file
    is truncated only once it is mostly padding.
    """
    payload = json.dumps(windows, separators=(",", ":")).encode()
    size = fh.seek(0, 2)
    fh.seek(0)
    if size > 4096 and len(payload) * 4 < size:
        fh.truncate()
    elif len(payload) < size:
        payload += b" " * (size - len(payload))
    fh.write(payload)


__all__ = ["Bursts"]
