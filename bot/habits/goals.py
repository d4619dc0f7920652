"""The rules of a personal weekly goal, its streak, a member's pause and a workspace's closing weeks: pure functions.

What the stand-up and kudos bots people keep have in common is a goal of one's own, a streak to protect and
a holiday mode (their issue trackers are full of "vacation mode" and "snooze" requests). Sobria's versions:

- **Goal** (`/ia-me objectif 5`): at most that many generations *of the kinds the zone counts*
  (`bot.core.zones`, `Thresholds.kinds`) in a week; 0 is a goal too. Stored on the member as `goal`, with
  `goal_since` (the Monday of the week it was first set): weeks before it are never judged.
- **Streak**: complete weeks in a row within the goal, newest first. A week in which the member logged
  nothing, or a closing week of the workspace, neither extends nor breaks it: Sobria cannot tell a sober
  week from a week away, and a coach never punishes a holiday. Changing the goal keeps the streak's start;
  turning it off forgets it.
- **Pause** (`/ia-me pause 2 semaines`, `pause jusqu'au 2026-08-23`): stored on the member as
  `paused_until`, the last paused day (ISO date, inclusive) in the workspace's calendar. A paused member gets
  no personal nudge.
- **Closing weeks** (`/ia-settings fermeture 2026-08-03 2026-08-23`): stored on the workspace as `closing`,
  a list of [first day, last day] ISO pairs. Every ISO week the range touches is a closing week: no weekly
  summary is posted about it or during it, and its zone is not judged (streaks skip it). The admin's
  confirmation names the weeks, so what "touches" means is never a surprise.

Dates are the workspace's local dates (`Ctx.today()`), so a week boundary or a daylight-saving change never
moves a pause or a closing by a day. Written here rather than taken from a library because these are
Sobria's own rules; the calendar arithmetic itself is the standard library's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Iterable, Mapping

MAX_GOAL = 1000  # generations counted a week: above the article's red line (100) tenfold, so never in the way
MAX_PAUSE_DAYS = 366  # a pause or a closing longer than a year is a typo
STREAK_WEEKS = 52  # how far back a streak is counted: a year of weeks
UNIT_DAYS = {"day": 1, "week": 7, "month": 30}

_DMY = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")


def read_date(text: str) -> date | None:
    """A date as people type it: ISO (2026-08-23) or day first (23/08/2026, 23.08.2026); None otherwise."""
    text = text.strip()
    try:
        return date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else _dmy(text)
    except ValueError:
        return None


def _dmy(text: str) -> date | None:
    m = _DMY.match(text)
    return date(int(m.group(3)), int(m.group(2)), int(m.group(1))) if m else None


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


# ---------------------------------------------------------------------------- goal
def goal_of(member: Mapping[str, Any]) -> int | None:
    """The member's weekly goal, or None (no goal, or a stored value that is not one)."""
    goal = member.get("goal")
    return goal if isinstance(goal, int) and not isinstance(goal, bool) and 0 <= goal <= MAX_GOAL else None


def goal_since(member: Mapping[str, Any]) -> date | None:
    """The Monday of the week the goal was first set (weeks before it are not judged)."""
    since = member.get("goal_since")
    return read_date(since) if isinstance(since, str) else None


def goal_fields(member: Mapping[str, Any], goal: int | None, today: date) -> dict[str, Any]:
    """The member fields to store for a new goal (None: no goal). A changed goal keeps the streak's start."""
    if goal is None:
        return {"goal": None, "goal_since": None}
    since = goal_since(member) if goal_of(member) is not None else None
    return {"goal": goal, "goal_since": (since or monday(today)).isoformat()}


@dataclass(frozen=True)
class GoalWeek:
    """One complete week as the streak sees it."""

    first_day: date
    count: int  # generations of the kinds the zone counts
    logged: bool  # anything logged at all (made or avoided)
    closed: bool = False  # a closing week of the workspace


def streak(weeks: Iterable[GoalWeek], goal: int, since: date | None = None) -> int:
    """Weeks in a row within `goal`, `weeks` given newest first; see the module docstring."""
    n = 0
    for week in weeks:
        if since is not None and week.first_day < monday(since):
            break
        if week.closed or not week.logged:
            continue
        if week.count > goal:
            break
        n += 1
    return n


