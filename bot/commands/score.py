"""/ia-score: a prompt's RCT score and advice, nothing logged; also the "improve my prompt" button of
log replies posted before the « Details » button replaced it.

The score is said once: the reply's title is the score line, so the advice
below it carries no second one (`RctView.summary` stays empty).
Wording: `templates/rct.j2`, `log.j2` and the `ia-score` entry of `commands.toml`.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.command import Argument, Command
from bot.core.reply import Reply
from bot.core.services import Ctx, Services, paragraphs
from bot.commands.log import stored_result
from bot.rct.score import score_prompt
from bot.rct.view import rct_view


@dataclass(frozen=True)
class ScoreRequest:
    prompt: str


def handle(s: Services, req: ScoreRequest, ctx: Ctx) -> Reply:
    view = rct_view(s.r, ctx.lang, score_prompt(req.prompt, ctx.lang))
    m = s.words(ctx.lang, "log")
    return Reply(kind="score", title=m("score_title", view.score, view.verdict), rct=view,
                 lines=paragraphs(m("score_note")), lang=ctx.lang)


def improve(s: Services, ctx: Ctx, event_id: str) -> Reply:
    """The advice for a logged prompt, rebuilt from its text when kept, else from its stored parts."""
    m = s.words(ctx.lang, "log")
    event = s.store.get_event(ctx.ws, event_id)
    result = stored_result(event, ctx.lang) if event is not None and event.user == ctx.user else None
    if result is None:
        return Reply(kind="improve_missing", title=m("improve_missing"), ok=False, lang=ctx.lang)
    view = rct_view(s.r, ctx.lang, result)
    return Reply(kind="score", title=m("score_title", view.score, view.verdict), rct=view, lang=ctx.lang)


COMMAND = Command("ia-score", handle, (Argument("prompt", "text", required=True),), request=ScoreRequest)
