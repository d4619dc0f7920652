"""/ia-log: log generations (kind, count, tool, prompt); a prompt gets its RCT score.

The reply is three short lines, because a team logs several times a day and
a long confirmation is noise people mute: what was logged with the week's
zone, the one equivalent that fits the amount, and the prompt's score with
the single fix that helps most (or what to add next time, when one need took
several requests). Everything else (the other figures, the full advice, the
sources) is one « Details » button away (`details`), and always within reach
with /ia-stats, /ia-score and /ia-help methode.

Wording: `templates/log.j2` and the `ia-log` entry of `commands.toml`.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, replace
from typing import Any

from bot.coaching.log_tip import tip_for_log, week_figures
from bot.core.command import Argument, Command
from bot.core.kinds import KINDS
from bot.core.reply import Button, RctPart, RctView, Reply
from bot.core.services import Ctx, Services
from bot.impact.view import footprint_facts, footprint_headline, impact_footer
from bot.rct.score import RctResult, from_stored, score_prompt
from bot.rct.view import FIX_ORDER, rct_view
from bot.store import AVOIDED, GENERATED, Event

@dataclass(frozen=True)
class LogRequest:
    kind: str
    count: int
    tool: str | None
    prompt: str


def handle(s: Services, req: LogRequest, ctx: Ctx) -> Reply:
    result = score_prompt(req.prompt, ctx.lang) if req.prompt else None
    zone = s.impact.zone_for(req.tool, ctx.settings.zone, ctx.settings.lang)  # a local tool: the workspace's grid
    event = Event(
        id=new_event_id(ctx), ts=ctx.now, user=ctx.user, type=GENERATED, kind=req.kind,
        count=req.count, zone=zone, tool=req.tool, rct=stored_rct(result),
        text=req.prompt if (req.prompt and ctx.settings.store_prompts) else None,
    )
    copy = s.stored_copy(ctx, event.id)  # sent again by the platform, its first attempt stored: answered alike
    week = week_figures(s, ctx, event, stored=copy)  # read once, the log counted in: the week's zone and the tip
    tip, remembered = tip_for_log(s, ctx, event, week)  # one of the article's remedies, once a week per member
    if not copy:
        s.store.add_event(ctx.ws, event, member=remembered)  # the tip remembered in the log's own durable write
    fp = s.impact.footprint(req.kind, req.count, zone)
    headline = footprint_headline(s.r, ctx.lang, s.impact, fp)
    m = s.words(ctx.lang, "log")
    week_zone, week_count = s.week_zone(ctx, week)
    lines = [headline]
    if result is not None and not result.empty:
        view = rct_view(s.r, ctx.lang, result, rewrite=False)
        fix = top_fix(view)
        extra = extra_requests(s, req.count, req.tool)
        nudge = m("nudge", extra, fix.key if fix else "", bool(fix and fix.present)) if extra and not precise(view) else ""
        hint = fix.hint if fix else ""  # typeset by the catalogue; the member's own words quoted in it stay as typed
        lines.append(m("score_fix", view.score, view.verdict, fix.label if fix else "", hint, nudge))
    if tip is not None:
        lines.append(tip.line)
    return Reply(
        kind="logged",
        title=m("head", m("title", req.kind, req.count, req.tool), week_zone, week_count),
        lines=tuple(lines),
        zone=week_zone,
        buttons=(Button("undo", m("undo_button"), event.id, "danger"), Button("details", m("details_button"), event.id),
                 *(tip.buttons if tip else ())),
        lang=ctx.lang,
        data={"event_id": event.id, "footprint": fp, "zone": week_zone, "week_count": week_count,
              "tip": tip.name if tip else None},
    )


def extra_requests(s: Services, count: int, tool: str | None) -> int:
    """Requests beyond the first that `count` outputs took: a tool that returns four images for one prompt
    (`[tool_outputs]`) made one request for four, not four requests."""
    return max(0, math.ceil(count / s.cfg.outputs_per_request(tool)) - 1)


def precise(view: RctView) -> bool:
    return view.band == "precise"


def top_fix(view: RctView) -> RctPart | None:
    """The one part whose advice helps most (see FIX_ORDER); None when the prompt is already precise."""
    if precise(view):
        return None
    parts = {p.key: p for p in view.parts}
    for key, vague in FIX_ORDER:
        part = parts.get(key)
        if part is not None and part.hint and part.present == vague:
            return part
    return None


def details(s: Services, ctx: Ctx, event_id: str) -> Reply:
    """The « Details » button: everything the three lines left out, rebuilt from the stored log.

    The prompt's text is not kept unless the workspace chose to, so the advice
    is then rebuilt from the stored parts, with generic examples (and says so);
    /ia-score gives the advice on the words themselves.
    """
    m = s.words(ctx.lang, "log")
    event = s.store.get_event(ctx.ws, event_id)
    if event is None or event.user != ctx.user:
        return Reply(kind="details_missing", title=m("details_missing"), ok=False, lang=ctx.lang)
    avoided = event.type == AVOIDED
    fp = s.impact.footprint(event.kind, event.count, event.zone)
    headline, facts = footprint_facts(s.r, ctx.lang, s.impact, fp, avoided=avoided)
    lines = [headline]
    view: RctView | None = None
    if avoided:
        what = s.words(ctx.lang, "common")("counted", event.kind, event.count, "avoided")
        lines.append(m("avoid_thanks", event.text or ""))
    else:
        what = m("title", event.kind, event.count, event.tool)
        result = stored_result(event, ctx.lang)
        if result is not None:
            view = with_summary(s, ctx.lang, rct_view(s.r, ctx.lang, result))
            fix = top_fix(view)
            extra = extra_requests(s, event.count, event.tool)
            if extra and not precise(view):
                lines.append(m("nudge", extra, fix.key if fix else "", bool(fix and fix.present)))
    lines.append(m("details_more"))
    zone_colour, zone_text = s.zone_text(ctx)
    return Reply(
        kind="details",
        title=m("details_title", what),
        lines=tuple(lines),
        facts=facts,
        zone=zone_colour,
        zone_text=zone_text,
        rct=view,
        footer=impact_footer(s.r, ctx.lang, s.impact, event.zone, kind=event.kind),
        lang=ctx.lang,
        data={"event_id": event.id, "footprint": fp},
    )


def with_summary(s: Services, lang: str, view: RctView) -> RctView:
    """The view with its one score line, worded as /ia-score's title words it."""
    return replace(view, summary=s.words(lang, "log")("score_title", view.score, view.verdict))


