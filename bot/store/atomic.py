"""A TinyDB storage that never leaves a half-written file, and re-reads only on change.

TinyDB's JSONStorage rewrites its file in place: a crash in the middle leaves
a truncated file. This storage writes a temporary file beside the target,
fsyncs it, renames it over the target and fsyncs the directory, so a reader
(or a process killed with SIGKILL) sees either the old or the new file.

Each read compares the file's (inode, size, mtime) with the last one seen and
reuses the parsed data when nothing changed: a store with years of history
does not re-parse files nobody touched. Writers must hold the workspace lock
(see tinydb_store) so that read-modify-write cycles do not interleave.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, NamedTuple

from tinydb.storages import Storage

from bot.core.errors import StoreCorrupt, StoreWriteError

Stamp = tuple[int, int, int]


def file_stamp(path: Path) -> Stamp | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def read_json(path: Path) -> dict[str, Any] | None:
    """Parse a store file; a damaged one raises StoreCorrupt naming the file and line."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    return parse_json(raw, path)


def parse_json(raw: bytes, path: Path) -> dict[str, Any]:
    if not raw.strip():
        raise StoreCorrupt("empty store file (expected a JSON object)", str(path))
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", "?")
        col = getattr(exc, "colno", "?")
        raise StoreCorrupt(f"unreadable store file at line {line}, column {col}: {exc}", str(path)) from exc
    if not isinstance(data, dict):
        raise StoreCorrupt("store file does not hold a JSON object", str(path))
    return data


def _dumps(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    """Write `data` to `path` so that the file is always either old or new, never partial."""
    write_bytes_atomic(path, _dumps(data))


def write_bytes_atomic(path: Path, payload: bytes) -> None:
    """Write `payload` to `path` through a fsynced temporary file and a rename (see the module docstring)."""
    rename_into_place(write_temporary(path, payload), path)


def write_temporary(path: Path, payload: bytes) -> str:
    """The first half of `write_bytes_atomic`: `payload` in a fsynced temporary file beside `path`; its name.

    Split from the rename so that a writer can flush its data without holding
    up readers (they keep reading `path` as it was), and hold them only for
    the rename (`rename_into_place`).
    """
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        return tmp
    except OSError as exc:
        _discard(tmp)
        raise StoreWriteError(f"could not write store file: {exc.strerror or exc}", str(path)) from exc


def rename_into_place(tmp: str, path: Path) -> None:
    """The second half of `write_bytes_atomic`: the temporary file renamed over `path`, the folder fsynced."""
    try:
        os.replace(tmp, path)
    except OSError as exc:
        _discard(tmp)
        raise StoreWriteError(f"could not write store file: {exc.strerror or exc}", str(path)) from exc
    try:
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass  # the rename is done; some filesystems refuse directory fsync


def _discard(tmp: str | None) -> None:
    if tmp is not None:
        try:
            os.unlink(tmp)
        except OSError:
            pass


class Appended(NamedTuple):
    """Records about to be added to a file: its next data and bytes, and the records' document ids."""

    data: dict[str, Any]
    payload: bytes
    table: str
    ids: list[int]


class AtomicJSONStorage(Storage):
    """TinyDB storage backed by `write_bytes_atomic`, with a change-stamped cache.

    Besides the parsed data it keeps the bytes of the file, so that adding one
    record to a file (`append_record`, a log) serialises only that record
    instead of the whole file: on a busy day that is the difference between a
    few hundred microseconds and several milliseconds per log.
    """

    def __init__(self, path: str | os.PathLike[str], create_dirs: bool = True) -> None:
        self.path = Path(path)
        self._cache: dict[str, Any] | None = None
        self._payload: bytes | None = None  # the file's bytes, matching _cache
        self._stamp: Stamp | None = None
        self._next_id: tuple[str, int] | None = None  # (table, next document id), known after an append

    def _forget(self) -> None:
        self._cache, self._payload, self._stamp, self._next_id = None, None, None, None

    def read(self) -> dict[str, Any] | None:
        stamp = file_stamp(self.path)
        if stamp is None:
            self._forget()
            return None
        if stamp != self._stamp or self._cache is None:
            try:
                raw = self.path.read_bytes()
            except FileNotFoundError:
                self._forget()
                return None
            self._cache, self._payload = parse_json(raw, self.path), raw
            self._stamp, self._next_id = stamp, None
        # No copy: readers treat the data as read-only, and TinyDB, which mutates it
        # before writing it back, always calls write() next. A failed write forgets
        # the cache, so the next read comes from the file again.
        return self._cache

    def write(self, data: dict[str, Any]) -> None:
        self._next_id = None  # TinyDB may have inserted or removed documents
        self._write(data, _dumps(data))

    def _write(self, data: dict[str, Any], payload: bytes) -> None:
        try:
            write_bytes_atomic(self.path, payload)
        except StoreWriteError:
            self._forget()
            raise
        self._cache, self._payload = data, payload
        self._stamp = file_stamp(self.path)

    def append_record(self, table: str, record: dict[str, Any]) -> int:
        """Add `record` to `table` under the next document id (as TinyDB's insert would); returns the id."""
        return self.append_records(table, [record])[0]

    def append_records(self, table: str, records: list[dict[str, Any]]) -> list[int]:
        """Add `records` to `table` under the next document ids, in one atomic write (one flush); their ids.

        Several records in one write are how a group commit
        (`bot.store.group_commit`) shares one flush between the writers of a
        burst. Callers hold the workspace lock.
        """
        appended = self.prepare_append(table, records)
        try:
            write_bytes_atomic(self.path, appended.payload)
        except StoreWriteError:
            self._forget()
            raise
        self.adopt(appended)
        return appended.ids

    def prepare_append(self, table: str, records: list[dict[str, Any]]) -> "Appended":
        """The file's next content, `records` added to `table` under the next document ids; nothing changes yet.

        When the file holds only that table, the new bytes are the old ones
        with the records spliced in before the two closing braces; any other
        shape is written in full. Readers keep seeing the current data until
        `adopt` (once the bytes are on disk), so a write that fails leaves
        nothing behind in memory either. Callers hold the workspace lock.
        """
        data = self.read() or {}
        old_payload = self._payload
        docs = data.get(table) or {}
        if self._next_id is None or self._next_id[0] != table:
            self._next_id = (table, max((int(k) for k in docs), default=0) + 1)
        first = self._next_id[1]
        ids = list(range(first, first + len(records)))
        new_docs = dict(docs)
        new_docs.update((str(doc_id), record) for doc_id, record in zip(ids, records))
        new_data = {**data, table: new_docs}
        if old_payload is not None and docs and list(data) == [table] and old_payload.endswith(b"}}"):
            spliced = b"".join(b"," + _dumps(str(doc_id)) + b":" + _dumps(record) for doc_id, record in zip(ids, records))
            payload = old_payload[:-2] + spliced + b"}}"
        else:
            payload = _dumps(new_data)
        return Appended(new_data, payload, table, ids)

    def adopt(self, appended: "Appended") -> None:
        """Take what `prepare_append` computed as the current data, once its bytes are written."""
        self._cache, self._payload = appended.data, appended.payload
        self._stamp = file_stamp(self.path)
        self._next_id = (appended.table, appended.ids[-1] + 1) if appended.ids else None

    def stamp(self) -> Stamp | None:
        return file_stamp(self.path)

    def close(self) -> None:
        self._cache, self._payload = None, None
