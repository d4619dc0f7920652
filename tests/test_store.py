"""The embedded store: atomic writes, crashes, concurrent writers, corruption, isolation."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.errors import StoreCorrupt, StoreWriteError
from bot.store import AVOIDED, GENERATED, Event, TinyStore, open_store
from bot.store.atomic import write_json_atomic
from bot.store.member_files import id_of_name, safe_name

ROOT = Path(__file__).resolve().parent.parent
PARIS = ZoneInfo("Europe/Paris")
NOW = 1_795_000_000.0  # Wednesday 18 November 2026, 12:06 in Paris


def ev(i: int, user: str = "U1", ts: float = NOW, type_: str = GENERATED, kind: str = "image", count: int = 1) -> Event:
    return Event(id=f"e{i}", ts=ts, user=user, type=type_, kind=kind, count=count, zone="USA")


def test_events_are_counted_per_day_week_month_and_all(tmp_path: Path) -> None:
    s = open_store(tmp_path)
    s.add_event("T1", ev(1, count=3))
    s.add_event("T1", ev(2, user="U2", type_=AVOIDED, count=2))
    s.add_event("T1", ev(3, ts=NOW - 40 * 86400))
    c = s.counts("T1", PARIS, ["d:2026-11-18", "w:2026-W47", "m:2026-11", "all"])
    assert c["d:2026-11-18"]["U1"].generations == 3
    assert c["w:2026-W47"]["U2"].avoided == 2
    assert c["m:2026-11"]["U1"].generations == 3
    assert c["all"]["U1"].generations == 4 and c["all"]["U1"].gen_logs == 2


def test_counts_see_writes_from_another_store_object(tmp_path: Path) -> None:
    a, b = TinyStore(tmp_path), TinyStore(tmp_path)
    a.add_event("T1", ev(1))
    assert b.counts("T1", PARIS, ["all"])["all"]["U1"].generations == 1
    b.add_event("T1", ev(2))
    assert a.counts("T1", PARIS, ["all"])["all"]["U1"].generations == 2


def test_workspaces_never_mix(tmp_path: Path) -> None:
    s = open_store(tmp_path)
    s.add_event("T1", ev(1))
    s.add_event("T2", ev(2, count=5))
    s.update_member("T1", "U1", name="A")
    assert s.counts("T1", PARIS, ["all"])["all"]["U1"].generations == 1
    assert s.counts("T2", PARIS, ["all"])["all"]["U1"].generations == 5
    assert s.members("T2") == [] and s.get_event("T2", "e1") is None
    assert not s.remove_event("T2", "e1") and s.get_event("T1", "e1") is not None
    assert sorted(s.workspaces()) == ["T1", "T2"]


def test_odd_workspace_ids_get_their_own_folder(tmp_path: Path) -> None:
    s = open_store(tmp_path)
    s.add_event("E1:T2", ev(1))
    s.add_event("../../etc", ev(2))
    assert sorted(s.workspaces()) == ["../../etc", "E1:T2"]
    assert all(p.parent == tmp_path / "workspaces" for p in (tmp_path / "workspaces").iterdir())


def test_forget_member_removes_events_and_preferences(tmp_path: Path) -> None:
    s = open_store(tmp_path)
    s.add_events("T1", [ev(i, ts=NOW - i * 86400) for i in range(5)] + [ev(9, user="U2")])
    s.update_member("T1", "U1", name="A", nudges=True)
    assert s.forget_member("T1", "U1") == 5
    assert s.member("T1", "U1") is None and s.member_events("T1", "U1") == []
    assert "U1" not in s.counts("T1", PARIS, ["all"])["all"]
    assert s.counts("T1", PARIS, ["all"])["all"]["U2"].generations == 1
    for f in (tmp_path / "workspaces" / "T1").rglob("*.json"):
        assert '"U1"' not in f.read_text()


def test_summary_claims_are_exactly_once(tmp_path: Path) -> None:
    a, b = TinyStore(tmp_path), TinyStore(tmp_path)
    assert a.claim_summary("T1", "monthly", "2026-11")
    assert not b.claim_summary("T1", "monthly", "2026-11")
    assert b.claim_summary("T1", "weekly", "2026-W48")


def test_a_corrupted_file_is_reported_with_its_name_and_line(tmp_path: Path) -> None:
    s = open_store(tmp_path)
    s.add_event("T1", ev(1))
    path = next((tmp_path / "workspaces" / "T1" / "events").glob("*.json"))
    path.write_text('{"events": {"1": {"id": "e1",\n  "ts": oops}}}')
    fresh = open_store(tmp_path)
    with pytest.raises(StoreCorrupt) as err:
        fresh.counts("T1", PARIS, ["all"])
    assert path.name in str(err.value) and "line 2" in str(err.value)
    assert path.read_text().startswith('{"events"')  # never silently reset


@pytest.mark.parametrize(("call", "day"), [("pwrite", 0), ("fdatasync", 0), ("fsync", 1)],
                         ids=["append-refused", "append-not-flushed", "new-day-file-not-flushed"])
def test_failed_write_leaves_the_file_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, call: str,
                                             day: int) -> None:
    """A log goes over the day file's end (pwrite, fdatasync), or into a new file (fsync, rename): a disk that
    refuses either leaves every file as it was."""
    s = open_store(tmp_path)
    s.add_event("T1", ev(1))
    before = {p: p.read_bytes() for p in (tmp_path / "workspaces").rglob("*.json")}

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, call, full_disk)
    with pytest.raises(StoreWriteError):
        s.add_event("T1", ev(2, ts=NOW + day * 86400))
    monkeypatch.undo()
    assert {p: p.read_bytes() for p in (tmp_path / "workspaces").rglob("*.json")} == before
    assert not list((tmp_path / "workspaces").rglob("*.tmp"))
    assert s.counts("T1", PARIS, ["all"])["all"]["U1"].generations == 1
    s.add_event("T1", ev(3))
    assert s.counts("T1", PARIS, ["all"])["all"]["U1"].generations == 2


def test_atomic_write_never_shows_a_partial_file(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    write_json_atomic(path, {"n": 0})
    stop, seen, errors = threading.Event(), [], []

    def reader() -> None:
        while not stop.is_set():
            try:
                seen.append(json.loads(path.read_text())["n"])
            except Exception as exc:  # a partial file would fail to parse
                errors.append(exc)

    t = threading.Thread(target=reader)
    t.start()
    for i in range(1, 200):
        write_json_atomic(path, {"n": i, "pad": "x" * 20_000})
    stop.set()
    t.join()
    assert errors == [] and seen and seen == sorted(seen)


WRITER = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {root!r})
    from bot.store import Event, TinyStore
    store = TinyStore(sys.argv[1])
    prefix, n = sys.argv[2], int(sys.argv[3])
    for i in range(n):
        store.add_event("T1", Event(id=f"{{prefix}}-{{i}}", ts=time.time(), user=prefix, type="gen",
                                    kind="text", count=1, zone="USA"))
        print(f"{{prefix}}-{{i}}", flush=True)
    """
)


