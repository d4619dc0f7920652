"""The CSR (RSE) report: a month, a quarter or a year, as one HTML file or a CSV.

A manager puts this report in a CSR file or in front of a client, so it must
say the same numbers as the monthly summaries and /ia-stats, and show how they
were obtained. Hence:

- figures come from `bot.reports.summaries.monthly_figures`, one call per month of the
  period, and are only added up here (counts with counts, footprint ranges
  bound by bound); the weekly rows are the monthly summaries' week bars, so
  the CSV rows add up to the months and the months to the report;
- the methodology section is drawn from the `ImpactModel` in force (the same
  factors, ranges and sources every reply uses), never from a second copy;
- nobody is named unless they left the leaderboard preference on, which the
  shared `leaderboard()` already enforces.

The first half of the module is arithmetic on store counts; the second half
renders. Every word of the HTML lives in `templates/report.html.j2` and the
catalogues, rendered by an environment of its own with autoescaping on,
because display names and team names are user text and must never become
markup. The CSV's column names are in the report's language too (its header
row comes from the same template); its cells are machine numbers, the same in
every language, and its columns keep the order docs/report.md documents.
"""

from __future__ import annotations

import base64
import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Mapping, Sequence
from zoneinfo import ZoneInfo


from bot.core import periods
from bot.impact.model import Footprint, ImpactModel, Range, split_zone
from bot.impact.factors import CONTEXT, DEFAULT_ZONE_SOURCES, TOOL_ZONE_SOURCES
from bot.impact.view import footprint_facts, shown
from bot.core.periods import Period
from bot.core.render import Renderer, pick_lang
from bot.core.settings import WorkspaceSettings
from bot.core.reply import Attachment
from bot.store import Counts, PeriodCounts, Store, workspace_total
from bot.reports.summaries import (
    MonthlyFigures,
    PeriodError,
    PeriodTotals,
    SummaryWords,
    WeekBar,
    chart_words,
    figures_for,
    footprint_of,
    iteration_rate,
    leaderboard,
    monthly_figures,
    pct_change,
    week_bar,
    week_bars,
)
from bot.reports.teams import team_leaderboard, team_of

MONTH, QUARTER, YEAR = "month", "quarter", "year"
FORMATS: tuple[str, ...] = ("html", "csv")
TEMPLATE = "report.html"
TOP_CHAMPIONS = 3


# ---------------------------------------------------------------------------- periods
@dataclass(frozen=True)
class ReportPeriod:
    """A month, a quarter or a year in a workspace's calendar, as the months it spans.

    `key` is what people type and what file names carry: "2026-11", "2026-Q4"
    or "2026". `in_progress` marks a period that had not ended on the day it
    was asked for: its figures stop at that day, and the report says so.
    """

    key: str
    kind: str
    year: int
    number: int  # the month (1-12) or the quarter (1-4); 0 for a year
    months: tuple[Period, ...]
    in_progress: bool = False

    @property
    def first_day(self) -> date:
        return self.months[0].first_day

    @property
    def last_day(self) -> date:
        return self.months[-1].last_day

    @property
    def span(self) -> Period:
        """The whole period as one `Period`, for day-by-day questions (its weeks)."""
        return Period(f"r:{self.key}", self.months[0].start, self.months[-1].end)


def month_period(year: int, month: int, tz: ZoneInfo) -> ReportPeriod:
    return ReportPeriod(f"{year:04d}-{month:02d}", MONTH, year, month, (periods.month_of(date(year, month, 1), tz),))


def quarter_period(year: int, quarter: int, tz: ZoneInfo) -> ReportPeriod:
    months = tuple(periods.month_of(date(year, 3 * (quarter - 1) + i, 1), tz) for i in (1, 2, 3))
    return ReportPeriod(f"{year:04d}-Q{quarter}", QUARTER, year, quarter, months)


