"""/ia-log: log generations (kind, count, tool, prompt); a prompt gets its RCT score.

Wording: `templates/<lang>/log.j2` and the `ia-log` entry of `commands.toml`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from bot.core.command import Argument, Command
from bot.core.kinds import KINDS
from bot.core.reply import Button, Reply
from bot.core.services import Ctx, Services
from bot.impact.view import footprint_facts, impact_footer
from bot.rct.score import RctResult, score_prompt
from bot.rct.view import rct_view
from bot.store import GENERATED, Event

LOW_RCT_SCORE = 60  # below this, a log reply offers "improve my prompt"


@dataclass(frozen=True)
class LogRequest:
    kind: str
    count: int
    tool: str | None
    prompt: str


def handle(s: Services, req: LogRequest, ctx: Ctx) -> Reply:
    result = score_prompt(req.prompt, ctx.lang) if req.prompt else None
    zone = s.impact.zone_for(req.tool, ctx.settings.zone)
    event = Event(
        id=new_event_id(), ts=ctx.now, user=ctx.user, type=GENERATED, kind=req.kind,
        count=req.count, zone=zone, tool=req.tool, rct=stored_rct(result),
        text=req.prompt if (req.prompt and ctx.settings.store_prompts) else None,
    )
    s.store.add_event(ctx.ws, event)
    fp = s.impact.footprint(req.kind, req.count, zone)
    headline, facts = footprint_facts(s.r, ctx.lang, s.impact, fp)
    m = s.words(ctx.lang, "log")
    lines = [headline]
    if req.count > 1 and req.prompt:
        lines.append(m("iterations", req.count))
    zone_colour, zone_text = s.zone_text(ctx)
    buttons = [Button("undo", m("undo_button"), event.id, "danger")]
    if result is not None and not result.empty and result.score < LOW_RCT_SCORE:
        buttons.append(Button("improve", m("improve_button"), event.id, "primary"))
    return Reply(
        kind="logged",
        title=m("title", req.kind, req.count, req.tool),
        lines=tuple(lines),
        facts=facts,
        zone=zone_colour,
        zone_text=zone_text,
        rct=rct_view(s.r, ctx.lang, result) if result is not None else None,
        buttons=tuple(buttons),
        footer=impact_footer(s.r, ctx.lang, s.impact, zone, kind=req.kind),
        lang=ctx.lang,
        data={"event_id": event.id, "footprint": fp},
    )


def new_event_id() -> str:
    return uuid.uuid4().hex[:12]


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
)
