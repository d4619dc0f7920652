"""Figures for a period: one computation path for /ia-stats, /ia-top, summaries and reports.

Whatever shows a number for a period (a chat reply, the weekly nudge, the
monthly post, the CSR report) gets it from here, so the same period always
shows the same figures. The first half of the module is pure arithmetic on
store counts (`figures_for`, `weekly_figures`, `monthly_figures`...); the
second half turns those figures into `Reply` objects, with every word taken
from `templates/summary.j2` and the catalogues.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Callable, Mapping
from zoneinfo import ZoneInfo

from bot.core import periods
from bot.impact.model import Equivalents, Footprint, ImpactModel, split_zone
from bot.impact.view import footprint_facts, impact_footer
from bot.core.periods import Period
from bot.core.render import Renderer, paragraphs
from bot.core.reply import Attachment, Button, Fact, Reply
from bot.store import Counts, PeriodCounts, Store, workspace_total
from bot.reports.teams import TeamRow, team_leaderboard
from bot.core.zones import Diagnosis, Thresholds, diagnose
from bot.habits.buttons import quick_buttons
from bot.habits.goals import Closing, Progress, silent_members, week_closed
from bot.habits.progress import public_streaks, team_green_streak

# A change in generations within ±5 % reads as "steady": small teams swing by a
# few generations a month for no reason worth a headline.
STEADY_BAND = 0.05
# An RCT average needs this many scored prompts in each week before a member's
# progress is quoted: one good prompt is luck, not progress.
MIN_SCORED_PROMPTS = 2
TOP_AVOIDERS = 3
TOP_TEAMS = 3


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


# ---------------------------------------------------------------------------- small pure helpers
def footprint_of(impact: ImpactModel, by_kind_zone: Mapping[str, int]) -> Footprint:
    """The footprint of counts keyed "kind|zone" (as `Counts.gen` / `Counts.avoid` hold them)."""
    total = Footprint.zero()
    for key, n in by_kind_zone.items():
        kind, _, zone = key.partition("|")
        total = total + impact.footprint(kind, n, zone or None)
    return total


def pct_change(before: float | None, after: float | None) -> float | None:
    """Relative change from `before` to `after` (0.25 = +25 %); None when there is no base to compare with."""
    if before is None or after is None or before == 0:
        return None
    return (after - before) / before


def iteration_rate(c: Counts) -> float | None:
    """Generations per logged task: 1.0 means every task took one generation."""
    return c.generations / c.gen_logs if c.gen_logs else None


def tip_index(period: Period, n_tips: int) -> int:
    """The tip of the week: consecutive weeks get consecutive tips, so none repeats within `n_tips` weeks,
    and a preview shows the very tip the post will carry."""
    if n_tips <= 0:
        raise ValueError("there must be at least one tip")
    return (period.first_day.toordinal() // 7) % n_tips


def month_outcome(generations: int, previous_generations: int, avoided: int, previous_avoided: int) -> str:
    """Which encouraging line fits the month, from the numbers only.

    "quiet": nothing logged; "first": nothing to compare with; "better": fewer
    generations (beyond ±5 %), or as many with more avoided; "steady": as many
    and no more avoided; "mixed": more generations but also more avoided;
    "worse": more generations and no more avoided. Never a victory when
    generations went up.
    """
    if generations == 0 and avoided == 0:
        return "quiet"
    if previous_generations == 0 and previous_avoided == 0:
        return "first"
    change = pct_change(previous_generations, generations)
    if change is None:  # nothing generated last month, something this month
        change = float("inf") if generations else 0.0
    if change > STEADY_BAND:
        return "mixed" if avoided > previous_avoided else "worse"
    if change < -STEADY_BAND:
        return "better"
    return "better" if avoided > previous_avoided else "steady"


class PeriodError(ValueError):
    """A period typed wrong (`sobria summary --period`, `sobria report --period`, `/ia-report`).

    `str()` is a short English reason for logs; `reason` and `params` let a
    reply word it in the member's language (`period_error` below).
    """

    def __init__(self, reason: str, message: str, **params: Any) -> None:
        super().__init__(message)
        self.reason = reason
        self.params = params


def period_error(renderer: Renderer, lang: str, error: PeriodError) -> str:
    """What was wrong with a typed period, in `lang` (templates/summary.j2, `period_error`)."""
    return renderer.macro(lang, "summary", "period_error")(error.reason, error.params)


_MONTH = re.compile(r"^(?:m:)?(\d{4})-(\d{2})$")
_WEEK = re.compile(r"^(?:w:)?(\d{4})-?W(\d{2})$", re.IGNORECASE)


def parse_period(kind: str, text: str, tz: ZoneInfo) -> Period:
    """"2026-11" (monthly) or "2026-W48" (weekly) as a Period; ValueError naming the expected form."""
    text = text.strip()
    if kind == "monthly":
        m = _MONTH.match(text)
        if not m or not 1 <= int(m.group(2)) <= 12:
            raise PeriodError("not_a_month", f"{text!r} is not a month: expected YYYY-MM, e.g. 2026-11", text=text[:40])
        return periods.month_of(date(int(m.group(1)), int(m.group(2)), 1), tz)
    if kind == "weekly":
        m = _WEEK.match(text)
        try:
            monday = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1) if m else None
        except ValueError:
            monday = None
        if monday is None:
            raise PeriodError("not_a_week", f"{text!r} is not an ISO week: expected YYYY-Www, e.g. 2026-W48",
                              text=text[:40])
        return periods.week_of(monday, tz)
    raise ValueError(f"unknown summary kind {kind!r}")


def last_complete(kind: str, today: date, tz: ZoneInfo) -> Period:
    """The latest week (or month) that ended before `today`: what a summary sent today reports on."""
    current = periods.week_of(today, tz) if kind == "weekly" else periods.month_of(today, tz)
    return periods.previous(current, tz)


def _members_by_id(store: Store, workspace: str) -> dict[str, dict[str, Any]]:
    return {str(m["user"]): m for m in store.members(workspace)}


def _named(member: Mapping[str, Any], user: str) -> str:
    return str(member.get("name") or user)


# ---------------------------------------------------------------------------- weekly figures
@dataclass(frozen=True)
class RctProgress:
    """A member's average RCT score, one week against the week before."""

    user: str
    name: str
    before: float
    after: float

    @property
    def gain(self) -> float:
        return self.after - self.before