def year_period(year: int, tz: ZoneInfo) -> ReportPeriod:
    return ReportPeriod(f"{year:04d}", YEAR, year, 0, tuple(periods.month_of(date(year, m, 1), tz) for m in range(1, 13)))


def previous_period(rp: ReportPeriod, tz: ZoneInfo) -> ReportPeriod:
    """The period of the same length just before: what the trend is measured against."""
    if rp.kind == MONTH:
        before = periods.previous(rp.months[0], tz).first_day
        return month_period(before.year, before.month, tz)
    if rp.kind == QUARTER:
        return quarter_period(rp.year - 1, 4, tz) if rp.number == 1 else quarter_period(rp.year, rp.number - 1, tz)
    return year_period(rp.year - 1, tz)


_MONTH_TEXT = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER_TEXT = re.compile(r"^(\d{4})-?[QT]([1-4])$", re.IGNORECASE)
_YEAR_TEXT = re.compile(r"^(\d{4})$")
_EXPECTED = "expected 2026-11 (a month), 2026-Q4 (a quarter) or 2026 (a year)"
FIRST_YEAR = 2000  # generative AI logs cannot predate this; a typo such as 0226 is caught


def parse_period(text: str, tz: ZoneInfo, today: date) -> ReportPeriod:
    """"2026-11", "2026-Q4" (or "2026-T4", the French "trimestre") or "2026"; empty: the last complete month.

    Raises `PeriodError` (a ValueError) with a short reason for anything else,
    and for a period that has not started on `today`. A period still running is accepted and
    marked `in_progress`.
    """
    text = (text or "").strip()
    if not text:
        this_month = periods.month_of(today, tz)
        before = periods.previous(this_month, tz).first_day
        return month_period(before.year, before.month, tz)
    if m := _MONTH_TEXT.match(text):
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            raise PeriodError("month_out_of_range", f"{text!r} is not a month: the month must be 01 to 12", text=text)
        rp = month_period(_year(year, text), month, tz)
    elif m := _QUARTER_TEXT.match(text):
        rp = quarter_period(_year(int(m.group(1)), text), int(m.group(2)), tz)
    elif m := _YEAR_TEXT.match(text):
        rp = year_period(_year(int(m.group(1)), text), tz)
    else:
        raise PeriodError("not_a_period", f"{text[:40]!r} is not a period: {_EXPECTED}", text=text[:40])
    if rp.first_day > today:
        raise PeriodError("not_started", f"{rp.key} has not started yet", period=rp.key)
    if rp.last_day >= today:
        rp = ReportPeriod(rp.key, rp.kind, rp.year, rp.number, rp.months, in_progress=True)
    return rp


def _year(year: int, text: str) -> int:
    if year < FIRST_YEAR:
        raise PeriodError("too_early", f"{text!r}: the year must be {FIRST_YEAR} or later", text=text,
                          year=str(FIRST_YEAR))
    return year


# ---------------------------------------------------------------------------- figures
@dataclass(frozen=True)
class Segment:
    """One week of the period, clipped to its month: a bar of a monthly summary's chart and a CSV row group."""

    month: Period
    bar: WeekBar  # from `week_bars`, via `monthly_figures`: same days, same zone as the summary
    per_user: PeriodCounts
    total: Counts


@dataclass(frozen=True)
class TeamLine:
    """One team over the period (team None: members in no team, and people no longer listed)."""

    team: str | None
    rank: int | None  # the team leaderboard's rank (avoided per member); None for the no-team line
    members: int
    active: int
    total: Counts
    used: Footprint
    saved: Footprint

    @property
    def per_member(self) -> float | None:
        return self.total.avoided / self.members if self.members else None


@dataclass(frozen=True)
class ZoneLine:
    """An electricity zone found in the period's logs, and how many generations were counted in it."""

    code: str
    known: bool  # False: a zone removed from the configuration since, counted as the default zone
    generations: int
    avoided: int


