"""/ia-undo: undo one's last log within `[limits] undo_minutes` (also the "undo" button of a log reply).

A platform that may send a command twice (Slack, when it saw no
acknowledgement in time: `Ctx.delivery`) could deliver the copy to another
process, or to this one after a restart, where no memory of requests can
recognise it; undoing "the last log" again would then undo one more. So
before removing, a delivered /ia-undo notes which log it undoes in the
member's record (`UNDONE`), and a copy undoes that same log (if still there)
instead of the next one. The note is written first: a crash between the two
writes leaves a copy able to finish the undo. What this does not cover: a
copy that reads the note just before a first attempt, still running in
another process, writes it (the first attempt then took over 3 s, and the
copy must arrive within the few milliseconds between the two), and a member
undoing again between a command and its copy (the note keeps the last one).

Wording: `templates/log.j2` and the `ia-undo` entry of `commands.toml`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.commands.log import new_event_id
from bot.core.command import Command
from bot.core.reply import Reply
from bot.core.services import Ctx, Services, paragraphs
from bot.store import Event

UNDONE = "undone"  # member field: {"delivery": key of the /ia-undo's delivery, "event": id, "type", "kind", "count"}


@dataclass(frozen=True)
class UndoRequest:
    """No argument: the member's last log is undone."""


def handle(s: Services, req: UndoRequest | None, ctx: Ctx, event_id: str | None = None) -> Reply:
    m = s.words(ctx.lang, "log")
    window = s.cfg.limits.undo_minutes * 60
    noted = _undone_by(s, ctx)
    if noted is not None:  # a copy of a /ia-undo whose first attempt chose its log
        s.store.remove_event(ctx.ws, noted["event"])  # already gone if that attempt got so far
        return _undone(s, ctx, noted["event"], noted["type"], noted["kind"], noted["count"])
    if event_id:
        event = s.store.get_event(ctx.ws, event_id)
        if event is not None and (event.user != ctx.user or event.ts < ctx.now - window):
            event = None
    else:
        event = s.store.last_event(ctx.ws, ctx.user, ctx.now - window)
        if event is not None and ctx.delivery is not None:
            s.store.update_member(ctx.ws, ctx.user, **{UNDONE: _note(ctx, event)})
    if event is None:
        return Reply(kind="undo_none", title=m("undo_none_title"),
                     lines=paragraphs(m("undo_none", s.cfg.limits.undo_minutes)), ok=False, lang=ctx.lang)
    s.store.remove_event(ctx.ws, event.id)
    return _undone(s, ctx, event.id, event.type, event.kind, event.count)


def _undone(s: Services, ctx: Ctx, event_id: str, type_: str, kind: str, count: int) -> Reply:
    m = s.words(ctx.lang, "log")
    return Reply(kind="undone", title=m("undone", type_, kind, count), lang=ctx.lang, data={"event_id": event_id})


def _note(ctx: Ctx, event: Event) -> dict[str, Any]:
    """What a copy of this /ia-undo needs to undo the same log: its delivery's key (the id a log of this
    delivery would get, not the platform's own id) and the log."""
    return {"delivery": new_event_id(ctx), "event": event.id, "type": event.type, "kind": event.kind,
            "count": event.count}


def _undone_by(s: Services, ctx: Ctx) -> dict[str, Any] | None:
    """When this /ia-undo is a copy: the member's note of the log its first attempt undid, if it got that far.
    Read again rather than taken from the context, so that a first attempt still running elsewhere when the
    copy arrived is seen if it has noted its choice since."""
    if ctx.delivery is None or not ctx.delivery.copy:
        return None
    noted = (s.store.member(ctx.ws, ctx.user) or {}).get(UNDONE)
    if isinstance(noted, dict) and noted.get("delivery") == new_event_id(ctx):
        return noted
    return None


COMMAND = Command("ia-undo", handle, request=UndoRequest)
