"""Days, ISO weeks and months in a workspace's time zone.

Every figure the coach shows ("this week", "this month") is counted in the
workspace's own calendar, so a Monday-morning log in Paris lands in the new
week even though it is still Sunday in UTC. Period keys are plain strings
("d:2026-11-28", "w:2026-W48", "m:2026-11") so that stores can index them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TZ = "Europe/Paris"


def zone(name: str | None) -> ZoneInfo:
    """The ZoneInfo for `name`; raises ValueError for an unknown zone."""
    try:
        return ZoneInfo(name or DEFAULT_TZ)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone: {name!r}") from exc


def is_zone(name: str) -> bool:
    """Whether `name` is a time zone this machine knows ("Europe/Paris")."""
    try:
        zone(name)
    except ValueError:
        return False
    return True


def local(ts: float, tz: ZoneInfo) -> datetime:
    return datetime.fromtimestamp(ts, tz)


def day_key(d: date) -> str:
    return f"d:{d.isoformat()}"


def week_key(d: date) -> str:
    year, week, _ = d.isocalendar()
    return f"w:{year}-W{week:02d}"


def month_key(d: date) -> str:
    return f"m:{d.year:04d}-{d.month:02d}"


def keys_for(ts: float, tz: ZoneInfo) -> tuple[str, str, str]:
    """The day, week and month keys an event at `ts` belongs to."""
    d = local(ts, tz).date()
    return day_key(d), week_key(d), month_key(d)


# Counting years of events converts every timestamp to local time; events of the
# same quarter hour share their keys, so the conversion is done once per quarter
# hour. Offsets and their changes fall on quarter hours in every zone in use today
# (Nepal's +5:45 and Chatham's +12:45 included), and a slot whose two ends disagree
# on offset or keys is converted event by event, so the result is always exact.
_SLOT_S = 900


@lru_cache(maxsize=200_000)
def _slot_keys(slot: int, tz: ZoneInfo) -> tuple[str, str, str] | None:
    first, last = local(slot * _SLOT_S, tz), local(slot * _SLOT_S + _SLOT_S - 1, tz)
    if first.utcoffset() != last.utcoffset() or first.date() != last.date():
        return None
    d = first.date()
    return day_key(d), week_key(d), month_key(d)


def keys_for_many(ts: float, tz: ZoneInfo) -> tuple[str, str, str]:
    """`keys_for`, remembered per quarter hour: for counting many events."""
    slot = int(ts // _SLOT_S)
    if ts - slot * _SLOT_S >= _SLOT_S - 0.001:  # datetime rounds to the microsecond: may be the next slot
        return keys_for(ts, tz)
    keys = _slot_keys(slot, tz)
    return keys if keys is not None else keys_for(ts, tz)


@dataclass(frozen=True)
class Period:
    """A calendar span in a workspace's zone: [start, end) as UTC timestamps."""

    key: str
    start: datetime  # aware, local
    end: datetime  # aware, local, exclusive

    @property
    def start_ts(self) -> float:
        return self.start.timestamp()

    @property
    def end_ts(self) -> float:
        return self.end.timestamp()

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def last_day(self) -> date:
        return (self.end - timedelta(days=1)).date()

    def days(self) -> list[date]:
        """Local dates covered by the period."""
        out, d = [], self.start.date()
        while d < self.end.date():
            out.append(d)
            d += timedelta(days=1)
        return out


def _midnight(d: date, tz: ZoneInfo) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=tz)


def week_of(d: date, tz: ZoneInfo) -> Period:
    monday = d - timedelta(days=d.weekday())
    return Period(week_key(d), _midnight(monday, tz), _midnight(monday + timedelta(days=7), tz))


def month_of(d: date, tz: ZoneInfo) -> Period:
    first = d.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    return Period(month_key(d), _midnight(first, tz), _midnight(nxt, tz))


def day_of(d: date, tz: ZoneInfo) -> Period:
    return Period(day_key(d), _midnight(d, tz), _midnight(d + timedelta(days=1), tz))


def of_key(key: str, tz: ZoneInfo) -> Period:
    """The period a key names ("d:2026-11-28", "w:2026-W48", "m:2026-11") in zone `tz`."""
    kind, _, value = key.partition(":")
    if kind == "d":
        return day_of(date.fromisoformat(value), tz)
    if kind == "w":
        year, week = value.split("-W")
        return week_of(date.fromisocalendar(int(year), int(week), 1), tz)
    if kind == "m":
        year, month = value.split("-")
        return month_of(date(int(year), int(month), 1), tz)
    raise ValueError(f"unknown period key {key!r}")


def previous(period: Period, tz: ZoneInfo) -> Period:
    """The period of the same kind just before `period`."""
    before = (period.start - timedelta(days=1)).date()
    if period.key.startswith("w:"):
        return week_of(before, tz)
    if period.key.startswith("m:"):
        return month_of(before, tz)
    return day_of(before, tz)


def utc_days(period: Period) -> list[date]:
    """UTC dates touched by the period: the day files a store must read for it."""
    start = datetime.fromtimestamp(period.start_ts, timezone.utc).date()
    last = datetime.fromtimestamp(period.end_ts - 1, timezone.utc).date()
    out, d = [], start
    while d <= last:
        out.append(d)
        d += timedelta(days=1)
    return out