@dataclass(frozen=True)
class ReportFigures(PeriodTotals):
    """Everything the report says, as plain data; see the module docstring for where it comes from."""

    workspace: str
    period: ReportPeriod
    previous: ReportPeriod
    settings: WorkspaceSettings
    months: tuple[MonthlyFigures, ...]
    total: Counts
    previous_total: Counts
    per_user: PeriodCounts
    used: Footprint
    saved: Footprint
    previous_used: Footprint
    previous_saved: Footprint
    segments: tuple[Segment, ...]
    bars: tuple[WeekBar, ...]  # the chart: weeks for a month or a quarter, months for a year
    teams: tuple[TeamLine, ...]
    champions: tuple[tuple[int, str, str, int], ...]  # leaderboard rows: members who opted out never appear
    unnamed: int  # members with avoided generations who chose not to be named
    zones: tuple[ZoneLine, ...]

    @property
    def active_members(self) -> int:
        return len(self.per_user)

    @property
    def avoided_change(self) -> float | None:
        return pct_change(self.previous_total.avoided, self.total.avoided)

    @property
    def co2e_change(self) -> float | None:
        return pct_change(self.previous_used.co2e_g.central, self.used.co2e_g.central)

    def by_kind(self, kinds: Sequence[str]) -> list[tuple[str, int, int]]:
        """(kind, generated, avoided) for each kind with anything logged, in the model's order."""
        rows = []
        for kind in kinds:
            made = sum(n for key, n in self.total.gen.items() if key.partition("|")[0] == kind)
            avoided = sum(n for key, n in self.total.avoid.items() if key.partition("|")[0] == kind)
            if made or avoided:
                rows.append((kind, made, avoided))
        return rows


def _merged(counts: Sequence[Counts]) -> Counts:
    total = Counts()
    for c in counts:
        total.merge(c)
    return total


def _sum(footprints: Sequence[Footprint]) -> Footprint:
    total = Footprint.zero()
    for fp in footprints:
        total = total + fp
    return total


def _segments(store: Store, workspace: str, tz: ZoneInfo, months: Sequence[MonthlyFigures]) -> tuple[Segment, ...]:
    """Per-member counts of each week bar of each month, from the same day counts the bars were made of.

    A month whose raw events retention has deleted keeps only its monthly
    totals: its weeks no longer add up to it, so it becomes one segment for
    the whole month, and the rows still add up to the report.
    """
    out: list[Segment] = []
    for mf in months:
        per_day = store.counts(workspace, tz, [periods.day_key(d) for d in mf.period.days()])
        weeks: list[Segment] = []
        for bar in mf.weeks:
            per_user: PeriodCounts = {}
            d = bar.first_day
            while d <= bar.last_day:
                for user, c in per_day[periods.day_key(d)].items():
                    per_user.setdefault(user, Counts()).merge(c)
                d += timedelta(days=1)
            weeks.append(Segment(mf.period, bar, per_user, workspace_total(per_user)))
        if _tally(_merged([w.total for w in weeks])) == _tally(mf.total):
            out += weeks
        else:
            out.append(Segment(mf.period, month_bar(mf), mf.per_user, mf.total))
    return tuple(out)


def _tally(c: Counts) -> tuple[int, ...]:
    return (c.generations, c.avoided, c.gen_logs, c.avoid_logs, c.rct_sum, c.rct_n)


def month_bar(mf: MonthlyFigures) -> WeekBar:
    """A month as one bar of the yearly chart, judged like a week bar (`week_bar`): on its pace per 7 days."""
    return week_bar(mf.period.key, mf.period.first_day, mf.period.last_day, mf.total, mf.thresholds,
                    mf.active_members)


