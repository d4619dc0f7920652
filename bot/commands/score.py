"""/ia-score: a prompt's RCT score and advice, nothing logged; also the "improve my prompt" button.

Wording: `templates/<lang>/rct.j2`, `log.j2` and the `ia-score` entry of `commands.toml`.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.command import Argument, Command
from bot.core.reply import Reply
from bot.core.services import Ctx, Services, paragraphs
from bot.rct.score import from_stored, score_prompt
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
    if event is None or event.user != ctx.user or not event.rct:
        return Reply(kind="improve_missing", title=m("improve_missing"), ok=False, lang=ctx.lang)
    result = score_prompt(event.text, ctx.lang) if event.text else from_stored(
        event.rct.get("parts", {}), int(event.rct.get("score", 0)), ctx.lang)
    view = rct_view(s.r, ctx.lang, result)
    return Reply(kind="score", title=m("score_title", view.score, view.verdict), rct=view, lang=ctx.lang)


COMMAND = Command("ia-score", handle, (Argument("prompt", "text", required=True),), request=ScoreRequest)
