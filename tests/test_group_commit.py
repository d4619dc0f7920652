"""Group commit in the embedded store: writers of a burst share flushes, a lone writer flushes at once,
an error reaches every writer it concerns, and the files stay those of one-by-one writes (kill -9 included)."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from bot.core.errors import StoreWriteError
from bot.store import Event
from bot.store.atomic import read_json
from bot.store.group_commit import GroupCommit
from bot.store.tinydb_store import TinyStore

ROOT = Path(__file__).resolve().parent.parent


def _event(i: int, user: str = "U1", ts: float | None = None) -> Event:
    return Event(id=f"e{i}", ts=ts if ts is not None else time.time(), user=user, type="gen", kind="text",
                 count=1, zone="FR")


def test_a_lone_write_is_flushed_at_once_and_alone() -> None:
    seen: list[list[int]] = []
    commits: GroupCommit[int] = GroupCommit(lambda items: (seen.append(list(items)), [None] * len(items))[1])
    commits.submit(1)
    commits.submit(2)
    assert seen == [[1], [2]] and commits.flushes == 2


def test_writers_arriving_during_a_flush_share_the_next_one() -> None:
    release = threading.Event()
    groups: list[list[int]] = []

    def apply(items: list[int]) -> list[None]:
        groups.append(list(items))
        if len(groups) == 1:
            release.wait(5)  # the first flush is slow: the others queue meanwhile
        return [None] * len(items)

    commits: GroupCommit[int] = GroupCommit(apply)
    first = threading.Thread(target=commits.submit, args=(0,))
    first.start()
    while not groups:
        time.sleep(0.001)
    others = [threading.Thread(target=commits.submit, args=(i,)) for i in range(1, 9)]
    for t in others:
        t.start()
    time.sleep(0.2)
    release.set()
    for t in [first, *others]:
        t.join(5)
    assert groups[0] == [0] and sorted(groups[1]) == list(range(1, 9)) and commits.flushes == 2


def test_an_error_is_raised_to_its_writer_only() -> None:
    commits: GroupCommit[int] = GroupCommit(lambda items: [StoreWriteError("disk full", "x") if i % 2 else None
                                                           for i in items])
    commits.submit(2)
    with pytest.raises(StoreWriteError):
        commits.submit(3)


def test_concurrent_logs_are_all_stored_with_fewer_flushes_and_exact_figures(tmp_path: Path) -> None:
    from zoneinfo import ZoneInfo

    store = TinyStore(tmp_path)
    tz = ZoneInfo("Europe/Paris")
    store.add_event("W", _event(-1, "U9"))
    store.counts("W", tz, ["all"])  # figures cached before the burst, moved on by each group
    threads = [threading.Thread(target=lambda k=k: [store.add_event("W", _event(k * 100 + j, f"U{k}"))
                                                   for j in range(25)]) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    ids = [e.id for k in range(8) for e in store.member_events("W", f"U{k}")]
    assert sorted(ids) == sorted(f"e{k * 100 + j}" for k in range(8) for j in range(25))
    assert store._commits.flushes < 1 + 200  # fewer groups than logs (the flushes themselves: the test below)
    counts = store.counts("W", tz, ["all"])["all"]
    assert sum(c.gen_logs for c in counts.values()) == 201
    fresh = TinyStore(tmp_path)  # the files alone say the same
    assert sum(c.gen_logs for c in fresh.counts("W", tz, ["all"])["all"].values()) == 201


def test_the_disk_is_flushed_once_for_a_lone_log_and_once_per_group_in_a_burst(tmp_path: Path, monkeypatch) -> None:
    """Counted on the real store's own flushes, with a disk slowed to 5 ms a flush (writers arriving meanwhile
    wait for the next one, as on a busy disk)."""
    store = TinyStore(tmp_path)
    store.add_event("W", _event(0))  # the day's file exists: a log is now an append
    flushes: list[str] = []
    real_fdatasync, real_fsync = os.fdatasync, os.fsync

    def slow(name: str, call: Any) -> Any:
        def flush(fd: int) -> None:
            flushes.append(name)
            time.sleep(0.005)
            call(fd)
        return flush

    monkeypatch.setattr(os, "fdatasync", slow("fdatasync", real_fdatasync))
    monkeypatch.setattr(os, "fsync", slow("fsync", real_fsync))
    store.add_event("W", _event(1))
    assert flushes == ["fdatasync"]  # a lone log: one flush, of its day file
    flushes.clear()
    threads = [threading.Thread(target=lambda k=k: [store.add_event("W", _event(k * 100 + j + 10, f"U{k}"))
                                                   for j in range(25)]) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(store.member_events("W", "U7")) == 25
    assert set(flushes) == {"fdatasync"} and len(flushes) <= 200 // 2, f"{len(flushes)} flushes for 200 logs"


@pytest.mark.parametrize(("call", "code"), [("replace", errno.ENOSPC), ("fsync", errno.EROFS)],
                         ids=["disk-full", "read-only"])
def test_a_refusing_disk_fails_every_writer_of_the_group_and_keeps_what_was_stored(tmp_path: Path, monkeypatch,
                                                                                  call: str, code: int) -> None:
    from test_faults_slack import WriteFault, store_files

    store = TinyStore(tmp_path)
    store.add_event("W", _event(0))
    before = store_files(tmp_path)
    fault = WriteFault(tmp_path, call, code)
    fault.install(monkeypatch)
    failures: list[BaseException] = []

    def write(i: int) -> None:
        try:
            store.add_event("W", _event(i))
        except StoreWriteError as exc:
            failures.append(exc)

    with fault.during():
        threads = [threading.Thread(target=write, args=(i,)) for i in range(1, 9)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
    assert len(failures) == 8 and fault.hits >= 1
    assert store_files(tmp_path) == before  # nothing half-written, no temporary file left
    assert [e.id for e in store.member_events("W", "U1")] == ["e0"]  # nor in memory
    store.add_event("W", _event(9))  # room again: the next write is stored
    assert [e.id for e in TinyStore(tmp_path).member_events("W", "U1")] == ["e0", "e9"]


WRITER = textwrap.dedent("""
    import sys, threading, time
    sys.path.insert(0, {root!r})
    from bot.store import Event
    from bot.store.tinydb_store import TinyStore
    store = TinyStore(sys.argv[1])
    lock = threading.Lock()
    def write(k):
        for j in range(100000):
            store.add_event("W", Event(id=f"e{{k}}-{{j}}", ts=time.time(), user=f"U{{k}}", type="gen", kind="text",
                                       count=1, zone="FR"))
            with lock:
                print(f"e{{k}}-{{j}}", flush=True)
    for k in range(8):
        threading.Thread(target=write, args=(k,), daemon=True).start()
    time.sleep(60)
""")


def test_kill_9_in_a_burst_keeps_every_returned_write_once_and_the_files_readable(tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", WRITER.format(root=str(ROOT)), str(tmp_path)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    returned: list[str] = []
    while len(returned) < 300:
        line = proc.stdout.readline()
        assert line, "the writer died"
        returned.append(line.strip())
    proc.send_signal(signal.SIGKILL)
    returned += [line.strip() for line in proc.stdout]
    proc.wait()
    ids: list[str] = []
    for path in (tmp_path / "workspaces").glob("*/events/*.json"):
        ids += [d["id"] for d in read_json(path)["events"].values()]  # as the store reads it (a cut append left out)
    assert len(ids) == len(set(ids)), "an event stored twice"
    assert set(returned) <= set(ids), "a write that returned is lost"
