"""What the embedded store remembers with a log about its member (`Store.add_event(member=...)`).

A log reply remembers the week its tip was shown (bot/coaching/log_tip.py),
so that each tip comes at most once a week. That memory was merged into the
member's record in `workspace.json`: a whole rewrite of the file with two
fsyncs after the log's own flush, 3.6 ms at the median, and what made the
slowest 1 to 2 % of logs (p99 22 ms at 520,000 events, 3 December 2026).

Here it lives in a small file per member, `<workspace>/.logged/<member>`,
JSON, rewritten in place (member_files.py): no second flush. `member()` and
`settings_and_member()` read it over the member's record. What a crash may
cost: a power cut can lose the last weeks remembered, and a damaged file
reads as empty; either way a tip is shown a second time that week. Backups
leave it out, for the same reason, and a restore drops it; the copy to
PostgreSQL carries it for the members who have a record.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping

from bot.store import member_files

FOLDER = ".logged"


def fields_file(ws_dir: Path, user: str) -> Path:
    return member_files.member_file(ws_dir, FOLDER, user)


def read(ws_dir: Path, user: str) -> dict[str, Any]:
    """The fields remembered for the member; empty when none, or when the file cannot be read."""
    try:
        with member_files.locked(fields_file(ws_dir, user), create=False) as fd:
            return _parse(member_files.read_all(fd)) if fd is not None else {}
    except OSError:
        return {}


def merge(ws_dir: Path, user: str, fields: Mapping[str, Any]) -> None:
    """Remember `fields` for the member, over what was remembered. OSError if the disk refuses."""
    with member_files.locked(fields_file(ws_dir, user)) as fd:
        assert fd is not None
        kept = _parse(member_files.read_all(fd))
        member_files.rewrite(fd, json.dumps({**kept, **fields}, ensure_ascii=False).encode(), b" ")


def forget(ws_dir: Path, user: str) -> None:
    member_files.forget(fields_file(ws_dir, user))


def _parse(raw: bytes) -> dict[str, Any]:
    try:
        fields = json.loads(raw) if raw.strip() else {}
    except ValueError:
        return {}
    return fields if isinstance(fields, dict) else {}


__all__ = ["FOLDER", "fields_file", "forget", "merge", "read"]
