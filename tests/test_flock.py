"""The embedded store's lock between processes (bot/store/flock.py), against real child processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.store.flock import LockTimeout, ProcessLock

ROOT = Path(__file__).resolve().parent.parent
HOLDER = (
    "import sys, time\n"
    f"sys.path.insert(0, {str(ROOT)!r})\n"
    "from bot.store.flock import ProcessLock\n"
    "lock = ProcessLock(sys.argv[1], 5.0)\n"
    "lock.acquire()\n"
    "print('held', flush=True)\n"
    "time.sleep(float(sys.argv[2]))\n"
)


def hold(path: Path, seconds: float) -> subprocess.Popen[str]:
    """A child process holding the lock for `seconds`; returns once it holds it."""
    child = subprocess.Popen([sys.executable, "-c", HOLDER, str(path), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "held"
    return child


def test_another_process_waits_then_gets_the_lock(tmp_path: Path) -> None:
    path = tmp_path / ".lock"
    child = hold(path, 0.5)
    lock = ProcessLock(str(path), 5.0)
    started = time.monotonic()
    lock.acquire()
    assert time.monotonic() - started >= 0.3  # it waited for the child
    assert lock.is_locked
    lock.release()
    child.wait(5)


def test_a_lock_not_obtained_in_time_raises_and_a_killed_holder_releases_it(tmp_path: Path) -> None:
    path = tmp_path / ".lock"
    child = hold(path, 60)
    lock = ProcessLock(str(path), 0.2)
    with pytest.raises(LockTimeout):
        lock.acquire()
    assert not lock.is_locked
    os.kill(child.pid, signal.SIGKILL)
    child.wait(5)
    lock.acquire()  # the kernel released the dead holder's lock
    lock.release()


def test_nested_acquisitions_are_counted(tmp_path: Path) -> None:
    path = tmp_path / ".lock"
    lock = ProcessLock(str(path), 0.2)
    with lock:
        with lock:
            pass
        assert lock.is_locked  # the inner release kept it
        with pytest.raises(LockTimeout):
            ProcessLock(str(path), 0.1).acquire()  # another descriptor (as another process) is refused
    assert not lock.is_locked
    ProcessLock(str(path), 0.1).acquire()


def test_a_lock_file_replaced_meanwhile_is_locked_anew(tmp_path: Path) -> None:
    path = tmp_path / ".lock"
    lock = ProcessLock(str(path), 0.2)
    with lock:
        pass
    path.unlink()  # the workspace folder removed and made again, say
    child = hold(path, 60)  # another process locks the new file
    try:
        with pytest.raises(LockTimeout):
            lock.acquire()  # this process must not take the old file's lock for the new one
    finally:
        child.kill()
        child.wait(5)


def test_a_lock_file_that_cannot_be_created_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        ProcessLock(str(tmp_path / "missing-folder" / ".lock"), 0.1).acquire()
