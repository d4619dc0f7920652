"""Backups, restore and the data-directory check (`sobria backup|restore|doctor`).

A backup is one tar.gz of every workspace folder, each copied while holding
that workspace's lock, so it never catches a write half-way and the bot can
keep running. Restoring first verifies that every file in the archive parses,
keeps a backup of the current state, then swaps workspace folders one by one
under their locks. The check parses every store file and names the file and
line of any damage; it never "repairs" by emptying a file.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bot.core.errors import StoreCorrupt, StoreError
from bot.store import logged
from bot.store.atomic import read_json, whole
from bot.store.member_files import id_of_name
from bot.store.tinydb_store import TinyStore, workspace_dirname

PREFIX = "sobria-backup-"
SUFFIX = ".tar.gz"


@dataclass(frozen=True)
class Problem:
    path: Path
    message: str


def backups_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "backups"


def _store_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.json") if not p.name.startswith("."))


def check(data_dir: Path) -> list[Problem]:
    """Every damaged store file under `data_dir`, with what is wrong (empty list: all good)."""
    problems: list[Problem] = []
    root = Path(data_dir) / "workspaces"
    if not root.is_dir():
        return problems
    for path in _store_files(root):
        try:
            data = read_json(path)
        except StoreCorrupt as exc:
            problems.append(Problem(path, exc.message))
            continue
        for table, docs in (data or {}).items():
            if not isinstance(docs, dict) or not all(isinstance(d, dict) for d in docs.values()):
                problems.append(Problem(path, f"table '{table}' is not a set of records"))
    return problems


def _archived(path: Path) -> bytes:
    """What a backup keeps of a store file: its bytes, without an append cut short (so the archive restores);
    a damaged file as it is (`check` reports it, and `restore` refuses an archive that holds one)."""
    raw = path.read_bytes()
    try:
        return whole(raw, path)
    except StoreCorrupt:
        return raw


def take_backup(store: TinyStore, dest: Path | None = None, now: float | None = None) -> Path:
    """Write a consistent archive of every workspace; returns its path."""
    dest = Path(dest or backups_dir(store.root))
    dest.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(now or time.time()))
    final = dest / f"{PREFIX}{stamp}{SUFFIX}"
    n = 1
    while final.exists():
        final = dest / f"{PREFIX}{stamp}-{n}{SUFFIX}"
        n += 1
    fd, tmp = tempfile.mkstemp(prefix=".backup-", suffix=".tmp", dir=dest)
    try:
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            for workspace in store.workspaces():
                with store.workspace_lock(workspace):
                    folder = store.root / "workspaces" / workspace_dirname(workspace)
                    for path in _store_files(folder):
                        data = _archived(path)
                        info = tarfile.TarInfo(str(path.relative_to(store.root)))
                        info.size, info.mtime = len(data), int(path.stat().st_mtime)
                        tar.addfile(info, io.BytesIO(data))
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp, final)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise StoreError(f"backup failed: {exc.strerror or exc}", str(dest)) from exc
    return final


def list_backups(dest: Path) -> list[Path]:
    """Backups in `dest`, oldest first."""
    if not Path(dest).is_dir():
        return []
    return sorted(p for p in Path(dest).iterdir() if p.name.startswith(PREFIX) and p.name.endswith(SUFFIX))


def prune(dest: Path, keep: int) -> list[Path]:
    """Delete all but the `keep` newest backups; returns what was deleted."""
    old = list_backups(dest)[:-keep] if keep > 0 else []
    for p in old:
        p.unlink(missing_ok=True)
    return old


def _verified_members(archive: Path) -> list[tarfile.TarInfo]:
    with tarfile.open(archive, "r:gz") as tar:
        members = tar.getmembers()
        for m in members:
            parts = Path(m.name).parts
            if not m.isfile() or m.name.startswith("/") or ".." in parts or parts[0] != "workspaces":
                raise StoreError(f"unexpected entry in backup: {m.name}", str(archive))
            fh = tar.extractfile(m)
            try:
                json.loads(fh.read() if fh else b"")
            except ValueError as exc:
                raise StoreCorrupt(f"backup entry {m.name} does not parse: {exc}", str(archive)) from exc
        return members


def restore(store: TinyStore, archive: Path) -> Path:
    """Replace the workspaces by those of `archive`; returns the backup of the state before."""
    archive = Path(archive)
    members = _verified_members(archive)
    before = take_backup(store, backups_dir(store.root))
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=store.root))
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for m in members:
                target = staging / m.name
                target.parent.mkdir(parents=True, exist_ok=True)
                fh = tar.extractfile(m)
                target.write_bytes(fh.read() if fh else b"")
        incoming = {p.name for p in (staging / "workspaces").iterdir()} if (staging / "workspaces").is_dir() else set()
        current = {p.name for p in (store.root / "workspaces").iterdir() if p.is_dir()}
        for name in sorted(incoming | current):
            workspace = _workspace_of(store, name)
            with store.workspace_lock(workspace):
                folder = store.root / "workspaces" / name
                for path in _store_files(folder):
                    path.unlink()
                shutil.rmtree(folder / logged.FOLDER, ignore_errors=True)  # memory of the state being replaced
                src = staging / "workspaces" / name
                if src.is_dir():
                    for path in _store_files(src):
                        dst = folder / path.relative_to(src)
                        dst.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copy2(path, dst)
        store.close()  # forget cached figures: the files changed under us
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return before


def _workspace_of(store: TinyStore, dirname: str) -> str:
    for workspace in store.workspaces():
        if workspace_dirname(workspace) == dirname:
            return workspace
    return id_of_name(dirname)