class PeriodTotals:
    """Headline figures of a period next to the period before (shared by the weekly and monthly figures)."""

    total: Counts
    previous_total: Counts

    @property
    def generations(self) -> int:
        return self.total.generations

    @property
    def previous_generations(self) -> int:
        return self.previous_total.generations

    @property
    def change(self) -> float | None:
        return pct_change(self.previous_generations, self.generations)

    @property
    def avoided(self) -> int:
        return self.total.avoided

    @property
    def previous_avoided(self) -> int:
        return self.previous_total.avoided

    @property
    def iteration_rate(self) -> float | None:
        return iteration_rate(self.total)

    @property
    def previous_iteration_rate(self) -> float | None:
        return iteration_rate(self.previous_total)


@dataclass(frozen=True)
class WeeklyFigures(PeriodTotals):
    """The team's week next to the week before: what the weekly nudge says."""

    period: Period
    previous: Period
    total: Counts
    previous_total: Counts
    zone: str
    previous_zone: str
    saved: Footprint  # footprint of the avoided generations
    active_members: int
    best_rct: RctProgress | None
    thresholds: Thresholds
    diagnosis: Diagnosis  # the week's zone, its count (the counted kinds only) and the lines in force
    streaks: tuple[tuple[str, int], ...] = ()  # (name, weeks): goals kept in a row, leaderboard members only
    silent: int = 0  # members who logged nothing that week, members on pause left out (`bot.habits.goals`)

    @property
    def counted(self) -> int:
        """The generations the zone counts (`thresholds.kinds`); `generations` counts every kind."""
        return self.diagnosis.count


