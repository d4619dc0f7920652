"""A TinyDB storage that never leaves a half-written file, and re-reads only on change.

TinyDB's JSONStorage rewrites its file in place: a crash in the middle leaves
a truncated file. This storage writes a temporary file beside the target,
fsyncs it, renames it over the target and fsyncs the directory, so a reader
(or a process killed with SIGKILL) sees either the old or the new file.

One write is cheaper and keeps that promise another way: a log added to a day
file. Its records are written over the file's two closing braces (`pwrite`),
followed by the braces, and flushed with one `fdatasync`: a few hundred bytes
instead of the whole file, a temporary file, a rename and two fsyncs. On this
machine at 520,000 events that took the embedded store's `/ia-log` p50 from
6.3 to 4.8 ms (benchmarks/engine_latency.py, two runs of 3 December 2026; its
p99, 22 ms, was the member record's rewrite when a log's tip is remembered,
since moved to bot/store/logged.py). Such an append can be cut short (kill -9 in
the middle of the write, power lost before the flush). What is left is the
file as it was plus the start of the new records (or, after a power cut,
parts of them and zeros), which a reader recognises (`parse_store_file`,
`_cut_tail`; a day file only): it reads the records before the cut, and the
next write rewrites the file whole without the cut ones. Those were never
acknowledged, since a log is acknowledged only once its flush returned.
Damage of any other shape, or in any other file, is reported.

Each read compares the file's (inode, size, mtime) with the last one seen and
reuses the parsed data when nothing changed: a store with years of history
does not re-parse files nobody touched. Writers must hold the workspace lock
(see tinydb_store) so that read-modify-write cycles do not interleave.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import tempfile
from pathlib import Path
from contextlib import AbstractContextManager, nullcontext
from typing import Any, Callable, NamedTuple

from tinydb.storages import Storage

from bot.core.errors import StoreCorrupt, StoreWriteError

Stamp = tuple[int, int, int]
log = logging.getLogger(__name__)


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
    """The data of a store file (see `parse_store_file`); a damaged one raises StoreCorrupt."""
    return parse_store_file(raw, path)[0]


def parse_store_file(raw: bytes, path: Path) -> tuple[dict[str, Any], bool]:
    """The data of a store file, and whether the file is whole (False: an append was cut short).

    A damaged file raises StoreCorrupt naming the file and line, unless the
    damage is an in-place append cut short (see the module docstring): then the
    records before the cut are the data.
    """
    if not raw.strip():
        raise StoreCorrupt("empty store file (expected a JSON object)", str(path))
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        torn = _before_cut(raw)
        if torn is not None:
            log.warning("store file %s: its last append was cut short; %d byte(s) left out until the next write",
                        path, torn[1])
            return torn[0], False
        line = getattr(exc, "lineno", "?")
        col = getattr(exc, "colno", "?")
        raise StoreCorrupt(f"unreadable store file at line {line}, column {col}: {exc}", str(path)) from exc
    if not isinstance(data, dict):
        raise StoreCorrupt("store file does not hold a JSON object", str(path))
    return data, True


def whole(raw: bytes, path: Path) -> bytes:
    """A store file's bytes as they should be: those of a file whose last append was cut short, without that
    append (what readers read of it); any other file's unchanged. StoreCorrupt for a damaged one."""
    data, is_whole = parse_store_file(raw, path)
    return raw if is_whole else _dumps(data)


# The only table written in place (a day file's, tinydb_store), hence the only one whose file may hold an
# append cut short; every other file is written whole, and any damage to it is reported.
APPENDED_TABLE = "events"
# The most an in-place append writes: the records of one group commit (a few hundred bytes each; groups are as
# large as the number of writers waiting) and the closing braces. A larger append rewrites the file whole, so
# damage further from the end is never a cut append, and is reported.
TORN_TAIL_MAX = 64 * 1024
_HEAD = b'{"' + APPENDED_TABLE.encode() + b'":{'  # as this module writes it (compact)
_DECODER = json.JSONDecoder()


def _cut_tail(tail: bytes, next_id: int) -> bool:
    """Whether `tail`, what follows a day file's last whole record, is what an append cut short leaves.

    Written in order, an append leaves a prefix of `,"<next_id>":{…}…}}` with its last record incomplete (or
    every record whole, and one brace or none); a reader of another process may also find the first byte
    written over the old braces and not yet the second. A power cut may also keep a later block of the write and not
    an earlier one: zeros then follow such a prefix, or the old closing braces. Anything else is damage: a
    record left incomplete with more records after it, or an end with its closing braces.
    """
    if len(tail) > TORN_TAIL_MAX:
        return False
    zeros = tail.find(b"\0")
    start = tail if zeros < 0 else tail[:zeros]  # what was written in order
    if start in (b"", b"}", b",}") or (start == b"}}" and zeros >= 0):  # ,} read while the braces are overwritten
        return True
    key = b',"%d":{' % next_id
    return (start[:len(key)] == key[:len(start)]  # the next record's opening
            and b',"%d":{' % (next_id + 1) not in start  # the only incomplete one: none after it
            and (zeros >= 0 or not start.endswith(b"}}")))  # written in order, it would be whole


