"""Totals of finished weeks and months kept on disk, so that a restart does not re-read years of events.

The all-time leaderboard, the comparison with last month and a monthly
summary's week bars and green streak need the totals of periods nobody writes
to any more. Counting them means reading every event file of the period; this
module keeps the result beside the events, one small file per period and time
zone:

    <workspace>/cache/<time zone>/<YYYY-MM>.totals    (a month)
    <workspace>/cache/<time zone>/<YYYY-Www>.totals   (an ISO week)

A saved total is used only while every event file it was counted from is
unchanged (same inode, size and modification time as when it was counted),
so an import into an old month, an erasure or a restored backup makes it be
counted again instead of being trusted. It is kept in parts: the period's
first and last day files are shared with the neighbouring periods (a UTC day
holds the evening of one local day and the morning of the next), and the
next month's logs keep changing the last one in zones west of UTC; a changed
part is counted again from its own files only. The files are a cache: they are not
backed up (backups take `*.json`), a damaged or unwritable one is ignored,
and erasing a member deletes them all.

All-time figures do not depend on the zone: they are summed by UTC month
(`<workspace>/cache/UTC/<YYYY-MM>.totals`), and the sum of every UTC month
before a given one is kept too (`cache/UTC/history.totals`, see
`History`), with the stamps of every file it was counted from, so the first
/ia-top all after a start reads one small file instead of two years of months.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence
from zoneinfo import ZoneInfo

from bot.core.errors import StoreCorrupt, StoreWriteError
from bot.store.atomic import Stamp, read_json, write_json_atomic
from bot.store.base import Counts, PeriodCounts

log = logging.getLogger(__name__)

CACHE_DIR = "cache"
SUFFIX = ".totals"


def _path(ws_dir: Path, tz: ZoneInfo, key: str) -> Path:
    zone_dir = tz.key.replace("/", "~")
    return ws_dir / CACHE_DIR / zone_dir / f"{key.partition(':')[2]}{SUFFIX}"


def _stamps_json(stamps: Sequence[Stamp | None]) -> list[list[int] | None]:
    return [list(s) if s is not None else None for s in stamps]


Part = tuple[tuple[int, ...], PeriodCounts]  # indexes into the month's day files, and the counts from them


def load(ws_dir: Path, tz: ZoneInfo, key: str,
         stamps: Sequence[Stamp | None]) -> list[tuple[tuple[int, ...], PeriodCounts | None]] | None:
    """The saved parts of month `key`: each part's counts, or None for a part one of whose files changed.

    None altogether when nothing usable is saved (missing, damaged, or counted
    from another list of files).
    """
    path = _path(ws_dir, tz, key)
    try:
        data = read_json(path)
    except (StoreCorrupt, OSError):
        return None
    if not data or data.get("key") != key:
        return None
    now = _stamps_json(stamps)
    saved = data.get("stamps")
    if not isinstance(saved, list) or len(saved) != len(now):
        return None
    try:
        parts: list[tuple[tuple[int, ...], PeriodCounts | None]] = []
        for part in data["parts"]:
            files = tuple(int(i) for i in part["files"])
            unchanged = all(saved[i] == now[i] for i in files)
            counts = {str(u): Counts.from_dict(c) for u, c in part["users"].items()} if unchanged else None
            parts.append((files, counts))
        return parts
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        return None


def save(ws_dir: Path, tz: ZoneInfo, key: str, stamps: Sequence[Stamp | None], parts: Sequence[Part]) -> None:
    """Keep the counts of month `key` by part, counted from files with `stamps`; a failure only costs a recount."""
    doc: dict[str, Any] = {
        "key": key, "tz": tz.key, "stamps": _stamps_json(stamps),
        "parts": [{"files": list(files), "users": {user: c.to_dict() for user, c in counts.items()}}
                  for files, counts in parts],
    }
    try:
        write_json_atomic(_path(ws_dir, tz, key), doc)
    except (StoreWriteError, OSError) as exc:
        log.debug("month totals not saved (%s): %s", key, exc)


@dataclass
class History:
    """The per-member sum of every UTC month before `upto`, and the stamps of each month's files."""

    upto: str  # month key: the first month not included
    months: dict[str, list[list[int] | None]]  # month key -> stamps of its files, as counted
    users: PeriodCounts

    def matches(self, stamps_now: dict[str, Sequence[Stamp | None]]) -> bool:
        """Whether it was counted from exactly these files (`stamps_now`: every month before `upto` with files)."""
        if not set(stamps_now) <= set(self.months):
            return False
        return all(_stamps_json(stamps_now.get(m, ())) == saved or (m not in stamps_now and not any(saved))
                   for m, saved in self.months.items())


def _history_path(ws_dir: Path) -> Path:
    return ws_dir / CACHE_DIR / "UTC" / f"history{SUFFIX}"


def load_history(ws_dir: Path) -> History | None:
    """The saved history of the workspace (None when missing or damaged); check it with `History.matches`."""
    try:
        data = read_json(_history_path(ws_dir))
    except (StoreCorrupt, OSError):
        return None
    if not data:
        return None
    try:
        return History(str(data["upto"]), {str(m): list(st) for m, st in data["months"].items()},
                       {str(u): Counts.from_dict(c) for u, c in data["users"].items()})
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def save_history(ws_dir: Path, history: History) -> None:
    """Keep `history`; a failure only costs a recount."""
    doc = {"upto": history.upto, "months": history.months,
           "users": {user: c.to_dict() for user, c in history.users.items()}}
    try:
        write_json_atomic(_history_path(ws_dir), doc)
    except (StoreWriteError, OSError) as exc:
        log.debug("all-time history not saved: %s", exc)


def stamps_json(stamps: Sequence[Stamp | None]) -> list[list[int] | None]:
    """Stamps as the saved files hold them."""
    return _stamps_json(stamps)


def forget(ws_dir: Path) -> None:
    """Delete every saved total of the workspace (they name members)."""
    shutil.rmtree(ws_dir / CACHE_DIR, ignore_errors=True)


__all__ = ["CACHE_DIR", "History", "Part", "forget", "load", "load_history", "save", "save_history", "stamps_json"]
