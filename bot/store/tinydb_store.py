"""The embedded default store: TinyDB files in a data directory.

Layout (one folder per workspace, so no query can mix two of them):

    <data_dir>/workspaces/<workspace>/workspace.json      settings, members, summaries sent
    <data_dir>/workspaces/<workspace>/events/YYYY-MM-DD.json   events of one UTC day
    <data_dir>/workspaces/<workspace>/rollups.json        monthly totals kept after retention deletes old events
    <data_dir>/workspaces/<workspace>/.lock                writers' lock

Why day files: TinyDB rewrites a whole file on every write, so a log must only
touch a small file whatever the history. Figures are computed per file and
cached by the file's change stamp, so years of untouched history are read once.
Every write happens under the workspace's file lock (threads and processes)
and goes through an atomic, fsynced rename, except a log added to an existing
day file, which is written over the file's closing braces and fdatasynced
(see atomic.py: a reader recognises such an append cut short). Logs that arrive
while another is being flushed are appended together by the next flush, one
write per day file (a group commit, see group_commit.py): a burst of commands
shares its fsyncs instead of queueing behind each other's.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from array import array
from bisect import bisect_left
from collections import OrderedDict
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, NamedTuple, Sequence
from zoneinfo import ZoneInfo

from tinydb import Query, TinyDB
from tinydb.table import Document

from bot.core import periods
from bot.core.errors import StoreError, StoreWriteError
from bot.store.atomic import AtomicJSONStorage, Stamp, file_stamp, read_json
from bot.store.group_commit import GroupCommit
from bot.store import logged, saved_totals
from bot.store.member_files import id_of_name, safe_name
from bot.store.base import Counts, Event, MemberFigures, PeriodCounts, workspace_total
from bot.store.bursts import Bursts
from bot.store.flock import LockTimeout, ProcessLock
from bot.store.tally import Groups, Keys, add_to_groups, merge_into, tally

log = logging.getLogger(__name__)

_DAY_FILE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.json$")
LOCK_TIMEOUT_S = 10.0
UTC = ZoneInfo("UTC")


def workspace_dirname(workspace: str) -> str:
    """A file-system-safe folder name for a workspace id, one per id (`member_files.id_of_name` reads it back)."""
    return safe_name(workspace)


class _Cached(NamedTuple):
    """A period's counts (per member, or the workspace's total) and the stamps of the files they came from."""

    names: dict[str, int]  # day file name -> its index in stamps
    stamps: tuple[Stamp | None, ...]
    total: PeriodCounts | Counts


class _LRU(OrderedDict):
    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def get_or(self, key: Any) -> Any:
        value = self.get(key)
        if value is not None:
            self.move_to_end(key)
        return value

    def put(self, key: Any, value: Any) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.size:
            self.popitem(last=False)


class _WritersLock:
    """`TinyStore._locked`'s guard (a class of its own: defining one at every call made a lock and its release 27 µs, now 9)."""

    __slots__ = ("store", "workspace", "lock", "readers_too")

    def __init__(self, store: "TinyStore", workspace: str, lock: ProcessLock, readers_too: bool) -> None:
        self.store, self.workspace, self.lock, self.readers_too = store, workspace, lock, readers_too

    def __enter__(self) -> None:
        store, lock = self.store, self.lock
        if store._mutex._is_owned() and not store._writers._is_owned():  # type: ignore[attr-defined]
            if not store._writers.acquire(blocking=False):
                raise StoreWriteError("the data directory is busy (a flush is under way)", lock.lock_file)
        else:
            store._writers.acquire()
        store._mutex.acquire()
        try:
            lock.acquire()
        except LockTimeout as exc:
            store._mutex.release()
            store._writers.release()
            raise StoreWriteError("the data directory is busy (lock not obtained)", lock.lock_file) from exc
        except OSError as exc:  # read-only or full disk: the lock file cannot be created
            store._mutex.release()
            store._writers.release()
            raise StoreWriteError(f"cannot lock the data directory: {exc.strerror or exc}", lock.lock_file) from exc
        except BaseException:
            store._mutex.release()
            store._writers.release()
            raise
        if self.workspace not in store._cleaned:
            store._cleanup_temp_files(self.workspace)
            store._cleaned.add(self.workspace)
        if not self.readers_too:
            store._mutex.release()

    def __exit__(self, *exc: Any) -> None:
        try:
            self.lock.release()
        finally:
            if self.readers_too:
                self.store._mutex.release()
            self.store._writers.release()