def _teams(per_user: PeriodCounts, members: list[dict[str, Any]], groups: Mapping[str, str],
           impact: ImpactModel) -> tuple[TeamLine, ...]:
    """Every team, ranked as the team leaderboard ranks them, then the line of people in no team (if any)."""
    by_user = {str(m["user"]): team_of(m, groups) for m in members}
    ranked = team_leaderboard(per_user, members, groups)
    if not ranked:
        return ()
    lines: list[TeamLine] = []
    for row in ranked:
        users = [u for u, t in by_user.items() if t == row.team]
        lines.append(_team_line(row.team, row.rank, len(users), users, per_user, impact))
    loose = [u for u in {*by_user, *per_user} if by_user.get(u) is None]
    if loose:
        listed = sum(1 for u in loose if u in by_user)
        lines.append(_team_line(None, None, listed, loose, per_user, impact))
    return tuple(lines)


def _team_line(team: str | None, rank: int | None, size: int, users: Sequence[str], per_user: PeriodCounts,
               impact: ImpactModel) -> TeamLine:
    total = _merged([per_user[u] for u in users if u in per_user])
    active = sum(1 for u in users if u in per_user)
    return TeamLine(team, rank, size, active, total, footprint_of(impact, total.gen), footprint_of(impact, total.avoid))


def _zones(total: Counts, impact: ImpactModel, workspace_zone: str) -> tuple[ZoneLine, ...]:
    codes: dict[str, list[int]] = {workspace_zone: [0, 0]}
    for i, table in enumerate((total.gen, total.avoid)):
        for key, n in table.items():
            code = split_zone(key.partition("|")[2])[0] or impact.default_zone  # local use counts on its grid
            codes.setdefault(code, [0, 0])[i] += n
    return tuple(ZoneLine(code, impact.has_zone(code), gen, avoided) for code, (gen, avoided) in codes.items())


def report_figures(store: Store, impact: ImpactModel, workspace: str, period: ReportPeriod,
                   settings: WorkspaceSettings) -> ReportFigures:
    """The report's figures: the months' `monthly_figures`, added up; see `ReportFigures`."""
    rs, tz = settings, settings.tz
    months = tuple(monthly_figures(store, impact, workspace, tz, m, rs.thresholds, rs.team_groups) for m in period.months)
    previous = previous_period(period, tz)
    before = [figures_for(store, workspace, tz, m) for m in previous.months]
    per_user: PeriodCounts = {}
    for mf in months:
        for user, c in mf.per_user.items():
            per_user.setdefault(user, Counts()).merge(c)
    members = store.members(workspace)
    by_id = {str(m["user"]): m for m in members}
    board = leaderboard(per_user, by_id)
    named = {row[1] for row in board}
    unnamed = sum(1 for u, c in per_user.items() if c.avoided > 0 and u not in named)
    if period.kind == MONTH:
        bars = months[0].weeks
    elif period.kind == QUARTER:
        bars = week_bars(store, workspace, tz, period.span, rs.thresholds)
    else:
        bars = tuple(month_bar(mf) for mf in months)
    total = _merged([mf.total for mf in months])
    return ReportFigures(
        workspace=workspace,
        period=period,
        previous=previous,
        settings=rs,
        months=months,
        total=total,
        previous_total=_merged([f.total for f in before]),
        per_user=per_user,
        used=_sum([mf.used for mf in months]),
        saved=_sum([mf.saved for mf in months]),
        previous_used=_sum([footprint_of(impact, f.total.gen) for f in before]),
        previous_saved=_sum([footprint_of(impact, f.total.avoid) for f in before]),
        segments=_segments(store, workspace, tz, months),
        bars=tuple(bars),
        teams=_teams(per_user, members, rs.team_groups, impact),
        champions=tuple(board[:TOP_CHAMPIONS]),
        unnamed=unnamed,
        zones=_zones(total, impact, rs.zone),
    )


# ---------------------------------------------------------------------------- CSV
def csv_columns(kinds: Sequence[str]) -> list[str]:
    """The CSV's columns, in order, by their documented names (docs/report.md describes each one)."""
    cols = ["period", "month", "week", "first_day", "last_day", "days", "team", "zone", "active_members",
            "generations", *(f"generations_{k}" for k in kinds), "avoided", *(f"avoided_{k}" for k in kinds),
            "tasks_logged", "iteration_rate", "rct_scored", "rct_average"]
    for prefix in ("", "saved_"):
        for quantity in ("energy_wh", "co2e_g", "water_ml"):
            cols += [f"{prefix}{quantity}_{bound}" for bound in ("low", "central", "high")]
    return cols


