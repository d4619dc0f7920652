"""Installations of a distributed bot, OAuth states, and workspaces waiting to be deleted after an uninstall.

When one Sobria serves many companies, each company installs it into its own
workspace through the platform's OAuth flow: the platform hands over a token
per workspace, which must be kept where the workspace's data is kept (the
embedded store's folder, or PostgreSQL, so that every process behind a load
balancer finds it). This module is the platform-neutral half: records are
plain JSON documents addressed by (platform, kind, enterprise, team, user);
what a record holds is the adapter's business (`adapters/slack/installations.py`
turns Slack's `Installation` and `Bot` into them and back).

It also keeps:

- the OAuth *states*, one-time values that tie the redirect back from the
  platform to the install page that started it: each is consumed once and
  only before it expires (a replayed or forged state is refused);
- the workspaces *uninstalled*, with the time: their tokens are deleted at
  once, their data only after `[store] uninstall_grace_days` (the daily upkeep
  calls `purge_uninstalled`), unless the workspace installs the bot again.

Why not slack_sdk's own stores: they are Slack's (the engine imports no
platform library), and its SQL store needs SQLAlchemy and tables of its own
beside the ones Sobria migrates; its file store keeps one file per record
without locking, which two processes could overwrite.

The embedded store keeps all of this in one file, `<data_dir>/installations.json`,
written atomically under a file lock (the same writer as the TinyDB store:
bot/store/atomic.py), readable by its owner only since it holds tokens. It
is not part of the daily backups: a lost token is recovered by installing
again, and a backup is safer without it. PostgreSQL keeps three tables
(pg_schema.py, migration 2).
"""

from __future__ import annotations

import copy
import logging
import os
import shutil
import threading
import time
import weakref
from pathlib import Path
from typing import Any, Callable, Protocol


from bot.core.errors import StoreWriteError
from bot.store.atomic import Stamp, file_stamp, read_json, write_json_atomic
from bot.store.flock import ProcessLock

log = logging.getLogger(__name__)

FILE_NAME = "installations.json"
LOCK_TIMEOUT_S = 10.0
DAY_S = 86400


class Installations(Protocol):
    """What a distributed adapter and the daily upkeep need; every method is safe across processes."""

    def save(self, platform: str, kind: str, enterprise: str, team: str, user: str, record: dict[str, Any]) -> None:
        """Insert or replace the record at this address ("" for an absent enterprise, team or user)."""

    def find(self, platform: str, kind: str, enterprise: str, team: str, user: str) -> dict[str, Any] | None: ...

    def delete(self, platform: str, enterprise: str, team: str, *, kind: str | None = None,
               user: str | None = None) -> int:
        """Delete the team's records (of one kind, of one user, when given); returns how many went."""

    def add_state(self, state: str, expires_at: float) -> None: ...

    def consume_state(self, state: str, now: float) -> bool:
        """True once for a state added and not expired; it is gone afterwards, whatever the answer."""

    def mark_uninstalled(self, workspace: str, at: float) -> None: ...

    def clear_uninstalled(self, workspace: str) -> bool:
        """Forget the uninstall (the workspace installed again); True when there was one."""

    def uninstalled(self) -> dict[str, float]:
        """Workspace → when it was uninstalled."""


