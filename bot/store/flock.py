"""The embedded store's lock between processes: an advisory `flock` on a lock file whose descriptor is kept open.

Written here rather than taken from `filelock` (which the store used before):
filelock opens, checks and closes its lock file on every acquisition, and
tracks forks; on this machine one acquisition and release took 175 µs against
1.4 µs for `flock` on a descriptor kept open (5,000 of each, 2 December 2026),
and a log takes the lock two or three times (its burst window, the day file,
the member's record). What is kept of filelock's behaviour: the lock is
shared by the threads of a process and counts nested acquisitions (callers
order their threads with a mutex of their own), a held lock is released by
the kernel when its process dies (kill -9 included), and a lock not obtained
within the timeout raises `LockTimeout`.

A lock file removed or replaced while open (a workspace deleted and created
again) would leave this process locking a file no other process opens: after
each acquisition the descriptor is checked to be still the file at the path,
and reopened when it is not. POSIX only, as the rest of the embedded store.
"""

from __future__ import annotations

import fcntl
import os
import time

POLL_S = 0.001  # how often a waiting acquisition tries again


class LockTimeout(OSError):
    """The lock was not obtained within the timeout: another process holds it."""


class ProcessLock:
    """An exclusive lock on `path` between processes; see the module docstring."""

    def __init__(self, path: str, timeout: float) -> None:
        self.lock_file = path
        self.timeout = timeout
        self._fd: int | None = None
        self._depth = 0

    def acquire(self) -> None:
        """Take the lock (or count one more level if this process holds it); LockTimeout, OSError."""
        if self._depth:
            self._depth += 1
            return
        deadline = time.monotonic() + self.timeout
        while True:
            if self._fd is None:
                self._fd = os.open(self.lock_file, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeout(f"lock not obtained within {self.timeout} s: {self.lock_file}") from None
                time.sleep(POLL_S)
                continue
            if self._still_the_file():
                self._depth = 1
                return
            self._close()  # removed or replaced meanwhile: lock the file now at the path

    def release(self) -> None:
        if self._depth == 0:
            return
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    @property
    def is_locked(self) -> bool:
        return self._depth > 0

    def close(self) -> None:
        """Release and forget the descriptor (the store is closing)."""
        self._depth = 0
        self._close()

    def __del__(self) -> None:  # a lock nobody refers to any more is not held: give its descriptor back
        self._close()

    def _still_the_file(self) -> bool:
        assert self._fd is not None
        try:
            here = os.stat(self.lock_file)
        except FileNotFoundError:
            return False
        mine = os.fstat(self._fd)
        return (here.st_dev, here.st_ino) == (mine.st_dev, mine.st_ino)

    def _close(self) -> None:
        if self._fd is not None:
            try:
                os.close(self._fd)  # closing the descriptor also drops its flock
            except OSError:
                pass
            self._fd = None

    def __enter__(self) -> "ProcessLock":
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


__all__ = ["LockTimeout", "ProcessLock"]