class TinyStore:
    """Store implementation on TinyDB; see the module docstring."""

    def __init__(self, data_dir: str | os.PathLike[str], clock: Callable[[], float] = time.time) -> None:
        self.root = Path(data_dir)
        self._clock = clock  # what is finished (`_saved_period`) is judged at the engine's time, not another
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "workspaces").mkdir(exist_ok=True)
        self._mutex = threading.RLock()  # readers and the caches
        self._writers = threading.RLock()  # this process's writers, one at a time (then the file lock: processes)
        # Parsed files and per-file counts are kept only for recent files (the current week and
        # month are re-counted after each write); older history lives on as period totals only,
        # so memory stays small whatever the history.
        self._storages: _LRU = _LRU(48)  # path -> AtomicJSONStorage (keeps parsed data)
        # The last few day files read (not written) by this process: a week's logs of one member (the
        # weekly prompting tip) reads the same few files again; eight files stay small in memory.
        self._read_days: _LRU = _LRU(8)  # path -> (stamp, records)
        self._read_days_by_member: _LRU = _LRU(8)  # path -> (stamp, {member: records}), see _member_records
        self._day_names: _LRU = _LRU(4096)  # events folder -> (its stamp, its days), see _listed_days
        self._partials: _LRU = _LRU(96)  # (path, tz) -> (stamp, Groups)
        self._periods: _LRU = _LRU(4096)  # (ws, tz, key, per member?) -> _Cached
        self._files: _LRU = _LRU(4096)  # (ws, tz, key) -> the period's day files
        self._group_totals: _LRU = _LRU(96)  # (path, tz) -> (stamp, {Keys: Counts})
        self._file_zones: set[str] = set()  # the zones of _partials' and _group_totals' keys (see _count_in)
        self._period_zones: dict[str, set[str]] = {}  # workspace -> the zones of its _periods keys
        self._history: dict[tuple[str, str], tuple[tuple, PeriodCounts]] = {}  # all-time minus the latest month
        self._locks: dict[str, ProcessLock] = {}
        self._member_index: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}  # see _member_entry()
        self._ws_dirs: dict[str, Path] = {}
        self._events_dirs: dict[str, Path] = {}
        self._cleaned: set[str] = set()
        self._bursts = Bursts()  # members' burst windows, shared with other processes (bursts.py)
        self._commits: GroupCommit[tuple[str, Event]] = GroupCommit(self._commit_group)  # see add_event

    # ------------------------------------------------------------------ paths and locks
    def _ws_dir(self, workspace: str) -> Path:
        d = self._ws_dirs.get(workspace)
        if d is None:
            d = self._ws_dirs[workspace] = self.root / "workspaces" / workspace_dirname(workspace)
        return d

    def _day_path(self, workspace: str, day: date) -> Path:
        events = self._events_dirs.get(workspace)
        if events is None:
            events = self._events_dirs[workspace] = self._ws_dir(workspace) / "events"
        return events / f"{day.isoformat()}.json"

    def _lock(self, workspace: str) -> ProcessLock:
        with self._mutex:
            lock = self._locks.get(workspace)
            if lock is None:
                d = self._ws_dir(workspace)
                try:
                    d.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise StoreWriteError(f"cannot create the workspace folder: {exc.strerror or exc}", str(d)) from exc
                lock = ProcessLock(str(d / ".lock"), LOCK_TIMEOUT_S)
                self._locks[workspace] = lock
            return lock

    def _locked(self, workspace: str, readers_too: bool = True) -> Any:
        """The writers' lock of `workspace`: this process's writers (`_writers`), then the file lock (processes).

        With `readers_too` the store's mutex is held as well, so that readers
        of this process wait for the write; the group commit's flush goes
        without it (`_commit_group`): readers go on reading the files as they
        were while it fsyncs. A thread that already holds the mutex (a reader
        saving a month's totals) does not wait for the writers' lock, which a
        flush holding it while it waits for the mutex would never release: it
        gets StoreWriteError ("busy") at once.
        """
        return _WritersLock(self, workspace, self._lock(workspace), readers_too)

    def workspace_lock(self, workspace: str) -> Any:
        """Hold the workspace's writers' lock (backups and restores copy files under it)."""
        return self._locked(workspace)

    def _storage(self, path: Path) -> AtomicJSONStorage:
        st = self._storages.get_or(path)
        if st is None:
            st = AtomicJSONStorage(path)
            self._storages.put(path, st)
        return st

    def _db(self, path: Path) -> TinyDB:
        storage = self._storage(path)
        db = TinyDB(storage=_Borrowed, borrowed=storage)
        return db

    def _cleanup_temp_files(self, workspace: str) -> None:
        """Remove temporary files left by a writer killed mid-write (the target is intact).

        Called with the workspace lock held, so no live writer's file can be taken for a leftover.
        """
        for tmp in self._ws_dir(workspace).glob("**/.*.tmp"):
            try:
                tmp.unlink()
            except OSError:
                pass

    # ------------------------------------------------------------------ events
    def add_event(self, workspace: str, event: Event, member: Mapping[str, Any] | None = None) -> None:
        """Store one event; returns once it is on disk. Concurrent calls share one flush (`_commit_group`).

        `member` fields are then remembered beside the member's record, without a flush of their own
        (logged.py); once the event is stored, fields that cannot be written are only logged, the event stays
        and is acknowledged.
        """
        self._commits.submit((workspace, event))
        if member:
            try:
                logged.merge(self._ws_dir(workspace), event.user, {k: v for k, v in member.items() if k != "user"})
            except OSError as exc:
                log.warning("fields remembered with a log not written in workspace %s: %s", workspace,
                            exc.strerror or exc)

    def _commit_group(self, group: Sequence[tuple[str, Event]]) -> list[BaseException | None]:
        """Append a group of events, one atomic write per (workspace, day file): the group commit's flush.

        Each file is written under its workspace's lock, exactly as a single
        event is, so the files and their atomicity are those of one-by-one
        writes; an error (full disk, read-only folder, lock not obtained) is the
        error of that file's events only.
        """
        by_file: dict[tuple[str, Path], list[int]] = {}
        for i, (workspace, event) in enumerate(group):
            day = datetime.fromtimestamp(event.ts, timezone.utc).date()
            by_file.setdefault((workspace, self._day_path(workspace, day)), []).append(i)
        errors: list[BaseException | None] = [None] * len(group)
        for (workspace, path), indexes in by_file.items():
            events = [group[i][1] for i in indexes]
            try:
                with self._locked(workspace, readers_too=False):
                    with self._mutex:
                        storage = self._storage(path)
                    storage.append_records(  # a day file's records go in place (atomic.py)
                        "events", [e.to_dict() for e in events], self._mutex,
                        written=lambda before, after: self._count_in(workspace, path, before, after, events),
                        undone=lambda: self._forget_counts(workspace, path))
            except StoreWriteError as exc:
                for i in indexes:
                    errors[i] = exc
        return errors

    def _forget_counts(self, workspace: str, path: Path) -> None:
        """Drop the cached figures that read `path` (they are counted again from the files when next asked): an
        append undone may leave the file with a stamp it had before, which they would take for their own."""
        self._read_days.pop(path, None)  # read by another thread between the append and its undoing
        self._read_days_by_member.pop(path, None)
        for key in [k for k in self._partials if k[0] == path]:
            del self._partials[key]
        for key in [k for k in self._group_totals if k[0] == path]:
            del self._group_totals[key]
        for key in [k for k, entry in self._periods.items() if k[0] == workspace and path.name in entry.names]:
            del self._periods[key]

    def _count_in(self, workspace: str, path: Path, before: Stamp | None, after: Stamp | None,
                  events: Sequence[Event]) -> None:
        """Add just-written events (one write to `path`) to the cached figures that were exact before the write.

        This keeps a log's cost independent of history: the day's file, its week
        and its month are not re-counted, only moved on by the new events. A cache
        entry that was not exact (another process wrote meanwhile) is left to be
        recomputed from the files.
        """
        for tz_key in tuple(self._file_zones):
            cache_key = (path, tz_key)
            partial = self._partials.get(cache_key)
            if partial is not None and partial[0] == before:
                for event in events:
                    add_to_groups(partial[1], event, ZoneInfo(tz_key))
                self._partials[cache_key] = (after, partial[1])
            group_totals = self._group_totals.get(cache_key)
            if group_totals is not None and group_totals[0] == before:
                for event in events:
                    group_totals[1].setdefault(periods.keys_for_many(event.ts, ZoneInfo(tz_key)),
                                               Counts()).add_event(event)
                self._group_totals[cache_key] = (after, group_totals[1])
        name = path.name
        for cache_key in self._periods_reading(workspace, events):
            entry = self._periods.get(cache_key)
            i = entry.names.get(name) if entry is not None else None
            if i is None or entry.stamps[i] != before:
                continue
            _, tz_key, key, _ = cache_key
            for event in events:
                if key not in periods.keys_for_many(event.ts, ZoneInfo(tz_key)):
                    continue
                if isinstance(entry.total, Counts):  # handed out only as copies
                    entry.total.add_event(event)
                else:  # members' Counts are handed out as they are: replace, never change, one already out
                    mine = entry.total.get(event.user)
                    mine = mine.copy() if mine is not None else Counts()
                    mine.add_event(event)
                    entry.total[event.user] = mine
            self._periods[cache_key] = entry._replace(stamps=entry.stamps[:i] + (after,) + entry.stamps[i + 1:])

    def _periods_reading(self, workspace: str, events: Sequence[Event]) -> set[tuple[str, str, str, bool]]:
        """The keys in `_periods` of the workspace's periods that overlap the UTC day of `events` (one day
        file's), in every zone the workspace's figures were asked in: the entries a write to that file moves on,
        looked up rather than found by walking every entry kept (the walk missed the processor's caches, 0.3 ms a
        log once /ia-top all had filled them; more with many workspaces). A UTC day overlaps at most two local
        days, whose first and last instants give every key."""
        if not events:
            return set()
        start = events[0].ts - events[0].ts % 86400
        out = set()
        for tz_key in tuple(self._period_zones.get(workspace, ())):
            tz = ZoneInfo(tz_key)
            for key in {*periods.keys_for_many(start, tz), *periods.keys_for_many(start + 86399.999, tz)}:
                out.update(((workspace, tz_key, key, True), (workspace, tz_key, key, False)))
        return out

    def add_events(self, workspace: str, events: Iterable[Event]) -> int:
        """Store many events with one write per day file (imports, demo data, migrations)."""
        by_day: dict[date, list[dict[str, Any]]] = {}
        for e in events:
            by_day.setdefault(datetime.fromtimestamp(e.ts, timezone.utc).date(), []).append(e.to_dict())
        with self._locked(workspace):
            before = {day: file_stamp(self._day_path(workspace, day)) for day in by_day}
            for day, docs in sorted(by_day.items()):
                self._db(self._day_path(workspace, day)).table("events").insert_multiple(docs)
            self._save_utc_months(workspace, by_day, before)
            self._save_utc_history(workspace, by_day, before)
        return sum(len(d) for d in by_day.values())

    def _save_utc_months(self, workspace: str, by_day: dict[date, list[dict[str, Any]]],
                         before: dict[date, Stamp | None]) -> None:
        """Keep the saved totals of the UTC months a bulk write touched, so the all-time figures never re-read them.

        All-time figures are the sum of UTC months (`_all_counts`). A month
        whose saved totals were exact before this write, or that had no events,
        gets the new records added to them; any other is left to be counted the
        first time it is read, as before. Called with the writers' lock held.
        """
        ws_dir = self._ws_dir(workspace)
        for key in sorted({periods.month_key(day) for day in by_day}):
            files = self._period_files(workspace, UTC, key)
            days = [date.fromisoformat(p.stem) for p in files]
            old = tuple(before[d] if d in before else file_stamp(p) for d, p in zip(days, files))
            new = tuple(file_stamp(p) for p in files)
            saved = saved_totals.load(ws_dir, UTC, key, old) if any(old) else []
            if saved is None or any(c is None for _, c in saved):
                continue  # not exact before this write: counted when first read
            parts: list[saved_totals.Part] = [(target, {}) for target in _period_layout(len(files), new, UTC)]
            for indexes, counts in saved:  # each saved part goes whole into the new part holding its files
                existing = {i for i in indexes if old[i] is not None}
                home = next((p for p in parts if existing <= set(p[0])), None) if existing else None
                if existing and home is None:
                    break
                if home is not None:
                    _merge_counts(home[1], counts or {})
            else:
                for target, counts in parts:
                    for i in target:
                        if days[i] in by_day:
                            merge_into(counts, tally(by_day[days[i]], UTC), key)
                saved_totals.save(ws_dir, UTC, key, new, parts)

    def _save_utc_history(self, workspace: str, by_day: dict[date, list[dict[str, Any]]],
                          before: dict[date, Stamp | None]) -> None:
        """Move the saved all-time history (saved_totals.History) on past a bulk write, as `_save_utc_months` does
        for the months: the new records of months it holds are added, and it is extended to the latest month
        from the months' saved totals. A history that was not exact is left to the next read."""
        ws_dir = self._ws_dir(workspace)
        months = self._utc_month_keys(workspace)
        touched = sorted({periods.month_key(day) for day in by_day})

        def stamps_of(key: str, at_start: bool) -> tuple[Stamp | None, ...]:
            """The stamps of a month's files now, or before this write."""
            out = []
            for path in self._period_files(workspace, UTC, key):
                day = date.fromisoformat(path.stem)
                out.append(before[day] if at_start and day in before else file_stamp(path))
            return tuple(out)

        history = saved_totals.load_history(ws_dir)
        if history is not None:
            then = {m: st for m in months if m < history.upto and any(st := stamps_of(m, True))}
            if not history.matches(then):
                history = None
        if history is None:
            if any(m < touched[0] for m in months):
                return
            history = saved_totals.History(touched[0], {}, {})
        for key in touched:
            if key < history.upto:
                for day, docs in by_day.items():
                    if periods.month_key(day) == key:
                        merge_into(history.users, tally(docs, UTC), key)
                history.months[key] = saved_totals.stamps_json(stamps_of(key, False))
        for key in months[:-1]:
            if key < history.upto:
                continue
            stamps = stamps_of(key, False)
            parts = saved_totals.load(ws_dir, UTC, key, stamps)
            if parts is None or any(counts is None for _, counts in parts):
                history.upto = key
                break
            for _, counts in parts:
                for user, c in (counts or {}).items():
                    history.users.setdefault(user, Counts()).merge(c)
            history.months[key] = saved_totals.stamps_json(stamps)
            history.upto = months[-1]
        saved_totals.save_history(ws_dir, history)

    def _utc_month_keys(self, workspace: str) -> list[str]:
        """The UTC months that have day files, oldest first."""
        return sorted({periods.month_key(d) for d, _ in self._day_files(workspace)})

    def _day_files(self, workspace: str, since: date | None = None) -> list[tuple[date, Path]]:
        """The workspace's day files, oldest first; from the UTC day `since` on when given. A file's name is its
        ISO date, so names compare as their days do: a path and a date are built only for the days kept (a
        week's read from two years of files took 7 ms building 730 paths, now 0.2 ms)."""
        folder = self._ws_dir(workspace) / "events"
        days = self._listed_days(folder)
        kept = days[bisect_left(days, since.toordinal()):] if since is not None else days
        out = []
        for ordinal in kept:
            day = date.fromordinal(ordinal)
            out.append((day, folder / f"{day.isoformat()}.json"))
        return out

    def _listed_days(self, folder: Path) -> array[int]:
        """The days of the day files in `folder`, as sorted ordinals (3 kB for two years of files, where their
        names took 53 kB): listed again only when the folder changed (a file added, removed or replaced moves
        its modification time). Listing two years of files took 0.4 ms at every read of a week. A listing is
        kept only if it began a second after the folder's time, as git does for "racily clean" files: a change
        within the same tick of the file system's clock would not move it."""
        try:
            st = os.stat(folder)
        except (FileNotFoundError, NotADirectoryError):
            return array("i")
        began = time.time_ns()  # before the listing: a listing that stalls must not count as later than it is
        stamp = (st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        with self._mutex:
            cached = self._day_names.get_or(folder)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        try:
            names = os.listdir(folder)  # after the stamp: never older than it
        except (FileNotFoundError, NotADirectoryError):
            return array("i")
        days = array("i", sorted(date.fromisoformat(m.group(1)).toordinal() for m in map(_DAY_FILE.match, names) if m))
        if began - max(st.st_mtime_ns, st.st_ctime_ns) > 1_000_000_000:
            with self._mutex:
                self._day_names.put(folder, (stamp, days))
        return days

    def _events_in(self, path: Path) -> list[dict[str, Any]]:
        """The records of one day file. Only files already open for writing keep their parsed data:
        reading history must not fill memory with it."""
        with self._mutex:
            st = self._storages.get_or(path)
            if st is not None:
                data = st.read()
                return list(data.get("events", {}).values()) if data else []
            stamp = file_stamp(path)
            cached = self._read_days.get_or(path)
            if cached is not None and cached[0] == stamp:
                return list(cached[1])
            data = read_json(path)
            records = list(data.get("events", {}).values()) if data else []
            if stamp is not None:
                self._read_days.put(path, (stamp, records))
            return list(records)

    def _member_records(self, path: Path, user: str) -> list[dict[str, Any]]:
        """One member's records in one day file, in the file's order. A day file this process does not write
        to keeps them grouped by member beside its records: a member's week (the weekly prompting tip, /ia-undo)
        read the 5,000 records of the days before today to keep ten, 0.6 ms at 500 members."""
        with self._mutex:
            if self._storages.get_or(path) is None:
                stamp = file_stamp(path)  # before the records: a file changed meanwhile is grouped again next time
                cached = self._read_days_by_member.get_or(path)
                if cached is None or cached[0] != stamp:
                    grouped: dict[Any, list[dict[str, Any]]] = {}
                    for d in self._events_in(path):
                        grouped.setdefault(d.get("user"), []).append(d)
                    cached = (stamp, grouped)
                    if stamp is not None:
                        self._read_days_by_member.put(path, cached)
                return list(cached[1].get(user, ()))
            return [d for d in self._events_in(path) if d.get("user") == user]

    def _iter_events(self, workspace: str, newest_first: bool = False) -> Iterator[tuple[Path, dict[str, Any]]]:
        files = self._day_files(workspace)
        if newest_first:
            files.reverse()
        for _, path in files:
            docs = self._events_in(path)
            if newest_first:
                docs.sort(key=lambda d: d.get("ts", 0), reverse=True)
            for doc in docs:
                yield path, doc

    def get_event(self, workspace: str, event_id: str) -> Event | None:
        for _, doc in self._iter_events(workspace, newest_first=True):
            if doc.get("id") == event_id:
                return Event.from_dict(doc)
        return None

    def last_event(self, workspace: str, user: str, since_ts: float) -> Event | None:
        since_day = datetime.fromtimestamp(since_ts, timezone.utc).date()
        for _, path in reversed(self._day_files(workspace, since_day)):
            docs = [d for d in self._member_records(path, user) if d.get("ts", 0) >= since_ts]
            if docs:
                return Event.from_dict(max(docs, key=lambda d: d["ts"]))
        return None

    def remove_event(self, workspace: str, event_id: str) -> bool:
        with self._locked(workspace):
            for _, path in reversed(self._day_files(workspace)):
                table = self._db(path).table("events")
                if table.remove(Query().id == event_id):
                    return True
        return False

    def member_events(self, workspace: str, user: str, since_ts: float | None = None) -> list[Event]:
        if since_ts is None:
            return [Event.from_dict(d) for _, d in self._iter_events(workspace) if d.get("user") == user]
        since_day = datetime.fromtimestamp(since_ts, timezone.utc).date()  # only the day files that can hold them
        docs = [d for _, path in self._day_files(workspace, since_day) for d in self._member_records(path, user)
                if d.get("ts", 0) >= since_ts]
        return [Event.from_dict(d) for d in sorted(docs, key=lambda d: (d.get("ts", 0), str(d.get("id"))))]

    def forget_member(self, workspace: str, user: str) -> int:
        removed = 0
        with self._locked(workspace):
            for _, path in self._day_files(workspace):
                if any(d.get("user") == user for d in self._events_in(path)):
                    removed += len(self._db(path).table("events").remove(Query().user == user))
            ws = self._db(self._ws_dir(workspace) / "workspace.json")
            ws.table("members").remove(Query().user == user)
            rollups = self._ws_dir(workspace) / "rollups.json"
            if rollups.exists():
                self._db(rollups).table("months").remove(Query().user == user)
            saved_totals.forget(self._ws_dir(workspace))
            self._bursts.forget(self._ws_dir(workspace), user)
            logged.forget(self._ws_dir(workspace), user)
        return removed

    def apply_retention(self, workspace: str, tz: ZoneInfo, keep_months: int, now_ts: float) -> tuple[int, int]:
        """Delete raw events older than the last `keep_months` whole months, keeping monthly totals.

        Returns (months rolled up, events deleted). The totals are written
        before any event is deleted, and a rolled-up month is read only from its
        totals, so a crash in between neither loses nor double-counts anything.
        """
        first_kept = periods.month_of(periods.local(now_ts, tz).date(), tz)
        for _ in range(keep_months):
            first_kept = periods.previous(first_kept, tz)
        cutoff = first_kept.start_ts
        rolled = deleted = 0
        with self._locked(workspace):
            already = self._rollups(workspace)
            old_months = sorted({
                periods.month_key(d + timedelta(days=delta))
                for d, _ in self._day_files(workspace) for delta in (-1, 0, 1)
            })
            rows = []
            for key in old_months:
                if key in already or periods.of_key(key, tz).end_ts > cutoff:
                    continue
                counts = self._period_counts(workspace, tz, key)
                rows += [{"month": key, "user": u, "counts": c.to_dict()} for u, c in counts.items()]
                rolled += 1
            if rows:
                self._db(self._ws_dir(workspace) / "rollups.json").table("months").insert_multiple(rows)
            for day, path in self._day_files(workspace):
                if datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp() >= cutoff:
                    break
                docs = self._events_in(path)
                if all(d.get("ts", 0) < cutoff for d in docs):
                    path.unlink()
                    deleted += len(docs)
                else:
                    deleted += len(self._db(path).table("events").remove(Query().ts < cutoff))
        return rolled, deleted

    # ------------------------------------------------------------------ figures
    def _partial(self, path: Path, tz: ZoneInfo) -> tuple[Stamp | None, Groups]:
        """Counts of one day file, grouped by the local day, week and month of each event."""
        stamp = file_stamp(path)
        key = (path, tz.key)
        cached = self._partials.get_or(key)
        if cached is not None and cached[0] == stamp:
            return cached
        result = (stamp, tally(self._events_in(path), tz))
        self._file_zones.add(tz.key)
        self._partials.put(key, result)
        return result

    def _partial_totals(self, path: Path, tz: ZoneInfo) -> dict[Keys, Counts]:
        """The workspace's total of each group of one day file (members summed), cached with the file's groups."""
        stamp, groups = self._partial(path, tz)
        cache_key = (path, tz.key)
        cached = self._group_totals.get_or(cache_key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        totals = {keys: workspace_total(per_user) for keys, per_user in groups.items()}
        self._group_totals.put(cache_key, (stamp, totals))
        return totals

    def _period_files(self, workspace: str, tz: ZoneInfo, key: str) -> list[Path]:
        """The day files that can hold events of period `key` (a period's files never change)."""
        cache_key = (workspace, tz.key, key)
        files = self._files.get_or(cache_key)
        if files is None:
            files = [self._day_path(workspace, d) for d in periods.utc_days(periods.of_key(key, tz))]
            self._files.put(cache_key, files)
        return files

    def _rollups(self, workspace: str) -> dict[str, PeriodCounts]:
        """Monthly totals of months whose raw events retention has deleted."""
        path = self._ws_dir(workspace) / "rollups.json"
        if not path.exists():
            return {}
        with self._mutex:
            data = self._storage(path).read()
        out: dict[str, PeriodCounts] = {}
        for doc in (data or {}).get("months", {}).values():
            out.setdefault(doc["month"], {})[doc["user"]] = Counts.from_dict(doc["counts"])
        return out

    def _period_counts(self, workspace: str, tz: ZoneInfo, key: str) -> PeriodCounts:
        if key == "all":
            return self._all_counts(workspace, tz)
        if key.startswith("m:"):
            rolled = self._rollups(workspace).get(key)
            if rolled is not None:  # the month's raw events are gone (or going): its rollup is the truth
                return rolled
        return self._counted(workspace, tz, key, per_member=True)

    def _period_total(self, workspace: str, tz: ZoneInfo, key: str) -> Counts:
        if (key == "all" or (key.startswith("m:") and key in self._rollups(workspace))
                or _saved_period(key, tz, self._clock())):
            return workspace_total(self._period_counts(workspace, tz, key))  # from saved totals when it can
        return self._counted(workspace, tz, key, per_member=False)

    def _counted(self, workspace: str, tz: ZoneInfo, key: str, per_member: bool) -> Any:
        """The counts of period `key` from its day files (per member, or the workspace's total), cached."""
        files = self._period_files(workspace, tz, key)
        # Stamps are taken before any file is read: a file changed meanwhile leaves a stamp
        # that no longer matches, so the total is counted again rather than trusted.
        stamps = tuple(file_stamp(p) for p in files)
        cache_key = (workspace, tz.key, key, per_member)
        cached = self._periods.get_or(cache_key)
        if cached is not None and cached.stamps == stamps:
            return cached.total
        total: Any
        if per_member and _saved_period(key, tz, self._clock()):
            total = self._finished_period(workspace, tz, key, files, stamps)
        elif per_member:
            total = {}
            for path, stamp in zip(files, stamps):
                if stamp is not None:
                    merge_into(total, self._partial(path, tz)[1], key)
        else:
            total = Counts()
            for path, stamp in zip(files, stamps):
                if stamp is not None:
                    for keys, group_total in self._partial_totals(path, tz).items():
                        if key in keys:
                            total.merge(group_total)
        self._period_zones.setdefault(workspace, set()).add(tz.key)
        self._periods.put(cache_key, _Cached({p.name: i for i, p in enumerate(files)}, stamps, total))
        return total

    def _finished_period(self, workspace: str, tz: ZoneInfo, key: str, files: list[Path],
                         stamps: tuple[Stamp | None, ...]) -> PeriodCounts:
        """A period's counts from its saved parts, counting again only the files of the parts that changed.

        Finished weeks and months in a workspace's zone (`_saved_period`); and
        every UTC month (the all-time figures' months), the current one
        included, split where the newest day file starts (`_period_layout`): a
        restart counts again only the days logged since the totals were saved.
        """
        layout = _period_layout(len(files), stamps, tz)
        saved = saved_totals.load(self._ws_dir(workspace), tz, key, stamps) or []
        valid = [(set(indexes), counts) for indexes, counts in saved if counts is not None]
        parts: list[saved_totals.Part] = []
        recounted = False
        for target in layout:
            counts: PeriodCounts = {}
            covered: set[int] = set()
            for indexes, part_counts in valid:  # saved parts that lie whole inside this one
                if indexes <= set(target):
                    _merge_counts(counts, part_counts)
                    covered |= indexes
            for i in target:
                if i not in covered and stamps[i] is not None:
                    merge_into(counts, self._partial(files[i], tz)[1], key)
                    recounted = True
            parts.append((target, counts))
        if recounted or [f for f, _ in saved] != layout:
            self._save_period(workspace, tz, key, files, stamps, parts)
        total: PeriodCounts = {}
        for _, counts in parts:
            for user, c in counts.items():
                total.setdefault(user, Counts()).merge(c)
        return total

    def _save_period(self, workspace: str, tz: ZoneInfo, key: str, files: list[Path],
                     stamps: tuple[Stamp | None, ...], parts: list[saved_totals.Part]) -> None:
        """Save a period's parts under the writers' lock, and only if its files are still those counted.

        An erasure rewrites the files and deletes the saved totals under the same
        lock, so totals counted before it can never be written back after it.
        A store that cannot be locked (read-only) just does not save.
        """
        try:
            with self._locked(workspace):
                if tuple(file_stamp(p) for p in files) == stamps:
                    saved_totals.save(self._ws_dir(workspace), tz, key, stamps, parts)
        except StoreWriteError:
            pass

    def _all_counts(self, workspace: str, tz: ZoneInfo) -> PeriodCounts:
        """Every event's counts: the sum of months, all but the latest kept summed in memory.

        All-time does not depend on the zone, so it is summed by UTC month, whose
        day files are exactly its own and whose totals bulk writes save as they
        go (`_save_utc_months`): the first /ia-top all after an import or a
        restart reads a few small files, not the history. Only a workspace whose
        old months were rolled up (retention) sums the local months its rollups hold.
        """
        rolled = self._rollups(workspace)
        if not rolled:
            return self._all_counts_utc(workspace)
        # a UTC day file can hold events of the neighbouring local day: look one day each side
        months = sorted({
            periods.month_key(d + timedelta(days=delta))
            for d, _ in self._day_files(workspace) for delta in (-1, 0, 1)
        })
        months = sorted(set(months) | set(rolled))
        if not months:
            return {}
        # Everything but the latest month rarely changes: keep its sum and add the latest month.
        parts = [(key, self._period_counts(workspace, tz, key)) for key in months]
        # rolled-up months have no cached entry: the rollups file's stamp stands for them
        fingerprint = (file_stamp(self._ws_dir(workspace) / "rollups.json"), tuple(
            (key, entry.stamps if entry is not None else None)
            for key in months[:-1] for entry in [self._periods.get((workspace, tz.key, key, True))]
        ))
        cached = self._history.get((workspace, tz.key))
        if cached is not None and cached[0] == fingerprint:
            history = cached[1]
        else:
            history = {}
            for _, counts in parts[:-1]:
                for user, c in counts.items():
                    history.setdefault(user, Counts()).merge(c)
            self._history[(workspace, tz.key)] = (fingerprint, history)
        total = {user: c.copy() for user, c in history.items()}
        for user, c in parts[-1][1].items():
            total.setdefault(user, Counts()).merge(c)
        return total

    def _all_counts_utc(self, workspace: str) -> PeriodCounts:
        """All-time counts as the saved history (every UTC month but the latest) plus the latest month."""
        months = self._utc_month_keys(workspace)
        if not months:
            return {}
        stamps = {m: tuple(file_stamp(p) for p in self._period_files(workspace, UTC, m)) for m in months[:-1]}
        fingerprint = tuple(stamps.items())
        cached = self._history.get((workspace, UTC.key))
        if cached is not None and cached[0] == fingerprint:
            history = cached[1]
        else:
            history = self._utc_history(workspace, months, stamps)
            self._history[(workspace, UTC.key)] = (fingerprint, history)
        total = {user: c.copy() for user, c in history.items()}
        for user, c in self._period_counts(workspace, UTC, months[-1]).items():
            total.setdefault(user, Counts()).merge(c)
        return total

    def _utc_history(self, workspace: str, months: list[str],
                     stamps: dict[str, tuple[Stamp | None, ...]]) -> PeriodCounts:
        """The sum of every UTC month but the latest: the saved history if it is exact, moved on by the months
        after it (from their saved totals), and saved again when it moved."""
        ws_dir = self._ws_dir(workspace)
        latest = months[-1]
        saved = saved_totals.load_history(ws_dir)
        if saved is not None and (saved.upto > latest or not saved.matches(
                {m: st for m, st in stamps.items() if m < saved.upto})):
            saved = None
        if saved is None:
            saved = saved_totals.History(months[0], {}, {})
        if saved.upto == latest:
            return saved.users
        for key in months[:-1]:
            if key >= saved.upto:
                for user, c in self._period_counts(workspace, UTC, key).items():
                    saved.users.setdefault(user, Counts()).merge(c)
                saved.months[key] = saved_totals.stamps_json(stamps[key])
        saved.upto = latest
        try:
            with self._locked(workspace):
                if self._utc_month_keys(workspace) == months and all(
                        tuple(file_stamp(p) for p in self._period_files(workspace, UTC, m)) == st
                        for m, st in stamps.items()):
                    saved_totals.save_history(ws_dir, saved)
        except StoreWriteError:
            pass  # a read-only store: counted again at the next start
        return saved.users

    def counts(self, workspace: str, tz: ZoneInfo, keys: Iterable[str]) -> dict[str, PeriodCounts]:
        """Per-member counts of each period. The Counts are the store's cached ones: read them, never change them."""
        with self._mutex:
            return {k: dict(self._period_counts(workspace, tz, k)) for k in keys}

    def totals(self, workspace: str, tz: ZoneInfo, keys: Iterable[str]) -> dict[str, Counts]:
        """The workspace's counts of each period, summed from per-file totals rather than per member."""
        with self._mutex:
            return {k: self._period_total(workspace, tz, k).copy() for k in keys}

    def member_figures(self, workspace: str, tz: ZoneInfo, key: str, user: str) -> MemberFigures:
        """One member's counts of a period, the workspace's and how many members logged, from the cached figures."""
        with self._mutex:
            per_user = self._period_counts(workspace, tz, key)
            mine = per_user.get(user)
            return MemberFigures(mine.copy() if mine is not None else Counts(),
                                 self._period_total(workspace, tz, key).copy(), len(per_user))

    def admit_burst(self, workspace: str, user: str, now: float, limit: int, window: float) -> bool:
        """The burst limit, shared with the other processes on this data directory (see bursts.py)."""
        return self._bursts.admit(self._ws_dir(workspace), user, now, limit, window)

    # ------------------------------------------------------------------ settings, members, summaries
    def _ws_table(self, workspace: str, table: str) -> Any:
        return self._db(self._ws_dir(workspace) / "workspace.json").table(table)

    def settings(self, workspace: str) -> dict[str, Any]:
        """The workspace's settings: the first document of its table, read from the parsed file kept (building
        a TinyDB table to list it took 0.15 ms of every command)."""
        with self._mutex:
            table = self._ws_data(workspace).get("settings") or {}
            return dict(next(iter(table.values()), {}))

    def _ws_data(self, workspace: str) -> dict[str, Any]:
        """The parsed `workspace.json` (read-only: TinyDB replaces a table's dict when it changes it); callers
        hold the mutex."""
        ws_dir = self._ws_dir(workspace)
        return (self._storage(ws_dir / "workspace.json").read() if ws_dir.exists() else None) or {}

    def set_setting(self, workspace: str, key: str, value: Any) -> None:
        with self._locked(workspace):
            table = self._ws_table(workspace, "settings")
            docs = table.all()
            current = dict(docs[0]) if docs else {}
            current[key] = value
            table.upsert(Document(current, doc_id=1))

    def member(self, workspace: str, user: str) -> dict[str, Any] | None:
        """The member's record, with the fields remembered with their logs over it (logged.py)."""
        with self._mutex:
            found = self._member_entry(workspace, user)
        remembered = logged.read(self._ws_dir(workspace), user)
        if found is None:
            return {"user": user, **remembered} if remembered else None
        return {**found[1], **remembered}

    def _member_entry(self, workspace: str, user: str) -> tuple[int, dict[str, Any]] | None:
        """(document id, record) of the member, through an index of the members table by id; callers hold
        the mutex.

        Every command reads its member: TinyDB's query scanned the table, 0.4 ms
        at 500 members (measured, 2 December 2026); the index is rebuilt only
        when the table changes (TinyDB writes a new table dict on every change).
        """
        table = self._ws_data(workspace).get("members") or {}
        index = self._member_index.get(workspace)
        if index is None or index[0] is not table:
            index = (table, {doc.get("user"): (int(doc_id), doc) for doc_id, doc in table.items()})
            self._member_index[workspace] = index
        return index[1].get(user)

    def settings_and_member(self, workspace: str, user: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
        """settings() and member() (two reads of cached files here; one query on PostgreSQL)."""
        return self.settings(workspace), self.member(workspace, user)

    def settings_member_admitting(self, workspace: str, user: str, now: float, limit: int, window: float,
                                  week: tuple[ZoneInfo, str] | None = None
                                  ) -> tuple[dict[str, Any], dict[str, Any] | None, bool, MemberFigures | None]:
        """settings_and_member(), admit_burst() and member_figures() of `week` (one round trip on PostgreSQL)."""
        admitted = self.admit_burst(workspace, user, now, limit, window)
        figures = self.member_figures(workspace, week[0], week[1], user) if week is not None else None
        return (*self.settings_and_member(workspace, user), admitted, figures)

    def update_member(self, workspace: str, user: str, **fields: Any) -> None:
        with self._locked(workspace):
            table = self._ws_table(workspace, "members")
            existing = self._member_entry(workspace, user)
            if existing is None:
                table.insert({"user": user, **fields})
            elif any(existing[1].get(k) != v for k, v in fields.items()):
                table.update(fields, doc_ids=[existing[0]])

    def members(self, workspace: str) -> list[dict[str, Any]]:
        with self._mutex:
            if not self._ws_dir(workspace).exists():
                return []
            return [dict(d) for d in self._ws_table(workspace, "members").all()]

    def workspaces(self) -> list[str]:
        folder = self.root / "workspaces"
        return sorted(id_of_name(p.name) for p in folder.iterdir() if p.is_dir())

    def claim_summary(self, workspace: str, kind: str, period: str) -> bool:
        """Record that (kind, period) is being posted; False when it already was (exactly once)."""
        with self._locked(workspace):
            table = self._ws_table(workspace, "summaries")
            q = Query()
            if table.get((q.kind == kind) & (q.period == period)):
                return False
            table.insert({"kind": kind, "period": period, "at": datetime.now(timezone.utc).isoformat()})
            return True

    def destinations(self, workspace: str, platform: str) -> dict[str, dict[str, Any]]:
        """The platform's stored destinations of the workspace (see Store), by key."""
        with self._mutex:
            if not self._ws_dir(workspace).exists():
                return {}
            docs = self._ws_table(workspace, "destinations").search(Query().platform == platform)
        return {str(d["key"]): dict(d["value"]) for d in docs}

    def set_destination(self, workspace: str, platform: str, key: str, value: dict[str, Any] | None) -> None:
        """Keep (or replace) one destination; None removes it."""
        with self._locked(workspace):
            table = self._ws_table(workspace, "destinations")
            q = Query()
            if value is None:
                table.remove((q.platform == platform) & (q.key == key))
            else:
                table.upsert({"platform": platform, "key": key, "value": value}, (q.platform == platform) & (q.key == key))

    def close(self) -> None:
        with self._mutex:
            self._storages.clear()
            self._member_index.clear()
            self._read_days.clear()
            self._read_days_by_member.clear()
            self._day_names.clear()
            self._partials.clear()
            self._group_totals.clear()
            self._periods.clear()
            self._files.clear()
            self._history.clear()


def _saved_period(key: str, tz: ZoneInfo, now: float) -> bool:
    """Whether period `key` is counted from totals saved on disk (saved_totals): every UTC month (the all-time
    figures'), and the weeks and months of a workspace's zone finished at `now` (the store's clock: a period
    still being logged into would be counted again and saved after every log).

    Weeks since 3 December 2026: a monthly summary's week bars and its team's green streak read about six
    finished weeks; counted from their day files, that was most of the summary's work (1,000 summaries:
    83 s of CPU, 49 s with the weeks saved, against 60 s aimed at; 3 December 2026, docs/summaries.md).
    """
    if key.startswith("m:") and tz.key == UTC.key:
        return True
    return key.startswith(("m:", "w:")) and _period_end(key, tz) <= now


@lru_cache(maxsize=4096)
def _period_end(key: str, tz: ZoneInfo) -> float:
    return periods.of_key(key, tz).end_ts


def _period_layout(n: int, stamps: Sequence[Stamp | None] = (), tz: ZoneInfo | None = None) -> list[tuple[int, ...]]:
    """How a period's saved totals are split among its n day files (see saved_totals).

    In a workspace's zone: the first and last files, which the period shares
    with its neighbours, apart from the others. A UTC month shares none: the
    files before the newest one apart from the newest and later ones, which
    are those the next logs change.
    """
    if tz is not None and tz.key == UTC.key:
        newest = max((i for i, s in enumerate(stamps) if s is not None), default=0)
        return [tuple(range(newest)), tuple(range(newest, n))] if newest > 0 else [tuple(range(n))]
    return [(0,), tuple(range(1, n - 1)), (n - 1,)] if n > 2 else [tuple(range(n))]


def _merge_counts(into: PeriodCounts, counts: PeriodCounts) -> None:
    """Add per-member counts to `into` (copied, never shared)."""
    for user, c in counts.items():
        mine = into.get(user)
        if mine is None:
            into[user] = c.copy()
        else:
            mine.merge(c)


class _Borrowed(AtomicJSONStorage):
    """Lets TinyDB use an existing storage object (TinyDB insists on building its own)."""

    def __new__(cls, borrowed: AtomicJSONStorage) -> AtomicJSONStorage:  # type: ignore[misc]
        return borrowed


__all__ = ["TinyStore", "workspace_dirname"]
