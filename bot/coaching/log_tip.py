"""The tip a log reply carries: the member's week read from the store, the decision (`tips.due`), the line worded
in the member's language (templates/tips.j2) and the week remembered in the member's record.

A tip is one line and at most one button, added by `bot.commands.log.handle`. It is decided before the log is
stored (the log counted into the week read), so that the week it was shown in is remembered in the log's own
write (`Store.add_event`'s `member`): on PostgreSQL one statement and one durable commit instead of two; the
embedded store keeps it beside the member's record, with no flush of its own (bot/store/logged.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from bot.coaching import tips
from bot.core import periods
from bot.core.reply import Button
from bot.core.services import Ctx, Services
from bot.habits.buttons import ACTION as QUICK_ACTION
from bot.impact.factors import ARTICLE_SOURCE
from bot.impact.model import Footprint, local_zone, split_zone
from bot.impact.sources import SOURCES
from bot.impact.view import shown
from bot.store import GENERATED, Counts, Event
from bot.store.base import MemberFigures

# The recycling tip's button is the one-click « avoided » of bot.habits (an avoided image, confirmed in one
# line, undoable): one path for a click that logs an avoided generation.
REUSED = "avoid"  # its value in bot.habits.buttons.QUICK


@dataclass(frozen=True)
class Tip:
    """The tip shown under a log reply: which one, its line, its button (if any)."""

    name: str
    line: str
    buttons: tuple[Button, ...] = ()


def week_figures(s: Services, ctx: Ctx, event: Event, stored: bool = False) -> MemberFigures | None:
    """The member's figures of this week with the log `event` counted in, read before it is stored: once for
    the tip and the log reply's zone (`Services.week_zone`), so that the tip can be remembered in the log's own
    write (`Ctx.week` when the context read them, else read here); None when tips are off and the context did
    not read them (the zone then reads the workspace's total once the log is stored). `stored`: the figures
    already hold it (a copy of a command whose first attempt stored the log)."""
    if ctx.week is None and not s.cfg.tips.enabled:
        return None
    fig = ctx.week if ctx.week is not None else s.store.member_figures(
        ctx.ws, ctx.tz, periods.week_key(ctx.today()), ctx.user)  # not every member's
    if stored:
        return fig
    mine, team = fig.mine.copy(), fig.team.copy()
    new_member = not (mine.gen_logs or mine.avoid_logs)
    mine.add_event(event)
    team.add_event(event)
    return MemberFigures(mine, team, fig.members + new_member)


def tip_for_log(s: Services, ctx: Ctx, event: Event, week: MemberFigures | None) -> tuple[Tip | None, dict[str, Any]]:
    """The tip for the log `event`, not stored yet (`week`: the member's week with it, from `week_figures`), and
    the member fields that remember it for the week, to be stored with the log (`Store.add_event`); (None, {})
    when none is due. A due tip is remembered even when it finds nothing to say (no part missed)."""
    t = s.cfg.tips
    if not t.enabled or week is None:
        return None, {}
    week_key = periods.week_key(ctx.today())
    mine = week.mine
    memory = ctx.member.get(tips.MEMORY_FIELD)
    shown_weeks: Mapping[str, Any] = memory if isinstance(memory, Mapping) else {}
    so_far = week_so_far(mine, event, week_key, {k: v for k, v in shown_weeks.items() if isinstance(v, str)})
    name = tips.due(so_far, t)
    if name is None:
        return None, {}
    return _worded(s, ctx, name, mine, so_far, event), {tips.MEMORY_FIELD: tips.remember(shown_weeks, name, week_key)}


def week_so_far(mine: Counts, event: Event, week_key: str, shown_weeks: Mapping[str, str]) -> tips.WeekSoFar:
    """The decisions' facts from the member's week counts (`event` already in them)."""
    images = _kind_total(mine.gen, "image")
    return tips.WeekSoFar(
        week=week_key,
        kind=event.kind,
        local=split_zone(event.zone)[1],
        scored=bool(event.rct),
        images_before=images - (event.count if event.kind == "image" and event.type == GENERATED else 0),
        hosted_short_texts=sum(_hosted_texts(mine.gen).values()),
        generations=mine.generations,
        rct_avg=mine.rct_avg,
        rct_scored=mine.rct_n,
        shown=shown_weeks,
    )


def _kind_total(by_kind_zone: Mapping[str, int], kind: str) -> int:
    return sum(n for key, n in by_kind_zone.items() if key.partition("|")[0] == kind)


def _hosted_texts(by_kind_zone: Mapping[str, int]) -> dict[str, int]:
    """Short texts by zone, those of hosted chatbots only (a log without a tool counts as hosted)."""
    out: dict[str, int] = {}
    for key, n in by_kind_zone.items():
        kind, _, zone = key.partition("|")
        if kind == "text" and not split_zone(zone)[1]:
            out[key] = out.get(key, 0) + n
    return out


def _worded(s: Services, ctx: Ctx, name: str, mine: Counts, week: tips.WeekSoFar, event: Event) -> Tip | None:
    m = s.words(ctx.lang, "tips")
    source = SOURCES[ARTICLE_SOURCE].short
    if name == tips.RECYCLE:
        return Tip(name, m("recycle", week.images_before, source),
                   (Button(QUICK_ACTION, m("recycle_button"), REUSED, "primary"),))
    if name == tips.LOCAL:
        hosted_texts = _hosted_texts(mine.gen)
        n = sum(hosted_texts.values())
        hosted = Footprint.zero()
        for key, count in hosted_texts.items():
            hosted = hosted + s.impact.footprint("text", count, key.partition("|")[2] or None)
        local = s.impact.footprint("text", n, local_zone(s.impact.workspace_grid(ctx.settings.lang)))
        return Tip(name, m("local", n, shown(local.co2e_g, "co2e"), shown(hosted.co2e_g, "co2e"), source))
    missed = tips.most_missed(_scored_parts(s, ctx, week.week, event))
    if missed is None:
        return None
    part, times, scored = missed
    return Tip(name, m("rct", week.rct_avg, part, times, scored, source))


def _scored_parts(s: Services, ctx: Ctx, week_key: str, event: Event) -> list[dict[str, bool]]:
    """The parts of the member's scored prompts this week, the log `event` (not stored yet) included (a vague
    request counts as a missing one); read only when the RCT tip is due, at most once a week per member."""
    out = []
    stored = s.store.member_events(ctx.ws, ctx.user, since_ts=periods.of_key(week_key, ctx.tz).start_ts)
    for e in [*stored, event]:
        if e.type == GENERATED and isinstance(e.rct, Mapping):
            parts = e.rct.get("parts")
            if isinstance(parts, Mapping):
                vague = bool(e.rct.get("vague"))
                out.append({**{k: bool(v) for k, v in parts.items()}, "task": bool(parts.get("task")) and not vague})
    return out
