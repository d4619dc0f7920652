"""Small files of one member each, beside a workspace's data in the embedded store: read and rewritten in place.

What the embedded store keeps here is what a crash may forget at little
cost, and what a command should not pay a second flush for: the burst
windows of the rate limit (bursts.py: the last minute's hits) and what a log
remembers about its member (logged.py: the week a tip was last shown).

Each member has a file of their own in a folder of the workspace whose name
starts with a dot, `<workspace>/<folder>/<member>`; files have no `.json`
suffix, so backups skip them. A file is read and rewritten under a `flock`
of its own (never the writers' lock: it does not wait for a flush of events,
nor for another member), in place, without fsync nor rename. A kill -9 keeps
what was written (the page cache outlives the process); a power cut may lose
the last writes, and a write cut short leaves a file that its owner reads as
empty, or mixes old and new content at a disk sector.
"""

from __future__ import annotations

import fcntl
import os
import re
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")
_MOSTLY_PADDING = 4  # a file over 4 kB and this many times its content is truncated rather than padded


@lru_cache(maxsize=4096)  # asked at every log (burst window, remembered fields): 11 µs a path, 0.9 µs kept
def member_file(ws_dir: Path, folder: str, user: str) -> Path:
    """The member's file in `folder` (any id gives a safe name, as workspace folders do)."""
    return ws_dir / folder / safe_name(user)


def safe_name(text: str) -> str:
    """A file-system-safe name for any id (a workspace's folder, a member's file), one name per id: an unsafe
    character as `%` and two hex digits, or beyond U+00FF `%u` and four (`%U` and six): quoted with three
    digits, « Ω » and « :9 » both gave `%3A9`, one folder for two workspaces. `id_of_name` reads it back."""
    return _UNSAFE.sub(_quoted, text) or "%00"


def _quoted(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"%{code:02X}" if code <= 0xFF else f"%u{code:04X}" if code <= 0xFFFF else f"%U{code:06X}"


_QUOTED = re.compile(r"%(?:([0-9A-F]{2})|u([0-9A-F]{4})|U([0-9A-F]{6}))")


def id_of_name(name: str) -> str:
    """The id `safe_name` made `name` from."""
    return _QUOTED.sub(lambda m: chr(int(next(g for g in m.groups() if g), 16)), name)


@contextmanager
def locked(path: Path, create: bool = True) -> Iterator[int | None]:
    """The file's descriptor, read-write under an exclusive `flock` (released when it closes, or its process
    dies); None when it does not exist and `create` is false. OSError when the folder cannot be used."""
    flags = os.O_RDWR | os.O_CLOEXEC | (os.O_CREAT if create else 0)
    try:
        fd = os.open(path, flags, 0o600)
    except FileNotFoundError:
        if not create:
            yield None
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, flags, 0o600)  # gone again (the workspace deleted meanwhile): OSError, as promised
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield fd
    finally:
        os.close(fd)


def read_all(fd: int) -> bytes:
    raw = b""
    while chunk := os.pread(fd, 65536, len(raw)):
        raw += chunk
    return raw


def rewrite(fd: int, payload: bytes, pad: bytes) -> None:
    """Write `payload` over the file from its start, in place.

    Shorter content is followed by `pad` repeated (content the owner's reader
    skips) rather than the file truncated, which costs a millisecond on some
    file systems; the file is truncated when it is mostly padding, or when
    the gap is not a whole number of pads.
    """
    gap = os.fstat(fd).st_size - len(payload)
    if gap > 0 and (gap % len(pad) or (gap + len(payload) > 4096 and len(payload) * _MOSTLY_PADDING < gap + len(payload))):
        os.ftruncate(fd, len(payload))
    elif gap > 0:
        payload += pad * (gap // len(pad))
    os.pwrite(fd, payload, 0)


def forget(path: Path) -> None:
    """Delete the member's file (erasure: the file is theirs)."""
    try:
        path.unlink()
    except FileNotFoundError:
        pass


__all__ = ["forget", "id_of_name", "locked", "member_file", "read_all", "rewrite", "safe_name"]
