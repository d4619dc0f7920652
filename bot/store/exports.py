"""Export files on disk: a member's data written for them, readable by them only, and not kept.

The console has no chat to attach a file to, so it writes `/ia-me export` (and
any other attachment) under `<data_dir>/exports`. Such a file is a copy of
personal data outside the store, so it is created with mode 0600, removed with
the rest by `/ia-me forget confirm`, and removed by the daily upkeep once it is
a day old: it is there to be picked up, not to be kept.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

EXPORTS = "exports"
MAX_AGE_S = 24 * 3600
_UNSAFE = re.compile(r"[^A-Za-z0-9_.@-]")


def exports_dir(data_dir: str | Path) -> Path:
    """Where the console writes attachments."""
    return Path(data_dir) / EXPORTS


def export_name(user: str) -> str:
    """The file name of a member's export (the same in every front-end; safe as a file name)."""
    return f"sobria-export-{_UNSAFE.sub('_', user) or '_'}.json"


def write_private(folder: Path, name: str, content: bytes) -> Path:
    """Write `content` to folder/name, readable and writable by its owner only (0600), whatever the umask
    and whether the file existed before. Raises OSError (read-only folder, full disk)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / Path(name).name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)  # an older file keeps its mode through O_CREAT: set it again
        os.write(fd, content)
    finally:
        os.close(fd)
    return path


def remove_member_exports(data_dir: str | Path, user: str) -> list[Path]:
    """Delete the export files of `user` (after /ia-me forget confirm); returns what was deleted."""
    path = exports_dir(data_dir) / export_name(user)
    try:
        path.unlink()
    except FileNotFoundError:
        return []
    return [path]


def remove_old_exports(data_dir: str | Path, now: float | None = None, max_age: float = MAX_AGE_S) -> list[Path]:
    """Delete every file of the exports folder older than `max_age` seconds; returns what was deleted.
    A file that cannot be deleted is left for the next run."""
    now = time.time() if now is None else now
    folder = exports_dir(data_dir)
    removed = []
    try:
        files = [p for p in folder.iterdir() if p.is_file()]
    except OSError:
        return []
    for path in files:
        try:
            if now - path.stat().st_mtime > max_age:
                path.unlink()
                removed.append(path)
        except OSError:
            continue
    return removed