def best_rct_progress(now: PeriodCounts, before: PeriodCounts, members: Mapping[str, Mapping[str, Any]],
                      min_scored: int = MIN_SCORED_PROMPTS) -> RctProgress | None:
    """The member whose average RCT score rose most, among those who may be named.

    Both weeks need `min_scored` scored prompts; members who opted out of
    leaderboards are never picked (the next best is, if any).
    """
    best: RctProgress | None = None
    for user, c in now.items():
        b = before.get(user)
        info = members.get(user, {})
        if b is None or info.get("leaderboard") is False or c.rct_n < min_scored or b.rct_n < min_scored:
            continue
        progress = RctProgress(user, _named(info, user), b.rct_sum / b.rct_n, c.rct_sum / c.rct_n)
        if progress.gain <= 0:
            continue
        if best is None or (progress.gain, best.name.casefold()) > (best.gain, progress.name.casefold()):
            best = progress
    return best


def weekly_figures(store: Store, impact: ImpactModel, workspace: str, tz: ZoneInfo, week: Period,
                   thresholds: Thresholds = Thresholds(), closing: Closing = ()) -> WeeklyFigures:
    """Figures of `week` and the week before it, for the channel nudge."""
    before = periods.previous(week, tz)
    counts = store.counts(workspace, tz, [week.key, before.key])
    now_users, before_users = counts[week.key], counts[before.key]
    total, previous_total = workspace_total(now_users), workspace_total(before_users)
    now = diagnose(total, thresholds, len(now_users))
    members = _members_by_id(store, workspace)
    return WeeklyFigures(
        period=week,
        previous=before,
        total=total,
        previous_total=previous_total,
        zone=now.zone,
        previous_zone=diagnose(previous_total, thresholds, len(before_users)).zone,
        saved=footprint_of(impact, total.avoid),
        active_members=len(now_users),
        best_rct=best_rct_progress(now_users, before_users, members),
        thresholds=thresholds,
        diagnosis=now,
        streaks=public_streaks(store, workspace, tz, thresholds, closing, week.first_day, members.values()),
        silent=silent_members(members.values(), now_users, week.first_day),
    )


@dataclass(frozen=True)
class PersonalWeek:
    """One member's own week next to their week before: the personal nudge, about nobody else."""

    user: str
    period: Period
    previous: Period
    mine: Counts
    before: Counts
    saved: Footprint

    @property
    def change(self) -> float | None:
        return pct_change(self.before.generations, self.mine.generations)

    @property
    def active(self) -> bool:
        """Whether there is anything to say: a log in either week."""
        return bool(self.mine.gen_logs or self.mine.avoid_logs or self.before.gen_logs or self.before.avoid_logs)


def personal_week(store: Store, impact: ImpactModel, workspace: str, tz: ZoneInfo, week: Period,
                  user: str) -> PersonalWeek:
    before = periods.previous(week, tz)
    counts = store.counts(workspace, tz, [week.key, before.key])
    mine = counts[week.key].get(user, Counts())
    return PersonalWeek(user, week, before, mine, counts[before.key].get(user, Counts()),
                        footprint_of(impact, mine.avoid))


# ---------------------------------------------------------------------------- monthly figures
@dataclass(frozen=True)
class WeekBar:
    """The part of one ISO week that falls inside the month (a bar of the chart).

    Weeks cut by the month's edges keep only their days in the month, so the
    bars add up to the month's total. Their zone is judged on their pace
    (counted generations per 7 days), so a 2-day week is not called green for
    being short. `counted` is what the zone counts (the chart's bar);
    `generations` counts every kind; `lines` are the weekly lines in force
    for the bar's active members.
    """

    key: str
    first_day: date
    last_day: date
    days: int
    generations: int
    avoided: int
    zone: str
    counted: int = 0
    lines: Thresholds = Thresholds()
    closed: bool = False  # a closing week of the workspace (`bot.habits.goals`): shown, not judged

    @property
    def partial(self) -> bool:
        return self.days < 7


