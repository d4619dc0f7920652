"""/ia-stats: the member's and the team's figures for the week or the month; also the Slack App Home.

Wording: `templates/stats.j2` and the `ia-stats` entry of `commands.toml`.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.commands.me import pref_buttons, progress
from bot.core import periods
from bot.core.command import Argument, Command
from bot.core.reply import Fact, Reply
from bot.core.services import Ctx, Services
from bot.habits.buttons import quick_buttons
from bot.impact.view import footprint_facts, footprint_headline, impact_footer
from bot.reports.summaries import footprint_of
from bot.store import Counts, workspace_total

PERIODS = ("week", "month")


@dataclass(frozen=True)
class StatsRequest:
    period: str
    public: bool


def handle(s: Services, req: StatsRequest, ctx: Ctx) -> Reply:
    period = s.period(ctx, req.period)
    fig = s.store.member_figures(ctx.ws, ctx.tz, period.key, ctx.user)  # a few rows, not every member's
    mine, team = fig.mine, fig.team
    zone_colour, zone_text = s.zone_text(ctx, fig if period.key == periods.week_key(ctx.today()) else None)
    m = s.words(ctx.lang, "stats")
    used_head, used_facts = footprint_facts(s.r, ctx.lang, s.impact, footprint_of(s.impact, team.gen))
    facts = (
        Fact(m("me_label"), m("counts", mine.generations, mine.avoided, mine.rct_avg)),
        Fact(m("team_label"), m("counts", team.generations, team.avoided, team.rct_avg)),
        Fact(m("members_label"), m("members", fig.members)),
        *used_facts,
    )
    lines = [m("used", used_head)]
    if team.avoided:  # the headline alone: the avoided footprint's other facts are not shown
        lines.append(footprint_headline(s.r, ctx.lang, s.impact, footprint_of(s.impact, team.avoid), avoided=True))
    goal = progress(s, ctx)
    if goal is not None:  # the member's own goal and streak, this week (`bot.habits`)
        lines.append(s.words(ctx.lang, "habits")("progress", goal, ctx.thresholds))
    return Reply(
        kind="stats", title=m("title", req.period, period.first_day, period.last_day), lines=tuple(lines), facts=facts,
        zone=zone_colour, zone_text=zone_text, public=req.public, lang=ctx.lang,
        footer=impact_footer(s.r, ctx.lang, s.impact, ctx.settings.zone),
        data={"me": mine, "team": team},
    )


def home(s: Services, ctx: Ctx) -> Reply:
    """The member's week and month at a glance, their goal and streak, the one-click logging buttons and the
    preference buttons (Slack App Home)."""
    m = s.words(ctx.lang, "stats")
    today = ctx.today()
    week, month = periods.week_of(today, ctx.tz), periods.month_of(today, ctx.tz)
    counts = s.store.counts(ctx.ws, ctx.tz, [week.key, month.key])
    mine_w = counts[week.key].get(ctx.user, Counts())
    mine_m = counts[month.key].get(ctx.user, Counts())
    zone_colour, zone_text = s.zone_text(ctx)
    team_m = workspace_total(counts[month.key])
    facts = (
        Fact(m("home_week"), m("counts", mine_w.generations, mine_w.avoided, mine_w.rct_avg)),
        Fact(m("home_month"), m("counts", mine_m.generations, mine_m.avoided, mine_m.rct_avg)),
        Fact(m("team_label"), m("counts", team_m.generations, team_m.avoided, team_m.rct_avg)),
    )
    goal = s.words(ctx.lang, "habits")("progress", progress(s, ctx), ctx.thresholds)
    return Reply(kind="home", title=m("home_title", ctx.sender.display_name), lines=(goal,), facts=facts,
                 zone=zone_colour, zone_text=zone_text, buttons=(*quick_buttons(s.r, ctx.lang), *pref_buttons(s, ctx)),
                 lang=ctx.lang)


COMMAND = Command(
    "ia-stats",
    handle,
    (Argument("period", "period", choices=PERIODS, default="week"), Argument("public", "flag")),
    request=StatsRequest,
)
