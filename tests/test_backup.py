"""Backups taken while writing, restore, and the doctor that names damaged files."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import threading
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.store.backup import check, list_backups, prune, restore, take_backup
from bot.core.errors import StoreCorrupt
from bot.store import Event, TinyStore

ROOT = Path(__file__).resolve().parent.parent
PARIS = ZoneInfo("Europe/Paris")


def ev(i: int, user: str = "U1") -> Event:
    return Event(id=f"e{i}", ts=time.time(), user=user, type="gen", kind="text", count=1, zone="USA")


def total(store: TinyStore, ws: str = "T1") -> int:
    return sum(c.generations for c in store.counts(ws, PARIS, ["all"])["all"].values())


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_backup_during_writes_is_consistent_and_restorable(tmp_path: Path) -> None:
    store = TinyStore(tmp_path / "data")
    store.add_events("T1", [ev(i) for i in range(100)])
    stop = threading.Event()

    def writer() -> None:
        i = 1000
        while not stop.is_set():
            store.add_event("T1", ev(i))
            i += 1

    t = threading.Thread(target=writer)
    t.start()
    try:
        archive = take_backup(store)
    finally:
        stop.set()
        t.join()
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert names and all(n.startswith("workspaces/T1/") for n in names)
    written = total(store)
    assert written > 100
    store.add_events("T2", [ev(1)])
    before = restore(store, archive)
    assert before.exists() and before != archive
    restored = total(store)
    assert 100 <= restored <= written  # exactly what was there at some instant during the backup
    assert total(store, "T2") == 0  # workspaces absent from the backup are emptied


def test_a_restore_takes_back_what_logs_remembered_too(tmp_path: Path) -> None:
    store = TinyStore(tmp_path / "data")
    store.update_member("T1", "U1", name="Camille")
    archive = take_backup(store)
    store.add_event("T1", ev(1), member={"tips_shown": {"rct": "w:2026-W20"}})  # remembered after the backup
    assert store.member("T1", "U1") == {"user": "U1", "name": "Camille", "tips_shown": {"rct": "w:2026-W20"}}
    restore(store, archive)
    assert store.member("T1", "U1") == {"user": "U1", "name": "Camille"} and total(store) == 0


def test_forget_then_backup_does_not_contain_the_member(tmp_path: Path) -> None:
    store = TinyStore(tmp_path / "data")
    store.add_events("T1", [ev(1, "U1"), ev(2, "U2")])
    store.update_member("T1", "U1", name="Camille")
    store.forget_member("T1", "U1")
    archive = take_backup(store)
    with tarfile.open(archive) as tar:
        content = b"".join(tar.extractfile(m).read() for m in tar.getmembers())
    assert b'"U1"' not in content and b"Camille" not in content and b'"U2"' in content


def test_prune_keeps_the_newest(tmp_path: Path) -> None:
    store = TinyStore(tmp_path / "data")
    store.add_event("T1", ev(1))
    made = [take_backup(store, now=1_700_000_000 + i * 86400) for i in range(5)]
    assert prune(made[0].parent, 2) == made[:3]
    assert list_backups(made[0].parent) == made[3:]


def test_check_names_the_damaged_file_and_line(tmp_path: Path) -> None:
    store = TinyStore(tmp_path / "data")
    store.add_event("T1", ev(1))
    assert check(tmp_path / "data") == []
    path = next((tmp_path / "data" / "workspaces" / "T1" / "events").glob("*.json"))
    path.write_text('{"events": {\n"1": {"id": "e1",,}}}')
    problems = check(tmp_path / "data")
    assert len(problems) == 1 and problems[0].path == path and "line 2" in problems[0].message


def test_run_refuses_a_damaged_store_and_doctor_restores_the_last_backup(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = TinyStore(data)
    store.add_events("T1", [ev(i) for i in range(3)])
    assert cli("backup", "--data-dir", str(data)).returncode == 0
    path = next((data / "workspaces" / "T1" / "events").glob("*.json"))
    path.write_text("garbage")
    run = subprocess.run([sys.executable, "-m", "bot.cli", "run", "--data-dir", str(data)], cwd=ROOT, input="/ia-stats\n",
                         capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 3 and path.name in run.stderr and "sobria doctor" in run.stderr
    assert "Traceback" not in run.stderr
    assert path.read_text() == "garbage"  # never silently reset
    doctor = cli("doctor", "--data-dir", str(data))
    assert doctor.returncode == 3 and "ABÎMÉ" in doctor.stdout and path.name in doctor.stdout
    fixed = cli("doctor", "--restore-last", "--data-dir", str(data))
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert total(TinyStore(data)) == 3


def test_restore_refuses_a_damaged_archive(tmp_path: Path) -> None:
    store = TinyStore(tmp_path / "data")
    store.add_event("T1", ev(1))
    bad = tmp_path / "bad.tar.gz"
    with tarfile.open(bad, "w:gz") as tar:
        data = b"{not json"
        info = tarfile.TarInfo("workspaces/T1/workspace.json")
        info.size = len(data)
        import io

        tar.addfile(info, io.BytesIO(data))
    with pytest.raises(StoreCorrupt):
        restore(store, bad)
    assert total(store) == 1