@dataclass(frozen=True)
class Progress:
    """A member's goal, a week's count against it and the streak, as the App Home, /ia-stats and the nudge show it."""

    goal: int
    count: int  # this week's (or the reported week's) generations of the counted kinds
    streak: int  # complete weeks in a row within the goal, up to the week shown if it is complete
    complete: bool  # whether the week shown is over (the nudge) or still going (Home, /ia-stats)
    closed: bool = False  # the week shown is a closing week: not judged

    @property
    def within(self) -> bool:
        return self.count <= self.goal

    @property
    def left(self) -> int:
        return max(self.goal - self.count, 0)

    @property
    def celebrate(self) -> bool:
        """A complete week that extended the streak: worth a cheer."""
        return self.complete and self.within and self.streak > 0 and not self.closed


# ---------------------------------------------------------------------------- pause
def paused_until(member: Mapping[str, Any]) -> date | None:
    """The member's last paused day, if any was stored."""
    until = member.get("paused_until")
    return read_date(until) if isinstance(until, str) else None


def is_paused(member: Mapping[str, Any], day: date) -> bool:
    until = paused_until(member)
    return until is not None and day <= until


def pause_end(today: date, amount: int, unit: str) -> date:
    """The last paused day of a pause of `amount` `unit`s starting today: 2 weeks from a Wednesday ends on the
    Tuesday two weeks later, and the member is back on the Wednesday."""
    return today + timedelta(days=amount * UNIT_DAYS[unit] - 1)


def pause_problem(today: date, until: date) -> str | None:
    """Why a pause ending on `until` cannot be taken (a key of templates/errors.j2), or None."""
    if until < today:
        return "pause_past"
    if (until - today).days >= MAX_PAUSE_DAYS:
        return "pause_too_long"
    return None


# ---------------------------------------------------------------------------- closing weeks
Closing = tuple[tuple[date, date], ...]


def closing_ranges(stored: Any) -> Closing:
    """A workspace's stored `closing` read tolerantly: well-formed [first, last] pairs only, in order."""
    ranges = []
    for item in stored if isinstance(stored, list) else []:
        if isinstance(item, (list, tuple)) and len(item) == 2 and all(isinstance(x, str) for x in item):
            first, last = read_date(item[0]), read_date(item[1])
            if first and last and first <= last:
                ranges.append((first, last))
    return tuple(sorted(ranges))


def closing_problem(first: date, last: date) -> str | None:
    """Why a closing from `first` to `last` cannot be declared, or None."""
    if last < first:
        return "closing_order"
    if (last - first).days >= MAX_PAUSE_DAYS:
        return "closing_too_long"
    return None


def closing_weeks(first: date, last: date) -> tuple[date, date]:
    """The closing weeks a range declares: from the Monday of its first day to the Sunday of its last."""
    return monday(first), monday(last) + timedelta(days=6)


def week_closed(week_first_day: date, closing: Closing) -> bool:
    """Whether the ISO week starting `week_first_day` (a Monday) is a closing week (the range touches it)."""
    start, end = monday(week_first_day), monday(week_first_day) + timedelta(days=6)
    return any(first <= end and last >= start for first, last in closing)


def with_closing(stored: Any, first: date, last: date, today: date) -> list[list[str]]:
    """The stored list after adding a closing: ranges over for more than a year are dropped (no streak looks that
    far back), a range already declared is not repeated."""
    kept = [r for r in closing_ranges(stored) if (today - r[1]).days <= STREAK_WEEKS * 7]
    if (first, last) not in kept:
        kept.append((first, last))
    return [[a.isoformat(), b.isoformat()] for a, b in sorted(kept)]


def green_streak(weeks: Iterable[tuple[str, bool, bool]]) -> int:
    """Green weeks in a row for a team, newest first: (zone, logged, closed) per week; closing weeks and weeks
    with nothing logged are skipped, as in a member's streak."""
    n = 0
    for zone, logged, closed in weeks:
        if closed or not logged:
            continue
        if zone != "green":
            break
        n += 1
    return n


def silent_members(members: Iterable[Mapping[str, Any]], active: Iterable[str], week_first_day: date) -> int:
    """Members known to the workspace who logged nothing in the week starting `week_first_day`, leaving out
    those on pause at any time from that Monday on (a pause always starts the day it is taken): the weekly
    summary's count of who has not logged, never their names."""
    logged = set(active)
    return sum(1 for m in members
               if str(m.get("user", "")) and str(m.get("user")) not in logged
               and not ((until := paused_until(m)) is not None and until >= week_first_day))
