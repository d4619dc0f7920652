"""A member's goal progress and a team's green streak, read from the store (the rules are in `goals`).

The weeks are asked of the store by their period keys, newest first, back to the goal's first week or a year
at most (`goals.STREAK_WEEKS`), a few weeks at a time and only until the streak ends: most streaks are short,
and the App Home that shows one is republished after every command (benchmarks/habits_latency.py).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Iterable, Iterator, Mapping
from zoneinfo import ZoneInfo

from bot.core import periods
from bot.core.zones import Thresholds, diagnose
from bot.habits.goals import (
    STREAK_WEEKS, Closing, GoalWeek, Progress, goal_of, goal_since, green_streak, monday, streak, week_closed,
)
from bot.store import Counts, Store, workspace_total


def _weeks_back(first: date, since: date | None) -> list[date]:
    """Mondays from `first` back to `since`'s week (or a year), newest first."""
    out, day = [], monday(first)
    stop = monday(since) if since else None
    while len(out) < STREAK_WEEKS and (stop is None or day >= stop):
        out.append(day)
        day -= timedelta(days=7)
    return out


FIRST_CHUNK = 6  # weeks asked of the store at first; each further ask doubles


def _in_chunks(days: list[date]) -> Iterator[list[date]]:
    """`days` a few at a time: FIRST_CHUNK, then twice as many each time (most streaks end in the first)."""
    start, size = 0, FIRST_CHUNK
    while start < len(days):
        yield days[start:start + size]
        start, size = start + size, size * 2


def _goal_weeks(store: Store, workspace: str, tz: ZoneInfo, thresholds: Thresholds, closing: Closing, user: str,
                days: list[date]) -> Iterator[GoalWeek]:
    """The member's weeks starting on `days` (newest first), read from the store lazily, a chunk at a time."""
    for chunk in _in_chunks(days):
        counts = store.counts(workspace, tz, [periods.week_key(d) for d in chunk])
        for day in chunk:
            c = counts[periods.week_key(day)].get(user, Counts())
            yield GoalWeek(monday(day), c.zone_count(thresholds.kinds), bool(c.gen_logs or c.avoid_logs),
                           week_closed(day, closing))


def week_count(store: Store, workspace: str, tz: ZoneInfo, thresholds: Thresholds, user: str, day: date) -> int:
    """The member's generations of the counted kinds in the week of `day` (no streak: a click's confirmation)."""
    key = periods.week_key(day)
    return store.counts(workspace, tz, [key])[key].get(user, Counts()).zone_count(thresholds.kinds)


def member_progress(store: Store, workspace: str, tz: ZoneInfo, thresholds: Thresholds, closing: Closing,
                    member: Mapping[str, Any], user: str, shown: date, complete: bool) -> Progress | None:
    """The member's goal against the week of `shown` (`complete`: that week is over, as for the nudge) and the
    streak of complete weeks up to it; None when the member has no goal."""
    goal = goal_of(member)
    if goal is None:
        return None
    since = goal_since(member)
    history = _weeks_back(shown if complete else monday(shown) - timedelta(days=7), since)
    now = next(_goal_weeks(store, workspace, tz, thresholds, closing, user, [shown]))
    weeks = _goal_weeks(store, workspace, tz, thresholds, closing, user, history)
    return Progress(goal, now.count, streak(weeks, goal, since), complete, now.closed)


def team_green_streak(store: Store, workspace: str, tz: ZoneInfo, thresholds: Thresholds, closing: Closing,
                      last_day: date) -> int:
    """Green weeks in a row for the whole workspace, up to the last complete ISO week ending by `last_day`."""
    newest = monday(last_day) if last_day.weekday() == 6 else monday(last_day) - timedelta(days=7)
    return green_streak(_team_weeks(store, workspace, tz, thresholds, closing, _weeks_back(newest, None)))


def _team_weeks(store: Store, workspace: str, tz: ZoneInfo, thresholds: Thresholds, closing: Closing,
                days: list[date]) -> Iterator[tuple[str, bool, bool]]:
    """(zone, logged, closed) of the workspace's weeks starting on `days` (newest first), read lazily, a chunk at
    a time: a monthly summary of a team that was not green last week reads six weeks, not a year (1,000
    summaries: 105 s of CPU with the year read at once, 3 December 2026; see docs/summaries.md)."""
    for chunk in _in_chunks(days):
        keys = [periods.week_key(d) for d in chunk]
        if thresholds.per_members:  # lines that grow with the team need each week's active members
            per_user = store.counts(workspace, tz, keys)
            judged = [(workspace_total(per_user[k]), len(per_user[k])) for k in keys]
        else:
            totals = store.totals(workspace, tz, keys)
            judged = [(totals[k], 0) for k in keys]
        for (total, active), day in zip(judged, chunk):
            yield (diagnose(total, thresholds, active).zone, bool(total.gen_logs or total.avoid_logs),
                   week_closed(day, closing))


PUBLIC_STREAKS = 5  # members named at most in the channel
MIN_PUBLIC_STREAK = 2  # one week is a start, two in a row a streak worth naming


def public_streaks(store: Store, workspace: str, tz: ZoneInfo, thresholds: Thresholds, closing: Closing,
                   week_first_day: date, members: Iterable[Mapping[str, Any]]) -> tuple[tuple[str, int], ...]:
    """(name, weeks) of the members whose complete week starting `week_first_day` extended a streak of at least
    two weeks, longest first: only members who have a goal and appear in leaderboards (the same preference as
    /ia-top), and never a broken streak or a missed goal. A public cheer, never a public shame."""
    rows = []
    for member in members:
        user = str(member.get("user", ""))
        if not user or member.get("leaderboard") is False or goal_of(member) is None:
            continue
        p = member_progress(store, workspace, tz, thresholds, closing, member, user, week_first_day, complete=True)
        if p is not None and p.celebrate and p.streak >= MIN_PUBLIC_STREAK:
            rows.append((str(member.get("name") or user), p.streak))
    rows.sort(key=lambda r: (-r[1], r[0].casefold()))
    return tuple(rows[:PUBLIC_STREAKS])
