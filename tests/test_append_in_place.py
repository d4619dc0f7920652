"""A log added to its day file goes over the file's closing braces (atomic.py); an append cut short is read as
the file before it, and mended by the next write."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core.errors import StoreCorrupt, StoreWriteError
from bot.store import atomic
from bot.store import Event
from bot.store.atomic import TORN_TAIL_MAX, AtomicJSONStorage, parse_store_file, read_json
from bot.store.backup import check, restore, take_backup
from bot.store import tinydb_store
from bot.store.tinydb_store import TinyStore

NOW = 1_764_000_000.0  # 24 November 2025, 16:00 UTC
PARIS = ZoneInfo("Europe/Paris")


def ev(i: int, ts: float = NOW, user: str = "U1") -> Event:
    return Event(id=f"e{i}", ts=ts + i, user=user, type="gen", kind="text", count=1, zone="FR",
                 text=f"Tu es « juriste » n°{i} — résume \"ceci\"")


def day_file(root: Path) -> Path:
    [path] = (root / "workspaces").rglob("events/*.json")
    return path


def logged(root: Path, n: int) -> tuple[TinyStore, Path]:
    """A store in `root` with the logs e1…en of one day, and their day file."""
    store = TinyStore(root)
    for i in range(1, n + 1):
        store.add_event("W", ev(i))
    return store, day_file(root)


def generations(store: TinyStore) -> int:
    return sum(c.generations for c in store.counts("W", PARIS, ["all"])["all"].values())


def test_a_log_goes_over_the_end_of_its_day_file_without_replacing_it(tmp_path: Path) -> None:
    store = TinyStore(tmp_path)
    store.add_event("W", ev(1))  # a new day file: written whole, through a rename
    path = day_file(tmp_path)
    inode = path.stat().st_ino
    for i in range(2, 6):
        store.add_event("W", ev(i))
        assert path.stat().st_ino == inode  # the same file, grown: not a new one renamed over it
        raw = path.read_bytes()
        assert raw == json.dumps(json.loads(raw), ensure_ascii=False, separators=(",", ":")).encode()
        assert store._storage(path)._payload == raw  # noqa: SLF001  # the bytes the next append checks grew too
    assert sorted(read_json(path)["events"]) == ["1", "2", "3", "4", "5"]
    assert generations(TinyStore(tmp_path)) == 5


def test_an_append_cut_short_at_any_byte_reads_as_the_file_before_it_and_the_next_log_mends_it(tmp_path: Path) -> None:
    store, path = logged(tmp_path, 3)
    before = path.read_bytes()
    store.add_event("W", ev(4))
    after = path.read_bytes()
    assert after[:len(before) - 2] == before[:-2]  # the append starts over the closing braces
    # what a write cut short can leave: the old length with the braces partly overwritten, or any longer start
    cuts = [before[:-2] + b',"', before[:-2] + b',}', *(after[:n] for n in range(len(before), len(after)))]
    for raw in cuts:
        path.write_bytes(raw)
        data, is_whole = parse_store_file(raw, path)
        written = raw.startswith(after[:-2])  # the new record went whole, only the closing braces did not
        assert not is_whole and sorted(data["events"]) == ["1", "2", "3", *(["4"] if written else [])]
        fresh = TinyStore(tmp_path)  # a process started after the crash
        assert generations(fresh) == 3 + written
        assert check(tmp_path) == []  # the bot starts: nothing acknowledged is missing
    path.write_bytes(after[:-7])  # the new record cut short
    fresh = TinyStore(tmp_path)
    fresh.add_event("W", ev(5))  # the next log rewrites the file whole, without the cut record
    assert sorted(json.loads(path.read_bytes())["events"]) == ["1", "2", "3", "4"]
    assert [e.id for e in TinyStore(tmp_path).member_events("W", "U1")] == ["e1", "e2", "e3", "e5"]


def test_an_append_whose_end_reached_the_disk_before_its_start_reads_as_the_file_before_it(tmp_path: Path) -> None:
    """A power cut may keep a later block of a write and lose an earlier one: zeros between the old end and
    the new records' end."""
    store, path = logged(tmp_path, 2)
    before = path.read_bytes()
    store.add_event("W", ev(3))
    after = path.read_bytes()
    path.write_bytes(before + b"\0" * (len(after) - len(before) - 10) + after[-10:])
    assert sorted(read_json(path)["events"]) == ["1", "2"]
    assert generations(TinyStore(tmp_path)) == 2


