"""/ia-undo: undo one's last log within `[limits] undo_minutes` (also the "undo" button of a log reply).

Wording: `templates/log.j2` and the `ia-undo` entry of `commands.toml`.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.command import Command
from bot.core.reply import Reply
from bot.core.services import Ctx, Services, paragraphs


@dataclass(frozen=True)
class UndoRequest:
    """No argument: the member's last log is undone."""


def handle(s: Services, req: UndoRequest | None, ctx: Ctx, event_id: str | None = None) -> Reply:
    m = s.words(ctx.lang, "log")
    window = s.cfg.limits.undo_minutes * 60
    if event_id:
        event = s.store.get_event(ctx.ws, event_id)
        if event is not None and (event.user != ctx.user or event.ts < ctx.now - window):
            event = None
    else:
        event = s.store.last_event(ctx.ws, ctx.user, ctx.now - window)
    if event is None:
        return Reply(kind="undo_none", title=m("undo_none_title"),
                     lines=paragraphs(m("undo_none", s.cfg.limits.undo_minutes)), ok=False, lang=ctx.lang)
    s.store.remove_event(ctx.ws, event.id)
    return Reply(kind="undone", title=m("undone", event.type, event.kind, event.count), lang=ctx.lang,
                 data={"event_id": event.id})


COMMAND = Command("ia-undo", handle, request=UndoRequest)
