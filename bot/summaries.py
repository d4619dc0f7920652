"""Figures for a period: one computation path for /ia-stats, /ia-top, summaries and reports.

Whatever shows a number for a period (a chat reply, the monthly post, the CSR
report) gets it from here, so the same period always shows the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from .periods import Period
from .store import Counts, PeriodCounts, Store, workspace_total


@dataclass(frozen=True)
class Figures:
    """Counts for one workspace over one period, per member and in total."""

    period: Period
    per_user: PeriodCounts
    total: Counts


def figures_for(store: Store, workspace: str, tz: ZoneInfo, period: Period) -> Figures:
    per_user = store.counts(workspace, tz, [period.key])[period.key]
    return Figures(period, per_user, workspace_total(per_user))


def leaderboard(per_user: PeriodCounts, members: dict[str, dict[str, Any]]) -> list[tuple[int, str, str, int]]:
    """Members ranked by avoided generations: (rank, user id, display name, avoided).

    Ties share a rank (1, 1, 3); members who opted out and members with nothing
    avoided are left out; equal counts are listed by name for a stable order.
    """
    rows = []
    for user, counts in per_user.items():
        info = members.get(user, {})
        if info.get("leaderboard") is False or counts.avoided <= 0:
            continue
        rows.append((user, str(info.get("name") or user), counts.avoided))
    rows.sort(key=lambda r: (-r[2], r[1].casefold(), r[0]))
    ranked: list[tuple[int, str, str, int]] = []
    for i, (user, name, avoided) in enumerate(rows):
        rank = ranked[-1][0] if ranked and ranked[-1][3] == avoided else i + 1
        ranked.append((rank, user, name, avoided))
    return ranked