@dataclass(frozen=True)
class MonthlyFigures(PeriodTotals):
    """Everything the monthly victory post (and the CSR report) says about a month, as plain data."""

    workspace: str
    period: Period
    previous: Period
    total: Counts
    previous_total: Counts
    per_user: PeriodCounts
    used: Footprint  # footprint of the generations made
    saved: Footprint  # footprint of the generations avoided
    saved_equivalents: Equivalents
    weeks: tuple[WeekBar, ...]
    active_members: int
    previous_active_members: int
    top_avoiders: tuple[tuple[int, str, str, int], ...]  # leaderboard rows: opted-out members never appear
    top_teams: tuple[TeamRow, ...]
    thresholds: Thresholds
    outcome: str
    green_streak: int = 0  # green weeks in a row up to the month's last whole week (`bot.habits.progress`)

    @property
    def rct_avg(self) -> float | None:
        return self.total.rct_avg

    @property
    def previous_rct_avg(self) -> float | None:
        return self.previous_total.rct_avg

    @property
    def counted(self) -> int:
        """The month's generations of the kinds the zone counts (the weeks' bars add up to it)."""
        return self.total.zone_count(self.thresholds.kinds)

    @property
    def local(self) -> int:
        """The month's generations made with a local tool (a small model on a member's computer): their logs
        carry a local zone (`bot.impact.model.local_zone`)."""
        return sum(n for key, n in self.total.gen.items() if split_zone(key.partition("|")[2])[1])

    @property
    def local_members(self) -> int:
        """The members who made some of the month's generations with a local tool."""
        return sum(1 for c in self.per_user.values() if any(split_zone(k.partition("|")[2])[1] for k in c.gen))


def week_bar(key: str, first_day: date, last_day: date, total: Counts, thresholds: Thresholds,
             active: int = 0) -> WeekBar:
    """One bar, its zone by `diagnose` on its pace: the same judgement as the week's zone everywhere else."""
    days = (last_day - first_day).days + 1
    d = diagnose(total, thresholds, active, days)
    return WeekBar(key, first_day, last_day, days, total.generations, total.avoided, d.zone, d.count, d.thresholds)


def week_bars(store: Store, workspace: str, tz: ZoneInfo, month: Period, thresholds: Thresholds,
              closing: Closing = ()) -> tuple[WeekBar, ...]:
    """The month cut into its ISO weeks (clipped to the month): a whole week's counts, or a cut week's days;
    closing weeks are marked (their zone is not judged)."""
    return tuple(replace(b, closed=True) if week_closed(b.first_day, closing) else b
                 for b in _week_bars(store, workspace, tz, month, thresholds))


def _week_bars(store: Store, workspace: str, tz: ZoneInfo, month: Period, thresholds: Thresholds) -> tuple[WeekBar, ...]:
    groups: dict[str, list[date]] = {}
    for d in month.days():
        groups.setdefault(periods.week_key(d), []).append(d)
    wanted = {key: [key] if len(ds) == 7 else [periods.day_key(d) for d in ds] for key, ds in groups.items()}
    keys = [k for keys in wanted.values() for k in keys]
    bars = []
    if thresholds.per_members:  # lines that grow with the team need each bar's active members
        per_user = store.counts(workspace, tz, keys)
        for key, ds in groups.items():
            users: set[str] = set()
            total = Counts()
            for k in wanted[key]:
                users.update(per_user[k])
                total.merge(workspace_total(per_user[k]))
            bars.append(week_bar(key, ds[0], ds[-1], total, thresholds, len(users)))
        return tuple(bars)
    totals = store.totals(workspace, tz, keys)
    for key, ds in groups.items():
        total = Counts()
        for k in wanted[key]:
            total.merge(totals[k])
        bars.append(week_bar(key, ds[0], ds[-1], total, thresholds))
    return tuple(bars)


