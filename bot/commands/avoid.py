"""/ia-avoid: log generations avoided (a human idea, a reused asset), at most `[limits] avoid_per_day` a day.

Wording: `templates/log.j2`, the daily limit in `templates/errors.j2`, and the `ia-avoid` entry of `commands.toml`.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.commands.log import new_event_id
from bot.core import periods
from bot.core.command import Argument, Command
from bot.core.kinds import KINDS
from bot.core.reply import Button, Reply
from bot.core.services import Ctx, Services, paragraphs
from bot.impact.view import footprint_headline
from bot.store import AVOIDED, Counts, Event


@dataclass(frozen=True)
class AvoidRequest:
    kind: str
    count: int
    how: str


def handle(s: Services, req: AvoidRequest, ctx: Ctx) -> Reply:
    m = s.words(ctx.lang, "log")
    event_id = new_event_id(ctx)
    copy = s.stored_copy(ctx, event_id)  # sent again by the platform, its first attempt stored: answered alike
    today = periods.day_key(ctx.today())
    mine = s.store.counts(ctx.ws, ctx.tz, [today])[today].get(ctx.user, Counts())
    limit = s.cfg.limits.avoid_per_day
    if not copy and mine.avoided + req.count > limit:  # what was refused and why: the count asked, today's, the limit
        e = s.words(ctx.lang, "errors")
        return Reply(kind="avoid_limit", title=e("avoid_limit_title", limit, mine.avoided, req.count),
                     lines=paragraphs(e("avoid_limit", limit, mine.avoided, req.count)), ok=False, lang=ctx.lang)
    zone = s.impact.zone_for(None, ctx.settings.zone)
    event = Event(
        id=event_id, ts=ctx.now, user=ctx.user, type=AVOIDED, kind=req.kind,
        count=req.count, zone=zone, text=req.how if (req.how and ctx.settings.store_prompts) else None,
    )
    if not copy:
        s.store.add_event(ctx.ws, event)
    fp = s.impact.footprint(req.kind, req.count, zone)
    headline = footprint_headline(s.r, ctx.lang, s.impact, fp, avoided=True)
    week_zone, week_count = s.week_zone(ctx)
    # Like /ia-log's: three short lines at most, the rest behind « Details ». The title is a congratulation with
    # its own sign; the zone's colour stays with the words about the zone.
    return Reply(
        kind="avoided",
        title=m("head", m("avoid_title", req.kind, req.count), week_zone, week_count),
        lines=tuple(x for x in (headline, m("avoid_how", req.how) if req.how else "") if x),
        buttons=(Button("undo", m("undo_button"), event.id, "danger"), Button("details", m("details_button"), event.id)),
        lang=ctx.lang,
        data={"event_id": event.id, "footprint": fp, "zone": week_zone, "week_count": week_count},
    )


COMMAND = Command(
    "ia-avoid",
    handle,
    (Argument("kind", "kind", required=True, choices=KINDS), Argument("count", "count"), Argument("how", "text")),
    request=AvoidRequest,
    rate_limited=True,
)