def _decimal(x: float | None, places: int = 6) -> str:
    """A machine number: a dot, no grouping, no exponent, trailing zeros dropped; empty for None."""
    if x is None:
        return ""
    text = f"{x:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _range_cells(r: Range) -> list[str]:
    return [_decimal(r.low), _decimal(r.central), _decimal(r.high)]


def csv_rows(fig: ReportFigures, impact: ImpactModel, members: list[dict[str, Any]]) -> list[list[str]]:
    """One row per week of each month, or per week and team when the workspace has teams.

    The rows add up to the report's totals: every person counted belongs to
    exactly one row of a week (their team's, or the no-team row).
    """
    kinds = impact.kinds
    by_user = {str(m["user"]): team_of(m, fig.settings.team_groups) for m in members}
    teams = [t.team for t in fig.teams]  # ranked teams, then None when some people are in no team
    rows: list[list[str]] = []
    for seg in fig.segments:
        groups: list[tuple[str | None, PeriodCounts]]
        if teams:
            groups = [(team, {u: c for u, c in seg.per_user.items() if by_user.get(u) == team}) for team in teams]
        else:
            groups = [(None, seg.per_user)]
        for team, per_user in groups:
            c = workspace_total(per_user)
            used, saved = footprint_of(impact, c.gen), footprint_of(impact, c.avoid)
            rows.append([
                fig.period.key, seg.month.first_day.strftime("%Y-%m"), _week_cell(seg.bar),
                seg.bar.first_day.isoformat(), seg.bar.last_day.isoformat(), str(seg.bar.days), _text_cell(team or ""),
                seg.bar.zone, str(len(per_user)),
                str(c.generations), *(str(_kind_total(c.gen, k)) for k in kinds),
                str(c.avoided), *(str(_kind_total(c.avoid, k)) for k in kinds),
                str(c.gen_logs), _decimal(iteration_rate(c), 4), str(c.rct_n), _decimal(c.rct_avg, 2),
                *_range_cells(used.energy_wh), *_range_cells(used.co2e_g), *_range_cells(used.water_ml),
                *_range_cells(saved.energy_wh), *_range_cells(saved.co2e_g), *_range_cells(saved.water_ml),
            ])
    return rows