def monthly_figures(store: Store, impact: ImpactModel, workspace: str, tz: ZoneInfo, month: Period,
                    thresholds: Thresholds = Thresholds(), team_groups: Mapping[str, str] | None = None,
                    top: int = TOP_AVOIDERS, top_teams: int = TOP_TEAMS, closing: Closing = ()) -> MonthlyFigures:
    """Figures of `month` and the month before it; see `MonthlyFigures`."""
    before = periods.previous(month, tz)
    counts = store.counts(workspace, tz, [month.key, before.key])
    now_users, before_users = counts[month.key], counts[before.key]
    total, previous_total = workspace_total(now_users), workspace_total(before_users)
    members = _members_by_id(store, workspace)
    saved = footprint_of(impact, total.avoid)
    return MonthlyFigures(
        workspace=workspace,
        period=month,
        previous=before,
        total=total,
        previous_total=previous_total,
        per_user=now_users,
        used=footprint_of(impact, total.gen),
        saved=saved,
        saved_equivalents=impact.equivalents(saved),
        weeks=week_bars(store, workspace, tz, month, thresholds, closing),
        active_members=len(now_users),
        previous_active_members=len(before_users),
        top_avoiders=tuple(leaderboard(now_users, members)[:top]),
        top_teams=tuple(team_leaderboard(now_users, list(members.values()), team_groups)[:top_teams]),
        thresholds=thresholds,
        outcome=month_outcome(total.generations, previous_total.generations, total.avoided, previous_total.avoided),
        green_streak=team_green_streak(store, workspace, tz, thresholds, closing, month.last_day),
    )


# ---------------------------------------------------------------------------- replies
@dataclass(frozen=True)
class SummaryWords:
    """What the reply builders need to word a summary: the renderer, the footprint model, the language."""

    renderer: Renderer
    impact: ImpactModel
    lang: str
    zone: str | None = None  # the workspace's default electricity zone, for the footer

    def m(self, name: str) -> Callable[..., str]:
        return self.renderer.macro(self.lang, "summary", name)


def _footer(w: SummaryWords) -> str:
    return impact_footer(w.renderer, w.lang, w.impact, w.zone or w.impact.default_zone)


def weekly_reply(w: SummaryWords, fig: WeeklyFigures) -> Reply:
    """The weekly nudge for the summary channel."""
    m = w.m
    tips = int(m("tip_count")())
    saved_head = footprint_facts(w.renderer, w.lang, w.impact, fig.saved)[0] if fig.avoided else ""
    lines = paragraphs(
        m("weekly_volume")(fig.generations, fig.previous_generations, fig.change, fig.active_members),
        m("weekly_avoided")(fig.avoided, fig.previous_avoided, saved_head),
        m("weekly_rct")(fig.total.rct_avg, fig.previous_total.rct_avg, fig.best_rct),
        w.renderer.macro(w.lang, "habits", "public_streaks")(list(fig.streaks)) if fig.streaks else "",
        w.renderer.macro(w.lang, "habits", "silent")(fig.silent) if fig.silent else "",
        m("tip")(tip_index(fig.period, tips)),
    )
    return Reply(
        kind="weekly_summary",
        buttons=quick_buttons(w.renderer, w.lang),  # one-click logging where the team already is
        title=m("weekly_title")(fig.period.first_day, fig.period.last_day),
        lines=lines,
        zone=fig.zone,
        zone_text=m("weekly_zone")(fig.zone, fig.counted, fig.diagnosis.thresholds),
        public=True,
        footer=_footer(w) if fig.avoided else "",
        lang=w.lang,
        data={"figures": fig},
    )