def _before_cut(raw: bytes) -> tuple[dict[str, Any], int] | None:
    """The records of a day file before an append's cut, and the bytes after it; None if the damage is anything
    else (see `_cut_tail`)."""
    if not raw.startswith(_HEAD):
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:  # a character cut in two by the cut: the rest is checked below
        text = raw[:exc.start].decode("utf-8")
    docs: dict[str, Any] = {}
    end = pos = len(_HEAD)
    while True:
        if docs:
            if not text.startswith(",", pos):
                break
            pos += 1
        try:
            key, pos = _DECODER.raw_decode(text, pos)
            if not isinstance(key, str) or not key.isdigit() or not text.startswith(":", pos):
                break
            record, pos = _DECODER.raw_decode(text, pos + 1)
        except ValueError:
            break
        if not isinstance(record, dict):
            break
        docs[key] = record
        end = pos
    cut = len(raw) - len(text[:end].encode("utf-8"))
    if not docs or not _cut_tail(raw[len(raw) - cut:], max(int(k) for k in docs) + 1):
        return None
    return {APPENDED_TABLE: docs}, cut


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
    """Records about to be added to a file: its next data and bytes, and the records' document ids; when they
    can be written in place, where (`offset`, the closing braces) and what (`tail`, the records and braces).

    The bytes of an append that can go in place are the file's bytes before `offset`, then `tail`, and its
    data the data kept with `records` added; both are joined only if the file has to be written whole after
    all (`AtomicJSONStorage.whole`): joining them for every append copied the whole day file, bytes and
    dictionary, 0.1 ms each a log at 4,000 records (770 kB).
    """

    data: dict[str, Any] | None  # None: an append that can go in place, whose records join the data kept
    payload: bytes | None  # None: an append that can go in place (see above)
    table: str
    ids: list[int]
    offset: int | None = None
    tail: bytes = b""
    records: dict[str, Any] | None = None  # document id -> record, for an append that can go in place


class InPlace:
    """An append written over a file's closing braces, not yet flushed: `flush` it, or `undo` it if that fails.

    Made by `AtomicJSONStorage.write_in_place`; holds the file open in between.
    """

    def __init__(self, storage: "AtomicJSONStorage", fd: int, size: int, offset: int, old: bytes) -> None:
        self._storage, self._fd, self._size, self._offset, self._old = storage, fd, size, offset, old

    def flush(self) -> None:
        """fdatasync the append (StoreWriteError if the disk refuses: then `undo`); closes the file when done."""
        try:
            os.fdatasync(self._fd)
        except OSError as exc:
            raise StoreWriteError(f"could not write store file: {exc.strerror or exc}", str(self._storage.path)) from exc
        os.close(self._fd)
        self._fd = -1

    def undo(self) -> None:
        """Put the file back as it was before the append and forget the cached data. If the disk refuses that
        too (a file system gone read-only after an I/O error), the records may stay in the file."""
        if self._fd >= 0:
            _restore(self._fd, self._size, self._offset, self._old)
            os.close(self._fd)
            self._fd = -1
        self._storage._forget()