def _week_cell(bar: WeekBar) -> str:
    """The ISO week ("2026-W45"); empty for a whole month whose weeks are no longer kept."""
    return bar.key.partition(":")[2] if bar.key.startswith("w:") else ""


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text_cell(text: str) -> str:
    """User text for a spreadsheet: a leading quote keeps a team named "=..." from running as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _kind_total(by_kind_zone: Mapping[str, int], kind: str) -> int:
    return sum(n for key, n in by_kind_zone.items() if key.partition("|")[0] == kind)


def csv_header(renderer: Renderer, lang: str, kinds: Sequence[str]) -> list[str]:
    """The CSV's header row in `lang`: each column's name from the catalogue, in `csv_columns` order."""
    name = renderer.macro(lang, TEMPLATE, "csv_header")
    return [name(column) for column in csv_columns(kinds)]


def render_csv(fig: ReportFigures, impact: ImpactModel, members: list[dict[str, Any]], renderer: Renderer,
               lang: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(csv_header(renderer, lang, impact.kinds))
    writer.writerows(csv_rows(fig, impact, members))
    return out.getvalue().encode("utf-8")


# ---------------------------------------------------------------------------- HTML
@dataclass(frozen=True)
class TrendRow:
    """A line of the trend table: a week (month report) or a month (quarter, year), or a whole period."""

    first_day: date
    last_day: date
    days: int
    total: Counts
    zone: str | None
    label: str  # "week", "month", "previous" or "total"

    @property
    def iteration_rate(self) -> float | None:
        return iteration_rate(self.total)


def trend_rows(fig: ReportFigures) -> list[TrendRow]:
    """The previous period, then each part of this one (weeks of a month, months otherwise), then the total."""
    rows = [TrendRow(fig.previous.first_day, fig.previous.last_day, 0, fig.previous_total, None, "previous")]
    if fig.period.kind == MONTH:
        rows += [TrendRow(s.bar.first_day, s.bar.last_day, s.bar.days, s.total, s.bar.zone,
                          "week" if s.bar.key.startswith("w:") else "month") for s in fig.segments]
    else:
        rows += [TrendRow(mf.period.first_day, mf.period.last_day, len(mf.period.days()), mf.total,
                          month_bar(mf).zone, "month") for mf in fig.months]
    rows.append(TrendRow(fig.period.first_day, fig.period.last_day, 0, fig.total, None, "total"))
    return rows


def _cites(sources: Sequence[str]) -> str:
    from bot.impact.sources import SOURCES

    seen: list[str] = []
    for i in sources:
        if SOURCES[i].short not in seen:
            seen.append(SOURCES[i].short)
    return ", ".join(seen)


def _chart(fig: ReportFigures, impact: ImpactModel, renderer: Renderer, lang: str) -> bytes:
    """The zone chart: the monthly summary's own chart for a month; weeks of the quarter; months of the year."""
    from bot.reports.chart import monthly_chart  # Pillow loads only when a chart is drawn

    words = chart_words(SummaryWords(renderer, impact, lang), fig.months[0])
    if fig.period.kind != MONTH:  # the legends and the axis stay the summary's; the title and bars change
        mine = lambda name: renderer.macro(lang, TEMPLATE, name)  # noqa: E731
        words["title"] = mine("chart_title")(fig.period)
        words["weeks"] = [mine("chart_bar")(fig.period.kind, b.first_day, b.last_day, b.days) for b in fig.bars]
        if fig.period.kind == YEAR:
            words.update({z: mine("chart_month_zone")(z) for z in ("green", "orange", "red")})
    return monthly_chart(fig.bars, fig.settings.thresholds, words)


def _impact_rows(impact: ImpactModel, used: Footprint, saved: Footprint) -> list[tuple[str, Any, Any]]:
    """(name, used, saved) ready to print, quantities then equivalents, as the chat replies show them."""
    eq_used, eq_saved = impact.equivalents(used), impact.equivalents(saved)
    return [
        ("energy", shown(used.energy_wh, "energy"), shown(saved.energy_wh, "energy")),
        ("co2e", shown(used.co2e_g, "co2e"), shown(saved.co2e_g, "co2e")),
        ("water", shown(used.water_ml, "water"), shown(saved.water_ml, "water")),
        ("phone", shown(eq_used.phone_charges, "count"), shown(eq_saved.phone_charges, "count")),
        ("led", shown(eq_used.led_hours, "duration"), shown(eq_saved.led_hours, "duration")),
        ("car", shown(eq_used.car_km, "distance"), shown(eq_saved.car_km, "distance")),
        ("glasses", shown(eq_used.water_glasses, "count"), shown(eq_saved.water_glasses, "count")),
    ]


