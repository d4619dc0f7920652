"""Counting raw event records into the totals of the periods they fall in.

An embedded store answers "how much this month?" by reading its event files;
this is the inner loop of that reading, so it works on the stored records
(dicts) without building an `Event` each, converts time stamps to local keys
once per quarter hour (`periods.keys_for_many`), and counts each event once:
records are grouped by their (day, week, month) keys, and a period's total is
the merge of the groups whose keys name it. A day file holds one or two such
groups, so keeping groups rather than one total per key costs a third of the
memory and a third of the additions.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping
from zoneinfo import ZoneInfo

from bot.core import periods
from bot.store.base import DEFAULT_EVENT_ZONE, Counts, Event, PeriodCounts

Keys = tuple[str, str, str]  # (day key, week key, month key) of the workspace's calendar
Groups = dict[Keys, PeriodCounts]


def tally(records: Iterable[Mapping[str, Any]], tz: ZoneInfo) -> Groups:
    """Per-member counts of `records`, grouped by the local day, week and month they fall in."""
    groups: Groups = {}
    keys_for = periods.keys_for_many
    for r in records:  # records come from our own files: fields have the types Event.to_dict wrote
        keys = keys_for(r["ts"], tz)
        per_user = groups.get(keys)
        if per_user is None:
            per_user = groups[keys] = {}
        user = r["user"]
        counts = per_user.get(user)
        if counts is None:
            counts = per_user[user] = Counts()
        counts.add(r["type"], r["kind"], r.get("zone") or DEFAULT_EVENT_ZONE, r["count"], r.get("rct"))
    return groups


def add_to_groups(groups: Groups, event: Event, tz: ZoneInfo) -> None:
    """Count one more event into `groups` (a write keeps cached groups exact without a re-read)."""
    per_user = groups.setdefault(periods.keys_for_many(event.ts, tz), {})
    per_user.setdefault(event.user, Counts()).add_event(event)


def merge_into(total: PeriodCounts, groups: Groups, key: str) -> None:
    """Add to `total` the counts of every group that falls in period `key`."""
    for keys, per_user in groups.items():
        if key in keys:
            for user, counts in per_user.items():
                mine = total.get(user)
                if mine is None:
                    total[user] = counts.copy()
                else:
                    mine.merge(counts)


__all__ = ["Groups", "Keys", "add_to_groups", "merge_into", "tally"]
