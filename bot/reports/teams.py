"""Teams: which team a member belongs to, and the team leaderboard.

A member joins a team with /ia-team join, or an admin maps a platform group
(a Discord role, a Slack user group) to a team name; an explicit join wins.
The team leaderboard is normalised per member, so that a 3-person team that
avoids 9 generations (3 each) ranks above a 30-person team that avoids 60 (2 each).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from bot.store import PeriodCounts


def team_of(member: Mapping[str, Any], team_groups: Mapping[str, str] | None) -> str | None:
    """The member's team: their own choice, else the first mapped group they are in."""
    if member.get("team"):
        return str(member["team"])
    for group in member.get("groups") or ():
        if team_groups and group in team_groups:
            return team_groups[group]
    return None


def team_members(members: list[Mapping[str, Any]], team_groups: Mapping[str, str] | None) -> dict[str, list[str]]:
    """Team name → member user ids."""
    out: dict[str, list[str]] = {}
    for m in members:
        team = team_of(m, team_groups)
        if team:
            out.setdefault(team, []).append(str(m["user"]))
    return out


@dataclass(frozen=True)
class TeamRow:
    rank: int
    team: str
    members: int
    avoided: int
    per_member: float


def team_leaderboard(per_user: PeriodCounts, members: list[Mapping[str, Any]],
                     team_groups: Mapping[str, str] | None) -> list[TeamRow]:
    """Teams ranked by avoided generations per member (ties share a rank)."""
    rows = []
    for team, users in team_members(members, team_groups).items():
        avoided = sum(per_user[u].avoided for u in users if u in per_user)
        rows.append((team, len(users), avoided, avoided / len(users)))
    rows.sort(key=lambda r: (-r[3], r[0].casefold()))
    ranked: list[TeamRow] = []
    for i, (team, n, avoided, per) in enumerate(rows):
        rank = ranked[-1].rank if ranked and abs(ranked[-1].per_member - per) < 1e-9 else i + 1
        ranked.append(TeamRow(rank, team, n, avoided, per))
    return ranked
