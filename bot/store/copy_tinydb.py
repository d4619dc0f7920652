"""The copy of an embedded (TinyDB) data directory into a PostgreSQL store: `sobria migrate --from-tinydb`.

`copy_from_tinydb` copies every workspace (events, members, settings,
summaries already sent), then reads them back: each event id, member, setting
and summary claim must be found, or the report names what is missing. It can
be run again: what is already in PostgreSQL is kept, nothing is counted twice
(events are keyed by id), and the embedded store is only read.

Events and summary claims are read from the workspace's files directly, a
day file at a time: the Store interface lists neither a workspace's events
nor its claims.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from bot.core.errors import StoreError
from bot.store.atomic import read_json
from bot.store.base import Event
from bot.store.postgres_store import PostgresStore
from bot.store.tinydb_store import TinyStore, workspace_dirname


@dataclass
class WorkspaceCopy:
    """What one workspace's copy did, and what the check found."""

    workspace: str
    events: int = 0  # distinct events in the source
    inserted: int = 0  # of those, new in the target (the rest were already there)
    missing: list[str] = field(default_factory=list)  # source event ids absent from the target afterwards
    members: int = 0
    settings: int = 0
    summaries: int = 0
    mismatches: list[str] = field(default_factory=list)  # members, settings or claims that differ afterwards

    @property
    def ok(self) -> bool:
        return not self.missing and not self.mismatches


def _source_events(data_dir: Path, workspace: str) -> Iterator[Event]:
    """Every event of one workspace in an embedded data directory, day file by day file."""
    folder = data_dir / "workspaces" / workspace_dirname(workspace) / "events"
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.json")):
        data = read_json(path) or {}
        for doc in (data.get("events") or {}).values():
            yield Event.from_dict(doc)


def _source_table(data_dir: Path, workspace: str, table: str) -> list[dict[str, Any]]:
    data = read_json(data_dir / "workspaces" / workspace_dirname(workspace) / "workspace.json") or {}
    return [dict(doc) for doc in (data.get(table) or {}).values()]


def copy_from_tinydb(source_dir: str | Path, target: PostgresStore, batch: int = 5000,
                     progress: Callable[[WorkspaceCopy], None] | None = None) -> list[WorkspaceCopy]:
    """Copy every workspace of an embedded data directory into `target`, then check it arrived.

    Settings are overwritten by the source's, member fields merged, events and
    summary claims added when absent; nothing in the target is deleted.
    """
    source_dir = Path(source_dir)
    if not (source_dir / "workspaces").is_dir():
        raise StoreError("no embedded store here (expected a 'workspaces' folder)", str(source_dir))
    source = TinyStore(source_dir)
    reports = []
    try:
        for ws in source.workspaces():
            report = WorkspaceCopy(ws)
            seen: set[str] = set()
            pending: list[Event] = []

            def flush() -> None:
                report.inserted += target.add_events(ws, pending)
                report.missing += target.missing_events(ws, [e.id for e in pending])
                pending.clear()

            for event in _source_events(source_dir, ws):
                if event.id in seen:
                    continue  # the same id twice in the source is one event
                seen.add(event.id)
                pending.append(event)
                if len(pending) >= batch:
                    flush()
            flush()
            report.events = len(seen)

            settings = source.settings(ws)
            for key, value in settings.items():
                target.set_setting(ws, key, value)
            report.settings = len(settings)
            members = source.members(ws)
            for doc in members:  # with what their logs remembered (a memory without a record is left: a tip again)
                fields = {k: v for k, v in (source.member(ws, str(doc["user"])) or doc).items() if k != "user"}
                target.update_member(ws, str(doc["user"]), **fields)
            report.members = len(members)
            claims = _source_table(source_dir, ws, "summaries")
            for claim in claims:
                target.record_summary(ws, str(claim["kind"]), str(claim["period"]), claim.get("at"))
            report.summaries = len(claims)
            for doc in _source_table(source_dir, ws, "destinations"):  # where platforms reach the workspace
                target.set_destination(ws, str(doc["platform"]), str(doc["key"]), dict(doc["value"]))

            report.mismatches = _check(target, ws, settings, members, claims)
            reports.append(report)
            if progress is not None:
                progress(report)
    finally:
        source.close()
    return reports


def _check(target: PostgresStore, ws: str, settings: dict[str, Any], members: list[dict[str, Any]],
           claims: list[dict[str, Any]]) -> list[str]:
    """Read back what was copied; every difference is named."""
    problems = []
    stored = target.settings(ws)
    for key, value in settings.items():
        if stored.get(key) != value:
            problems.append(f"setting {key!r}")
    for doc in members:
        back = target.member(ws, str(doc["user"])) or {}
        if any(back.get(k) != v for k, v in doc.items()):
            problems.append(f"member {doc['user']!r}")
    claimed = target.summaries_claimed(ws)
    for claim in claims:
        if (str(claim["kind"]), str(claim["period"])) not in claimed:
            problems.append(f"summary {claim['kind']}/{claim['period']}")
    return problems


__all__ = ["WorkspaceCopy", "copy_from_tinydb"]
