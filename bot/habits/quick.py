"""A click on a one-click logging button: one generation logged (or one avoided), confirmed in one line, undoable.

The event is the same as `/ia-log image` or `/ia-avoid image` would store (same zone, same rate limit, same
daily limit on avoided generations), so every figure counts it the same; the confirmation is one line with
the week's progress toward the member's goal when they have one, and an « Annuler » button (or /ia-undo).
"""

from __future__ import annotations

from bot.commands import avoid
from bot.commands.log import new_event_id
from bot.core import periods
from bot.core.reply import Button, Reply
from bot.core.services import Ctx, Services
from bot.habits.buttons import QUICK
from bot.habits.goals import goal_of
from bot.habits.progress import week_count
from bot.store import AVOIDED, GENERATED, Counts, Event


def click(s: Services, ctx: Ctx, value: str) -> Reply:
    """Log what the button `value` stands for (`buttons.QUICK`) and confirm it in one line; `ctx` comes from
    `Services.context_admitting`, which counted the click in the member's burst window and let it through."""
    if value not in QUICK:
        return s.usage_error(ctx, "ia-help", "unknown_command", {"word": value[:40]})
    type_, kind = QUICK[value]
    if type_ == AVOIDED:
        today = periods.day_key(ctx.today())
        mine = s.store.counts(ctx.ws, ctx.tz, [today])[today].get(ctx.user, Counts())
        if mine.avoided + 1 > s.cfg.limits.avoid_per_day:  # /ia-avoid's own refusal, worded once
            return avoid.handle(s, avoid.AvoidRequest(kind, 1, ""), ctx)
    event = Event(id=new_event_id(ctx), ts=ctx.now, user=ctx.user, type=GENERATED if type_ == GENERATED else AVOIDED,
                  kind=kind, count=1, zone=s.impact.zone_for(None, ctx.settings.zone))
    if not s.stored_copy(ctx, event.id):  # a copy of the click the platform sent again is not stored twice
        s.store.add_event(ctx.ws, event)
    goal = goal_of(ctx.member)  # the week against the goal, without the streak: one line, and a click must be quick
    week = {"goal": goal, "count": week_count(s.store, ctx.ws, ctx.tz, ctx.thresholds, ctx.user, ctx.today())} \
        if goal is not None else None
    m = s.words(ctx.lang, "habits")
    return Reply(kind="quick_logged", title=m("quick_done", event.type, kind, week), lang=ctx.lang,
                 buttons=(Button("undo", s.words(ctx.lang, "log")("undo_button"), event.id, "danger"),),
                 data={"event_id": event.id, "week": week})