def _writer(tmp_path: Path, prefix: str, n: int) -> subprocess.Popen:
    script = tmp_path / "writer.py"
    script.write_text(WRITER.format(root=str(ROOT)))
    return subprocess.Popen([sys.executable, str(script), str(tmp_path / "data"), prefix, str(n)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_sigkill_during_writes_keeps_every_acknowledged_event(tmp_path: Path) -> None:
    proc = _writer(tmp_path, "k", 100_000)
    acked = []
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    while len(acked) < 300 and time.monotonic() < deadline:
        acked.append(proc.stdout.readline().strip())
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    acked += [line.strip() for line in proc.stdout if line.strip()]  # lines already printed before the kill
    assert len(acked) >= 300
    store = TinyStore(tmp_path / "data")
    ids = {e.id for e in store.member_events("T1", "k")}
    assert set(acked) <= ids
    store.add_event("T1", ev(0))  # the next writer cleans up what the killed one left
    assert not list((tmp_path / "data").rglob("*.tmp"))


def test_two_processes_writing_500_events_each_leave_1000(tmp_path: Path) -> None:
    procs = [_writer(tmp_path, p, 500) for p in ("a", "b")]
    for p in procs:
        out, err = p.communicate(timeout=240)
        assert p.returncode == 0, err
        assert len(out.split()) == 500
    store = TinyStore(tmp_path / "data")
    all_counts = store.counts("T1", PARIS, ["all"])["all"]
    assert all_counts["a"].generations == 500 and all_counts["b"].generations == 500
    ids = [e.id for u in ("a", "b") for e in store.member_events("T1", u)]
    assert len(ids) == len(set(ids)) == 1000


def test_threads_sharing_one_store_lose_nothing(tmp_path: Path) -> None:
    s = open_store(tmp_path)

    def work(t: int) -> None:
        for i in range(50):
            s.add_event("T1", ev(t * 1000 + i, user=f"U{t}", ts=time.time()))

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    c = s.counts("T1", PARIS, ["all"])["all"]
    assert sum(x.generations for x in c.values()) == 200


def test_retention_deletes_old_events_but_keeps_monthly_totals(tmp_path: Path) -> None:
    s = TinyStore(tmp_path)
    day = 86400.0
    old = [Event(id=f"o{i}", ts=NOW - 100 * day + i * 3600, user="U1", type=GENERATED, kind="image", count=2, zone="USA")
           for i in range(5)]
    recent = [ev(i, ts=NOW - i * day) for i in range(3)]
    s.add_events("T1", old + recent + [Event(id="x", ts=NOW - 100 * day, user="U2", type=AVOIDED, kind="text",
                                             count=4, zone="USA")])
    month_of_old = "m:2026-08"
    before = s.counts("T1", PARIS, [month_of_old, "all"])
    rolled, deleted = s.apply_retention("T1", PARIS, keep_months=2, now_ts=NOW)
    assert rolled == 1 and deleted == 6
    assert len(s.member_events("T1", "U1")) == 3  # raw events of August are gone
    fresh = TinyStore(tmp_path)
    after = fresh.counts("T1", PARIS, [month_of_old, "all"])
    for key in (month_of_old, "all"):
        assert {u: c.to_dict() for u, c in after[key].items()} == {u: c.to_dict() for u, c in before[key].items()}
    assert fresh.apply_retention("T1", PARIS, keep_months=2, now_ts=NOW) == (0, 0)  # idempotent
    fresh.forget_member("T1", "U2")
    assert "U2" not in fresh.counts("T1", PARIS, ["all"])["all"]
    assert '"U2"' not in (tmp_path / "workspaces" / "T1" / "rollups.json").read_text()


def test_a_read_only_data_directory_refuses_writes_without_hanging(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    s = open_store(tmp_path)
    s.add_event("T1", ev(1))
    real_open = os.open

    def read_only(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(30, "Read-only file system")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    monkeypatch.setattr("tempfile._os.open", read_only, raising=False)
    for workspace in ("T1", "T-new"):  # an existing workspace (lock file there) and a new one
        with pytest.raises(StoreWriteError):
            s.add_event(workspace, ev(2))
    seen = []
    reader = threading.Thread(target=lambda: seen.append(s.counts("T1", PARIS, ["all"])["all"]["U1"].generations))
    reader.start()
    reader.join(timeout=10)
    assert seen == [1]  # another thread can still read: no lock was left held
    monkeypatch.undo()
    s.add_event("T1", ev(3))
    assert s.counts("T1", PARIS, ["all"])["all"]["U1"].generations == 2


@given(st.text(min_size=1))
def test_every_id_has_a_file_name_of_its_own_that_reads_back(text: str) -> None:
    name = safe_name(text)
    assert re.fullmatch(r"[A-Za-z0-9_%-]+", name) and id_of_name(name) == text


def test_two_workspaces_whose_ids_once_shared_a_folder_keep_apart(tmp_path: Path) -> None:
    """« Ω » (U+03A9) was quoted %3A9, as « :9 » is: one folder, one store for two workspaces."""
    store = TinyStore(tmp_path)
    store.update_member("Ω", "U1", name="Alpha")
    store.update_member(":9", "U1", name="Neuf")
    assert sorted(store.workspaces()) == [":9", "Ω"]
    assert store.member("Ω", "U1")["name"] == "Alpha" and store.member(":9", "U1")["name"] == "Neuf"  # type: ignore[index]