# ---------------------------------------------------------------------------- the embedded store
class FileInstallations:
    """`Installations` in one JSON file of the data directory; see the module docstring."""

    def __init__(self, data_dir: str | os.PathLike[str]) -> None:
        self.path = Path(data_dir) / FILE_NAME
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = ProcessLock(str(self.path) + ".lock", LOCK_TIMEOUT_S)
        self._mutex = threading.Lock()
        self._seen: tuple[Stamp | None, dict[str, Any]] | None = None  # the file as last parsed, for readers

    def _read(self) -> dict[str, Any]:
        """The file's content, freshly parsed (writers change it)."""
        data = read_json(self.path) or {}
        data.setdefault("records", {})
        data.setdefault("states", {})
        data.setdefault("uninstalled", {})
        return data

    def _current(self) -> dict[str, Any]:
        """The file's content for reading, parsed again only when the file changed: every request of a
        distributed bot looks its workspace up here, and the file grows with the workspaces. Never modified."""
        stamp = file_stamp(self.path)
        if self._seen is None or stamp is None or self._seen[0] != stamp:
            self._seen = (stamp, self._read())
        return self._seen[1]

    def _change(self, fn: Callable[[dict[str, Any]], Any]) -> Any:
        """Read, change and write the file under the lock (threads and processes)."""
        with self._mutex:
            try:
                self._lock.acquire()
            except OSError as exc:  # LockTimeout included
                raise StoreWriteError("the installations file is busy or cannot be locked", str(self.path)) from exc
            try:
                data = self._read()
                result = fn(data)
                write_json_atomic(self.path, data)
                return result
            finally:
                self._lock.release()

    @staticmethod
    def _key(platform: str, kind: str, enterprise: str, team: str, user: str) -> str:
        return "|".join((platform, kind, enterprise, team, user))

    def save(self, platform: str, kind: str, enterprise: str, team: str, user: str, record: dict[str, Any]) -> None:
        key = self._key(platform, kind, enterprise, team, user)
        self._change(lambda d: d["records"].__setitem__(key, record))

    def find(self, platform: str, kind: str, enterprise: str, team: str, user: str) -> dict[str, Any] | None:
        with self._mutex:
            record = self._current()["records"].get(self._key(platform, kind, enterprise, team, user))
            return copy.deepcopy(record) if isinstance(record, dict) else None  # the cache stays as read

    def delete(self, platform: str, enterprise: str, team: str, *, kind: str | None = None,
               user: str | None = None) -> int:
        def remove(data: dict[str, Any]) -> int:
            gone = [k for k in data["records"]
                    if _matches(k.split("|"), platform, enterprise, team, kind, user)]
            for k in gone:
                del data["records"][k]
            return len(gone)

        return int(self._change(remove))

    def add_state(self, state: str, expires_at: float) -> None:
        def add(data: dict[str, Any]) -> None:
            now = time.time()
            data["states"] = {s: t for s, t in data["states"].items() if t > now}  # expired ones are dropped
            data["states"][state] = expires_at

        self._change(add)

    def consume_state(self, state: str, now: float) -> bool:
        return bool(self._change(lambda d: (d["states"].pop(state, None) or 0) > now))

    def mark_uninstalled(self, workspace: str, at: float) -> None:
        self._change(lambda d: d["uninstalled"].setdefault(workspace, at))

    def clear_uninstalled(self, workspace: str) -> bool:
        return self._change(lambda d: d["uninstalled"].pop(workspace, None)) is not None

    def uninstalled(self) -> dict[str, float]:
        with self._mutex:
            return {w: float(t) for w, t in self._current()["uninstalled"].items()}


def _matches(parts: list[str], platform: str, enterprise: str, team: str, kind: str | None, user: str | None) -> bool:
    p, k, e, t, u = parts
    return (p == platform and e == enterprise and t == team and (kind is None or k == kind)
            and (user is None or u == user))