def personal_reply(w: SummaryWords, week: PersonalWeek, goal: Progress | None = None) -> Reply:
    """A member's own weekly nudge, sent privately: their week, their goal and streak (`goal`, if they set one),
    the one-click logging buttons and a button to stop them."""
    m = w.m
    tips = int(m("tip_count")())
    saved_head = footprint_facts(w.renderer, w.lang, w.impact, week.saved)[0] if week.mine.avoided else ""
    lines = paragraphs(
        m("personal_volume")(week.mine.generations, week.before.generations, week.change),
        m("personal_avoided")(week.mine.avoided, saved_head),
        m("personal_rct")(week.mine.rct_avg, week.before.rct_avg),
        w.renderer.macro(w.lang, "habits", "nudge_goal")(goal) if goal is not None else "",
        m("tip")(tip_index(week.period, tips)),
    )
    return Reply(
        kind="personal_nudge",
        title=m("personal_title")(week.period.first_day, week.period.last_day),
        lines=lines,
        buttons=(*quick_buttons(w.renderer, w.lang), Button("pref", m("stop_nudges")(), "nudges off")),
        public=False,
        lang=w.lang,
        data={"figures": week},
    )


def chart_words(w: SummaryWords, fig: MonthlyFigures) -> dict[str, Any]:
    """Every word drawn on the chart, from the templates (the chart module holds none)."""
    m = w.m
    return {
        "title": m("chart_title")(fig.period.first_day),
        "ylabel": m("chart_ylabel")(fig.thresholds),  # what the bars count
        **{name: m("chart_legend")(name, fig.thresholds)
           for name in ("green", "orange", "red", "avoided", "green_max", "orange_max")},
        "weeks": [m("chart_week")(b.first_day, b.last_day, b.days) for b in fig.weeks],
        "lang": w.lang,
    }


def monthly_reply(w: SummaryWords, fig: MonthlyFigures, *, with_chart: bool = True) -> Reply:
    """The monthly victory summary, with its chart attached as a PNG."""
    m = w.m
    saved_head, saved_facts = footprint_facts(w.renderer, w.lang, w.impact, fig.saved)
    lines = paragraphs(
        m("monthly_victory")(fig.avoided, saved_head),
        m("monthly_volume")(fig.generations, fig.previous_generations, fig.change, fig.active_members),
        m("monthly_weeks")(list(fig.weeks), fig.thresholds),
        m("monthly_quality")(fig.iteration_rate, fig.previous_iteration_rate, fig.rct_avg, fig.previous_rct_avg),
        m("monthly_local")(fig.local, fig.generations, fig.local_members),
        m("monthly_top")(list(fig.top_avoiders), list(fig.top_teams)),
        m("encouragement")(fig.outcome, fig.change, fig.avoided, fig.previous_avoided),
        w.renderer.macro(w.lang, "habits", "team_streak")(fig.green_streak) if fig.green_streak >= 2 else "",
        m("saved_intro")(fig.avoided) if fig.avoided else "",
    )
    # the leading equivalent is in the victory line; the facts give the rest of what was saved
    facts: tuple[Fact, ...] = saved_facts if fig.avoided else ()
    attachments: tuple[Attachment, ...] = ()
    if with_chart:
        from bot.reports.chart import monthly_chart  # Pillow loads only when a chart is drawn

        png = monthly_chart(fig.weeks, fig.thresholds, chart_words(w, fig))
        attachments = (Attachment(m("chart_filename")(fig.period.key.partition(":")[2]), png, "image/png"),)
    return Reply(
        kind="monthly_summary",
        title=m("monthly_title")(fig.period.first_day),
        lines=lines,
        facts=facts,
        public=True,
        attachments=attachments,
        footer=_footer(w) if fig.avoided or fig.generations else "",
        lang=w.lang,
        data={"figures": fig},
    )
