"""A log added to its day file goes over the file's closing braces (atomic.py); an append cut short is read as
the file before it, and mended by the next write."""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core.errors import StoreCorrupt
from bot.store import Event
from bot.store.atomic import TORN_TAIL_MAX, AtomicJSONStorage, parse_store_file, read_json
from bot.store.backup import check, restore, take_backup
from bot.store.tinydb_store import TinyStore

NOW = 1_764_000_000.0  # 24 November 2025, 16:00 UTC
PARIS = ZoneInfo("Europe/Paris")


def ev(i: int, ts: float = NOW, user: str = "U1") -> Event:
    return Event(id=f"e{i}", ts=ts + i, user=user, type="gen", kind="text", count=1, zone="FR",
                 text=f"Tu es « juriste » n°{i} — résume \"ceci\"")


def day_file(root: Path) -> Path:
    [path] = (root / "workspaces").rglob("events/*.json")
    return path


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
    assert sorted(read_json(path)["events"]) == ["1", "2", "3", "4", "5"]
    assert generations(TinyStore(tmp_path)) == 5


def test_an_append_cut_short_at_any_byte_reads_as_the_file_before_it_and_the_next_log_mends_it(tmp_path: Path) -> None:
    store = TinyStore(tmp_path)
    for i in range(1, 4):
        store.add_event("W", ev(i))
    path = day_file(tmp_path)
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
    store = TinyStore(tmp_path)
    for i in range(1, 3):
        store.add_event("W", ev(i))
    path = day_file(tmp_path)
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


def test_a_backup_taken_after_an_append_cut_short_restores(tmp_path: Path) -> None:
    store = TinyStore(tmp_path / "data")
    for i in range(1, 4):
        store.add_event("W", ev(i))
    path = day_file(tmp_path / "data")
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