def test_damage_that_is_not_an_append_cut_short_is_still_reported(tmp_path: Path) -> None:
    path = tmp_path / "day.json"
    records = {str(i): {"id": f"e{i}", "text": "x" * 200} for i in range(1, 1000)}
    raw = json.dumps({"events": records}, separators=(",", ":")).encode()
    assert len(raw) > 2 * TORN_TAIL_MAX
    middle = raw.index(b'"500":')
    path.write_bytes(raw[:middle] + b"oops" + raw[middle + 4:])  # far from the end: not a cut append
    with pytest.raises(StoreCorrupt):
        read_json(path)
    path.write_bytes(b'{"events":{"1":{"id":"e1"},"2":{"id":"e2"}},"other":{"1":{')  # two tables: never appended
    with pytest.raises(StoreCorrupt):
        read_json(path)
    path.write_bytes(b'{"events":{"1":{"id":oops},"2":{"id":"e2"}}}')  # a file's first record is never appended
    with pytest.raises(StoreCorrupt):
        read_json(path)


def test_damage_inside_a_small_day_file_or_any_other_file_is_reported_not_cut(tmp_path: Path) -> None:
    store, path = logged(tmp_path, 20)
    raw = path.read_bytes()
    fifth = raw.index(b'"5":{')
    for damaged in (raw[:fifth + 9] + raw[fifth + 10:],  # a quote gone in record 5 of 20
                    raw[:-4] + raw[-3:]):  # the last record's last quote gone, the closing braces there
        path.write_bytes(damaged)
        with pytest.raises(StoreCorrupt):
            read_json(path)
        assert [p.path for p in check(tmp_path)] == [path]
    path.write_bytes(raw)
    store.update_member("W", "U1", lang="fr")
    store.update_member("W", "U2", lang="en")
    workspace = tmp_path / "workspaces" / "W" / "workspace.json"
    members = workspace.read_bytes()
    second = members.index(b'"U2"')
    workspace.write_bytes(members[:second] + members[second + 1:])  # a later member damaged: never appended to
    with pytest.raises(StoreCorrupt):
        read_json(workspace)


def test_what_a_power_cut_may_keep_of_an_append_reads_as_the_file_before_it(tmp_path: Path) -> None:
    """Blocks reach the disk in any order: zeros stand for those that did not, after what was written in order."""
    store, path = logged(tmp_path, 2)
    before = path.read_bytes()
    store.add_event("W", ev(3))
    store.add_event("W", ev(4))
    after = path.read_bytes()
    third = after[len(before) - 2:after.index(b',"4":')]  # record 3 as appended
    whole_3 = before[:-2] + third
    for raw, kept in ((whole_3 + b"\0" * 40 + after[-30:], 3),  # record 3 whole, then a lost block
                      (whole_3 + b"}" + b"\0" * 40, 3),  # one brace, then a lost block
                      (before[:-2] + third[:9] + b"\0" * 40 + after[-30:], 2)):  # record 3 cut by a lost block
        path.write_bytes(raw)
        assert len(read_json(path)["events"]) == kept and check(tmp_path) == []


def coarse_stamps(monkeypatch: pytest.MonkeyPatch) -> None:
    """The file system's times taken as all equal: a file's stamp is its inode and size only, as when two
    writes fall in the same tick of a coarse clock."""
    real_stamp = atomic.file_stamp

    def coarse(path: Path) -> atomic.Stamp | None:
        stamp = real_stamp(path)
        return None if stamp is None else (stamp[0], stamp[1], 0)

    for module in (atomic, tinydb_store):
        monkeypatch.setattr(module, "file_stamp", coarse)


def test_an_append_undone_leaves_no_trace_in_the_figures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk refuses the flush: the figures that counted the record forget it, even when the next append
    gives the file the size and time it had with the record (same length, same tick of a coarse clock: here
    the file system's times are taken as all equal)."""
    coarse_stamps(monkeypatch)
    store = TinyStore(tmp_path)
    store.add_event("W", ev(1))
    assert generations(store) == 1
    real = os.fdatasync

    def refused(fd: int) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "fdatasync", refused)
    with pytest.raises(StoreWriteError):
        store.add_event("W", ev(2, user="U1"))
    monkeypatch.setattr(os, "fdatasync", real)  # (monkeypatch.undo would give the stamps their times back)
    store.add_event("W", ev(3, user="U2"))  # as long as the undone one
    by_user = store.counts("W", PARIS, ["all"])["all"]
    assert {u: c.generations for u, c in by_user.items()} == {"U1": 1, "U2": 1}
    assert [e.id for u in ("U1", "U2") for e in store.member_events("W", u)] == ["e1", "e3"]