# ---------------------------------------------------------------------------- PostgreSQL
class PgInstallations:
    """`Installations` in the tables of migration 2, through the PostgreSQL store's pool and retries."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def _run(self, fn: Callable[[Any], Any], write: bool) -> Any:
        return self.store._run(fn, write=write)  # the store's pooled connection, retried as its own queries

    def save(self, platform: str, kind: str, enterprise: str, team: str, user: str, record: dict[str, Any]) -> None:
        from psycopg.types.json import Jsonb

        self._run(lambda c: c.execute(
            """INSERT INTO sobria_installations (platform, kind, enterprise, team, user_id, record)
               VALUES (%s, %s, %s, %s, %s, %s)
               ON CONFLICT (platform, kind, enterprise, team, user_id)
               DO UPDATE SET record = EXCLUDED.record, saved_at = now()""",
            (platform, kind, enterprise, team, user, Jsonb(record))), write=True)

    def find(self, platform: str, kind: str, enterprise: str, team: str, user: str) -> dict[str, Any] | None:
        row = self._run(lambda c: c.execute(
            """SELECT record FROM sobria_installations
               WHERE platform = %s AND kind = %s AND enterprise = %s AND team = %s AND user_id = %s""",
            (platform, kind, enterprise, team, user)).fetchone(), write=False)
        return dict(row[0]) if row else None

    def delete(self, platform: str, enterprise: str, team: str, *, kind: str | None = None,
               user: str | None = None) -> int:
        return int(self._run(lambda c: c.execute(
            """DELETE FROM sobria_installations WHERE platform = %s AND enterprise = %s AND team = %s
               AND (%s::text IS NULL OR kind = %s) AND (%s::text IS NULL OR user_id = %s)""",
            (platform, enterprise, team, kind, kind, user, user)).rowcount, write=True))

    def add_state(self, state: str, expires_at: float) -> None:
        def add(conn: Any) -> None:
            with conn.transaction():
                conn.execute("DELETE FROM sobria_oauth_states WHERE expires_at < %s", (time.time(),))
                conn.execute("INSERT INTO sobria_oauth_states (state, expires_at) VALUES (%s, %s)",
                             (state, expires_at))

        self._run(add, write=True)

    def consume_state(self, state: str, now: float) -> bool:
        row = self._run(lambda c: c.execute(
            "DELETE FROM sobria_oauth_states WHERE state = %s RETURNING expires_at", (state,)).fetchone(), write=True)
        return bool(row) and float(row[0]) > now

    def mark_uninstalled(self, workspace: str, at: float) -> None:
        self._run(lambda c: c.execute(
            "INSERT INTO sobria_uninstalls (workspace, uninstalled_at) VALUES (%s, %s) ON CONFLICT DO NOTHING",
            (workspace, at)), write=True)

    def clear_uninstalled(self, workspace: str) -> bool:
        return bool(self._run(lambda c: c.execute(
            "DELETE FROM sobria_uninstalls WHERE workspace = %s", (workspace,)).rowcount, write=True))

    def uninstalled(self) -> dict[str, float]:
        rows = self._run(lambda c: c.execute("SELECT workspace, uninstalled_at FROM sobria_uninstalls").fetchall(),
                         write=False)
        return {w: float(t) for w, t in rows}


_OPENED: "weakref.WeakKeyDictionary[Any, Installations]" = weakref.WeakKeyDictionary()
_OPENED_LOCK = threading.Lock()


def installations_for(store: Any) -> Installations:
    """The installations kept beside `store` (PostgreSQL tables, or the embedded store's file), one per store."""
    with _OPENED_LOCK:
        found = _OPENED.get(store)
        if found is None:
            root = getattr(store, "root", None)
            found = FileInstallations(root) if root is not None else PgInstallations(store)
            _OPENED[store] = found
        return found


# ---------------------------------------------------------------------------- deleting a workspace
def _owned_by(workspace: str, stored: str) -> bool:
    """Whether a stored workspace id belongs to `workspace` (a Grid organisation owns its "E:T" workspaces)."""
    return stored == workspace or stored.startswith(f"{workspace}:")


def forget_workspace(store: Any, workspace: str) -> list[str]:
    """Delete every piece of data of a workspace (and of its teams, for a Grid organisation); returns the ids.

    The embedded store: each workspace folder is renamed out of the way
    first (one atomic step: a reader sees it whole or not at all), then
    removed. PostgreSQL: one transaction deletes the workspace's rows from
    every Sobria table that has a `workspace` column, so tables added by
    later migrations are covered without a list to keep up to date.
    """
    targets = [w for w in store.workspaces() if _owned_by(workspace, w)]
    root = getattr(store, "root", None)
    if root is not None:
        from bot.store.tinydb_store import workspace_dirname

        for target in targets:
            folder = Path(root) / "workspaces" / workspace_dirname(target)
            trash = Path(root) / f".deleted-{workspace_dirname(target)}-{os.getpid()}-{time.time_ns()}"
            with store.workspace_lock(target):
                folder.rename(trash)
            with store._mutex:
                store._locks.pop(target, None)  # its lock file went with the folder; a new write makes a new one
            shutil.rmtree(trash, ignore_errors=True)
        store.close()  # drops the cached figures; the store keeps working and re-reads what is left
        return targets

    def delete(conn: Any) -> None:
        tables = [r[0] for r in conn.execute(
            """SELECT table_name FROM information_schema.columns
               WHERE table_schema = current_schema() AND column_name = 'workspace'
                 AND table_name LIKE 'sobria\\_%%' AND table_name <> 'sobria_uninstalls'""").fetchall()]
        # the events first: their triggers keep the totals tables right while they go, then every other table
        with conn.transaction():
            for table in sorted(tables, key=lambda t: (t != "sobria_events", t)):
                conn.execute(f'DELETE FROM "{table}" WHERE workspace = %s OR workspace LIKE %s',  # noqa: S608
                             (workspace, workspace.replace("%", r"\%").replace("_", r"\_") + ":%"))

    store._run(delete, write=True)
    if hasattr(store, "_known"):
        store._known.difference_update(targets)  # written again, a workspace is registered again
    return targets


def purge_uninstalled(store: Any, grace_days: int, now: float) -> list[str]:
    """Delete the data of the workspaces uninstalled more than `grace_days` ago (the daily upkeep's step)."""
    installs = installations_for(store)
    purged = []
    for workspace, at in sorted(installs.uninstalled().items()):
        if now - at < grace_days * DAY_S:
            continue
        gone = forget_workspace(store, workspace)
        installs.clear_uninstalled(workspace)
        log.info("workspace %s uninstalled %d days ago: its data is deleted (%d workspace(s))",
                 workspace, int((now - at) // DAY_S), len(gone))
        purged.append(workspace)
    return purged


__all__ = ["FileInstallations", "Installations", "PgInstallations", "forget_workspace", "installations_for",
           "purge_uninstalled"]
