"""/ia-top: the leaderboard of avoided generations (members and teams), for a week, a month or all time.

Wording: `templates/stats.j2` and the `ia-top` entry of `commands.toml`.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.command import Argument, Command
from bot.core.reply import Fact, Reply
from bot.core.services import Ctx, Services
from bot.reports.summaries import leaderboard
from bot.reports.teams import team_leaderboard
from bot.store import Counts

PERIODS = ("week", "month", "all")
SHOWN = 10  # rows of the leaderboard shown in chat


@dataclass(frozen=True)
class TopRequest:
    period: str
    public: bool


def handle(s: Services, req: TopRequest, ctx: Ctx) -> Reply:
    m = s.words(ctx.lang, "stats")
    if req.period == "all":
        key, start, end = "all", None, None
    else:
        p = s.period(ctx, req.period)
        key, start, end = p.key, p.first_day, p.last_day
    per_user = s.store.counts(ctx.ws, ctx.tz, [key])[key]
    members = {mb["user"]: mb for mb in s.store.members(ctx.ws)}
    rows = leaderboard(per_user, members)
    lines = [m("top_row", rank, name, avoided) for rank, _, name, avoided in rows[:SHOWN]]
    if not lines:
        lines = [m("top_empty")]
    mine = next((i for i, row in enumerate(rows) if row[1] == ctx.user), None)
    if members.get(ctx.user, {}).get("leaderboard") is False:
        lines.append(m("top_opted_out"))
    elif mine is None or mine >= SHOWN:
        lines.append(m("top_you", rows[mine][0] if mine is not None else None,
                       per_user.get(ctx.user, Counts()).avoided))
    teams = team_leaderboard(per_user, list(members.values()), ctx.settings.team_groups)
    facts = tuple(Fact(m("team_row_label", t.rank, t.team), m("team_row", t.avoided, t.members, t.per_member))
                  for t in teams[:SHOWN])
    return Reply(kind="top", title=m("top_title", req.period, start, end), lines=tuple(lines), facts=facts,
                 public=req.public, lang=ctx.lang, data={"rows": rows, "teams": teams})


COMMAND = Command(
    "ia-top",
    handle,
    (Argument("period", "period", choices=PERIODS, default="month"), Argument("public", "flag")),
    request=TopRequest,
)