def _restore(fd: int, size: int, offset: int, old: bytes) -> None:
    """Best effort: the file's first `size` bytes again (`old` from `offset`). Refused half way, it leaves an
    append cut short, which readers recognise (`parse_store_file`); refused from the start, the append."""
    try:
        os.ftruncate(fd, size)
        os.pwrite(fd, old, offset)
        os.fdatasync(fd)
    except OSError:
        pass


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
        self._payload: bytes | bytearray | None = None  # the file's bytes, matching _cache (see `adopt`)
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
            self._cache, is_whole = parse_store_file(raw, self.path)
            self._payload = raw if is_whole else None  # a cut-short append: the next write rewrites the file whole
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

    def append_records(self, table: str, records: list[dict[str, Any]],
                       mutex: AbstractContextManager[Any] = nullcontext(),
                       written: Callable[[Stamp | None, Stamp | None], None] = lambda before, after: None,
                       undone: Callable[[], None] = lambda: None) -> list[int]:
        """Add `records` to `table` under the next document ids, in one write and one flush; their ids.

        Several records in one write are how a group commit
        (`bot.store.group_commit`) shares one flush between the writers of a
        burst. The caller's `mutex` holds its readers off while the file and
        its data change, never during a flush; under it, `written(before,
        after)` gets the file's stamps around the write once the records are
        the current data (the caller's figures move on), and `undone()` is
        called if an append written in place could not be flushed and was
        taken back. Callers hold the workspace lock.
        """
        with mutex:
            before = file_stamp(self.path)
            appended = self.prepare_append(table, records)
            pending = self.write_in_place(appended)
            if pending is None:  # joined now, from the bytes and data `prepare_append` read
                appended = self.whole(appended)
            else:
                try:
                    written(before, file_stamp(self.path))
                except BaseException:
                    pending.undo()
                    undone()
                    raise
        if pending is not None:
            try:
                pending.flush()  # readers go on meanwhile
            except BaseException:
                with mutex:
                    pending.undo()
                    undone()
                raise
            return appended.ids
        assert appended.payload is not None
        tmp = write_temporary(self.path, appended.payload)  # a new file, or one of another shape: whole
        with mutex:  # readers see the old file and figures, or the new ones, never a mix
            rename_into_place(tmp, self.path)
            self.adopt(appended)
            written(before, file_stamp(self.path))
        return appended.ids

    def prepare_append(self, table: str, records: list[dict[str, Any]]) -> "Appended":
        """The file's next content, `records` added to `table` under the next document ids; nothing changes yet.

        When the file holds only that table, written compact, the new bytes are
        the old ones with the records spliced in before the two closing braces,
        which `write_in_place` writes alone; any other shape is written in full.
        Readers keep seeing the current data until `adopt` (once the bytes are
        written), so a write that fails leaves nothing behind in memory either.
        Callers hold the workspace lock.
        """
        data = self.read() or {}
        old_payload = self._payload
        docs = data.get(table) or {}
        if self._next_id is None or self._next_id[0] != table:
            self._next_id = (table, max((int(k) for k in docs), default=0) + 1)
        first = self._next_id[1]
        ids = list(range(first, first + len(records)))
        added = {str(doc_id): record for doc_id, record in zip(ids, records)}
        if (table == APPENDED_TABLE and old_payload is not None and docs and list(data) == [table]
                and old_payload.startswith(_HEAD) and old_payload.endswith(b"}}")):
            tail = b"".join(b"," + _dumps(doc_id) + b":" + _dumps(record) for doc_id, record in added.items())
            tail += b"}}"
            if len(tail) <= TORN_TAIL_MAX:  # what a reader recognises as an append cut short, were it cut
                return Appended(None, None, table, ids, len(old_payload) - 2, tail, added)
        new_data = {**data, table: {**docs, **added}}
        return Appended(new_data, _dumps(new_data), table, ids)

    def write_in_place(self, appended: "Appended") -> InPlace | None:
        """Write `appended` over the file's closing braces and take it as the current data; the flush still to
        do. None when it cannot be written so (no `offset`, or the file is not the one `prepare_append` read):
        then it is for `write_bytes_atomic`. StoreWriteError if the disk refuses (see `undo`).

        Readers of this process see the records from here on, before the flush: callers do this under the
        store's mutex, and `undo` if the flush fails. Callers hold the workspace lock.
        """
        if appended.offset is None or self._payload is None:
            return None
        old = self._payload[appended.offset:]
        size = len(self._payload)
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CLOEXEC)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreWriteError(f"could not write store file: {exc.strerror or exc}", str(self.path)) from exc
        try:
            if (file_stamp(self.path) != self._stamp or os.fstat(fd).st_size != size
                    or os.pread(fd, len(old), appended.offset) != old):  # not the file read: write it whole
                os.close(fd)
                return None
            written = os.pwrite(fd, appended.tail, appended.offset)
            if written != len(appended.tail):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        except OSError as exc:
            _restore(fd, size, appended.offset, old)
            os.close(fd)
            self._forget()
            raise StoreWriteError(f"could not write store file: {exc.strerror or exc}", str(self.path)) from exc
        self.adopt(appended)
        return InPlace(self, fd, size, appended.offset, old)

    def whole(self, appended: "Appended") -> "Appended":
        """`appended` as a whole file's bytes and data (before it is adopted): what an append that was to go in
        place becomes when the file has to be written whole after all."""
        if appended.payload is not None:
            return appended
        assert self._payload is not None and appended.offset is not None and appended.records is not None
        data = self._cache or {}
        return appended._replace(data={**data, appended.table: {**(data.get(appended.table) or {}),
                                                                 **appended.records}},
                                 payload=bytes(self._payload[:appended.offset]) + appended.tail, records=None)

    def adopt(self, appended: "Appended") -> None:
        """Take what `prepare_append` computed as the current data, once its bytes are written.

        An append written in place changes the bytes and the data kept in memory in place too (a `bytearray`
        grows at its end without copying what it holds, the table's dictionary takes the records): only
        writers use the bytes, under the workspace lock, and readers copy what they read of an appended file
        under the caller's mutex, which `append_records` holds here.
        """
        if appended.payload is not None:
            self._payload = appended.payload
            self._cache = appended.data
        else:
            assert (self._payload is not None and self._cache is not None and appended.offset is not None
                    and appended.records is not None)
            if not isinstance(self._payload, bytearray):
                self._payload = bytearray(self._payload)  # once per file read
            self._payload[appended.offset:] = appended.tail
            self._cache[appended.table].update(appended.records)
        self._stamp = file_stamp(self.path)
        self._next_id = (appended.table, appended.ids[-1] + 1) if appended.ids else None

    def stamp(self) -> Stamp | None:
        return file_stamp(self.path)

    def close(self) -> None:
        self._cache, self._payload = None, None