def test_an_append_undone_while_another_thread_read_the_day_leaves_no_trace_in_its_reads(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As above, but a reader copied the day file with the record in it during the flush (its storage pushed
    out of the store's cache meanwhile, as many workspaces do): the member's week read forgets it too."""
    coarse_stamps(monkeypatch)
    store = TinyStore(tmp_path)
    store.add_event("W", ev(1))
    [path] = (tmp_path / "workspaces").rglob("events/*.json")
    since = NOW - 3600
    real = os.fdatasync
    read: list[list[str]] = []

    def refused(fd: int) -> None:
        if not read:
            store._storages.pop(path, None)
            read.append([e.id for e in store.member_events("W", "U1", since_ts=since)])
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "fdatasync", refused)
    with pytest.raises(StoreWriteError):
        store.add_event("W", ev(2, user="U1"))
    monkeypatch.setattr(os, "fdatasync", real)
    assert read == [["e1", "e2"]]  # seen while it was being flushed
    store.add_event("W", ev(3, user="U2"))  # as long as the undone one
    store._storages.pop(path, None)
    assert [e.id for u in ("U1", "U2") for e in store.member_events("W", u, since_ts=since)] == ["e1", "e3"]
    assert store.last_event("W", "U1", since).id == "e1"  # type: ignore[union-attr]

def test_a_file_changed_under_a_stamp_already_seen_is_written_whole(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A reader that took the file's stamp, then read it once another process had appended (and undone the
    append within the same clock tick): its bytes are not the file's, so it is not appended to in place."""
    path = tmp_path / "day.json"
    storage = AtomicJSONStorage(path)
    storage.append_record("events", {"id": "e1"})
    stale = atomic.file_stamp(path)
    path.write_bytes(b'{"events":{"1":{"id":"e1"},"2":{"id":"other"}}}')
    os.truncate(path, len(b'{"events":{"1":{"id":"e1"}}}'))  # the other append undone: the old size again
    path.write_bytes(b'{"events":{"1":{"id":"e1"}}}')
    os.utime(path, ns=(stale[2], stale[2]))
    storage._forget()
    monkeypatch.setattr(atomic, "file_stamp", lambda p: stale)  # stamp taken before the other append...
    storage._payload = b'{"events":{"1":{"id":"e1"},"2":{"id":"other"}}}'  # ...bytes read while it was there
    storage._cache = {"events": {"1": {"id": "e1"}, "2": {"id": "other"}}}
    storage._stamp = stale
    monkeypatch.undo()
    storage.append_record("events", {"id": "e3"})
    assert json.loads(path.read_bytes())["events"]["3"] == {"id": "e3"}  # a whole, parseable file


def test_a_backup_taken_after_an_append_cut_short_restores(tmp_path: Path) -> None:
    store, path = logged(tmp_path / "data", 3)
    path.write_bytes(path.read_bytes()[:-7])  # the last record cut short
    archive = take_backup(TinyStore(tmp_path / "data"), tmp_path / "backups")
    store.add_event("W", ev(9))
    restore(TinyStore(tmp_path / "data"), archive)  # refuses an archive holding a file that does not parse
    assert sorted(json.loads(path.read_bytes())["events"]) == ["1", "2"]


def test_a_file_not_written_compact_is_rewritten_whole_rather_than_appended_to(tmp_path: Path) -> None:
    """Only this module's compact form is appended to: a cut there is recognised (an older TinyDB file is not)."""
    path = tmp_path / "day.json"
    path.write_text('{"events": {"1": {"id": "e1"}}}')
    inode = path.stat().st_ino
    AtomicJSONStorage(path).append_record("events", {"id": "e2"})
    assert path.read_bytes() == b'{"events":{"1":{"id":"e1"},"2":{"id":"e2"}}}' and path.stat().st_ino != inode
    AtomicJSONStorage(path).append_record("events", {"id": "e3"})
    assert read_json(path)["events"]["3"] == {"id": "e3"}


def test_an_append_larger_than_a_cut_a_reader_recognises_rewrites_the_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "day.json"
    storage = AtomicJSONStorage(path)
    storage.append_record("events", {"id": "e1"})
    storage.append_record("events", {"id": "e2"})
    inode = path.stat().st_ino
    storage.append_records("events", [{"id": f"big{i}", "text": "x" * 1000} for i in range(TORN_TAIL_MAX // 1000)])
    assert path.stat().st_ino != inode and len(read_json(path)["events"]) == 2 + TORN_TAIL_MAX // 1000