def _method(impact: ImpactModel, fig: ReportFigures) -> dict[str, Any]:
    """The factors in force, with their sources: the impact model's own data, arranged for the template."""
    gen_by_kind = {k: _kind_total(fig.total.gen, k) for k in impact.kinds}
    avoid_by_kind = {k: _kind_total(fig.total.avoid, k) for k in impact.kinds}
    zone_rows = []
    for z in fig.zones:
        code = z.code if z.known else impact.default_zone
        zone_rows.append({"line": z, "factor": impact.grids[code], "cites": _cites(impact.grids[code].sources)})
    fra, usa = impact.grids.get("FRA"), impact.grids.get("USA")
    return {
        "preset": impact.preset,
        "version": impact.factors_version,
        "local": bool(impact.overridden),
        "energy": [{"kind": k, "factor": f, "cites": _cites(f.sources), "generated": gen_by_kind[k],
                    "avoided": avoid_by_kind[k]} for k, f in impact.energy.items()],
        "zones": zone_rows,
        "workspace_zone": fig.settings.zone,
        "default_zone": impact.default_zone,
        "default_zone_cites": _cites(DEFAULT_ZONE_SOURCES),
        "tool_zones": dict(impact.tool_zones),
        "tool_zone_cites": _cites(TOOL_ZONE_SOURCES),
        "usa": usa.central if usa else None,
        "fra": fra.central if fra else None,
        "embodied": impact.embodied,
        "embodied_cites": _cites(impact.embodied.sources),
        "water": impact.water,
        "water_cites": _cites(impact.water.sources),
        "bases": [{"name": n, "factor": f, "cites": _cites(f.sources)} for n, f in impact.bases.items()],
        "base_values": {n: f.central for n, f in impact.bases.items()},
        "training": {"gpt3_t": CONTEXT["gpt3_training_t"].value, "llama_t": CONTEXT["llama31_training_t"].value,
                     "cites": _cites(CONTEXT["gpt3_training_t"].sources + CONTEXT["llama31_training_t"].sources)},
        "sources": impact.sources_used(),
    }


def render_html(fig: ReportFigures, impact: ImpactModel, renderer: Renderer, *, lang: str, title: str,
                generated: date) -> str:
    """The self-contained HTML report: inline CSS, the chart as a data: URI, no script, nothing fetched."""
    png = _chart(fig, impact, renderer, lang)
    used_head = footprint_facts(renderer, lang, impact, fig.used)[0] if fig.generations else ""
    saved_head = footprint_facts(renderer, lang, impact, fig.saved, avoided=True)[0] if fig.avoided else ""
    return renderer.template(lang, f"{TEMPLATE}.j2", html=True).render(
        r={
            "title": title,
            "period": fig.period,
            "previous": fig.previous,
            "generated": generated,
            "fig": fig,
            "kinds": fig.by_kind(impact.kinds),
            "impact_rows": _impact_rows(impact, fig.used, fig.saved),
            "used_head": used_head,
            "saved_head": saved_head,
            "previous_co2e": shown(fig.previous_used.co2e_g, "co2e"),
            "chart": "data:image/png;base64," + base64.b64encode(png).decode("ascii"),
            "trend": trend_rows(fig),
            "thresholds": fig.settings.thresholds,
            "counted": fig.total.zone_count(fig.settings.thresholds.kinds),
            "method": _method(impact, fig),
            "shown": shown,
        }
    ).strip() + "\n"


# ---------------------------------------------------------------------------- the entry point
def build_report(store: Store, impact: ImpactModel, renderer: Renderer, workspace: str, period: ReportPeriod,
                 settings: WorkspaceSettings, *, lang: str, fmt: str, title: str | None = None,
                 today: date | None = None) -> Attachment:
    """The report of `period` for `workspace` as a file: HTML (`fmt="html"`) or CSV (`fmt="csv"`).

    `settings` are the workspace's effective settings (`bot.core.settings`:
    time zone, thresholds, team groups, zone); `title` names the company on the cover (the workspace id when
    absent); `today` is the date printed as the report's date.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}: expected html or csv")
    lang = pick_lang(lang)
    fig = report_figures(store, impact, workspace, period, settings)
    name = renderer.macro(lang, TEMPLATE, "filename")(period.key, fmt)
    if fmt == "csv":
        return Attachment(name, render_csv(fig, impact, store.members(workspace), renderer, lang), "text/csv")
    generated = today or datetime.now(settings.tz).date()
    html = render_html(fig, impact, renderer, lang=lang, title=title or workspace, generated=generated)
    return Attachment(name, html.encode("utf-8"), "text/html")