def stored_result(event: Event, lang: str) -> RctResult | None:
    """A logged prompt's score, from its text when the workspace keeps texts, else from its stored parts."""
    if not event.rct:
        return None
    if event.text:
        return score_prompt(event.text, lang)
    return from_stored(event.rct.get("parts", {}), int(event.rct.get("score", 0)), lang)


# The namespace of ids made from a platform's delivery id (any fixed UUID would do; this one is ours).
_DELIVERED = uuid.UUID("5b0e8d3c-52a7-4c0f-9a51-50b21a000001")


def new_event_id(ctx: Ctx | None = None) -> str:
    """A new event's id: random, or made from the platform's id for the command (`Ctx.delivery`), so that a
    copy of the command that the platform sends again gets the same id and is stored once (Services.stored_copy)."""
    if ctx is not None and ctx.delivery is not None:
        return delivered_id(ctx.ws, ctx.user, ctx.delivery.id)
    return uuid.uuid4().hex[:12]


def delivered_id(workspace: str, user: str, delivery_id: str) -> str:
    """The id of the event a member's command delivered with `delivery_id` stores (the Slack benchmark checks
    each command's log by it)."""
    return uuid.uuid5(_DELIVERED, f"{workspace}\n{user}\n{delivery_id}").hex[:12]


def stored_rct(result: RctResult | None) -> dict[str, Any] | None:
    """What is kept of a scored prompt: the score and the parts, never the text."""
    if result is None or result.empty:
        return None
    return {"score": result.score, "band": result.band, "parts": result.parts(), "vague": result.task_vague}


COMMAND = Command(
    "ia-log",
    handle,
    (
        Argument("kind", "kind", required=True, choices=KINDS),
        Argument("count", "count"),
        Argument("tool", "tool"),
        Argument("prompt", "text"),
    ),
    request=LogRequest,
    rate_limited=True,
    reads_week=True,  # the week's zone and the tip (week_figures)
)
