"""/ia-me: the member's own data and preferences (export, forget, nudges, language, leaderboard).

Wording: `templates/me.j2` and the `ia-me` entry of `commands.toml`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.core import grammar, i18n
from bot.core.command import Argument, Command
from bot.core.config import Config
from bot.core.grammar import UsageError, fold
from bot.core.reply import Attachment, Button, Reply
from bot.core.services import Ctx, Services, paragraphs
from bot.store.exports import export_name, remove_member_exports

NAME = "ia-me"
ACTIONS: tuple[str, ...] = (
    "show", "export", "forget", "forget confirm", "nudges on", "nudges off", "lang fr", "lang en",
    "leaderboard on", "leaderboard off",
)
WORDS = {
    "export": "export", "exporter": "export",
    "forget": "forget", "oublier": "forget", "oublie": "forget", "effacer": "forget", "supprimer": "forget",
    "delete": "forget", "erase": "forget",
    "nudges": "nudges", "nudge": "nudges", "rappels": "nudges", "rappel": "nudges",
    "lang": "lang", "langue": "lang", "language": "lang",
    "leaderboard": "leaderboard", "classement": "leaderboard", "top": "leaderboard",
    "show": "show", "moi": "show", "me": "show", "voir": "show",
}
CONFIRM_WORDS = {"confirm", "confirmer", "confirme", "yes", "oui"}


@dataclass(frozen=True)
class MeRequest:
    action: str  # show | export | forget | forget_confirm | nudges | lang | leaderboard
    value: Any = None


def parse(text: str, cfg: Config) -> MeRequest:
    tokens = text.split()
    if not tokens:
        return MeRequest("show")
    action = WORDS.get(fold(tokens[0]))
    if action is None:
        raise UsageError(NAME, "bad_me", {"word": tokens[0][:40]})
    if action in ("show", "export"):
        if len(tokens) > 1:
            raise UsageError(NAME, "bad_me", {"word": " ".join(tokens)[:40]})
        return MeRequest(action)
    if action == "forget":
        if len(tokens) == 1:
            return MeRequest("forget")
        if len(tokens) == 2 and fold(tokens[1]) in CONFIRM_WORDS:
            return MeRequest("forget_confirm")
        raise UsageError(NAME, "bad_me", {"word": " ".join(tokens)[:40]})
    if action == "lang":
        lang = i18n.language_of(tokens[1]) if len(tokens) == 2 else None
        if lang is None:
            raise UsageError(NAME, "bad_lang", {"word": " ".join(tokens[1:])[:40], "langs": i18n.languages()})
        return MeRequest("lang", lang)
    if len(tokens) != 2:
        raise UsageError(NAME, "bad_me", {"word": " ".join(tokens)[:40]})
    value = grammar.switch(tokens[1])
    if value is None:
        raise UsageError(NAME, "bad_switch", {"word": tokens[1][:40], "what": action})
    return MeRequest(action, value)


def handle(s: Services, req: MeRequest, ctx: Ctx) -> Reply:
    m = s.words(ctx.lang, "me")
    if req.action == "show":
        member = ctx.member
        return Reply(kind="me", title=m("title", ctx.sender.display_name), lines=paragraphs(m("prefs", {
            "lang": ctx.lang, "nudges": bool(member.get("nudges", False)),
            "leaderboard": member.get("leaderboard", True) is not False,
        })), buttons=pref_buttons(s, ctx), lang=ctx.lang)
    if req.action == "export":
        payload = export_payload(s, ctx)
        blob = json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")
        return Reply(kind="export", title=m("export_title", len(payload["events"])), lines=paragraphs(m("export_note")),
                     attachments=(Attachment(export_name(ctx.user), blob, "application/json"),),
                     lang=ctx.lang, data={"export": payload})
    if req.action == "forget":
        return Reply(kind="forget_ask", title=m("forget_ask_title"), lines=paragraphs(m("forget_ask")), lang=ctx.lang)
    if req.action == "forget_confirm":
        removed = s.store.forget_member(ctx.ws, ctx.user)
        remove_member_exports(s.cfg.data_dir, ctx.user)  # an export written earlier is the same data
        # the member's own language choice is gone with the rest: answer in the workspace's
        lang = s.lang_for(ctx.sender, {}, ctx.settings)
        return Reply(kind="forgotten", title=s.words(lang, "me")("forgotten", removed), lang=lang)
    s.store.update_member(ctx.ws, ctx.user, **{req.action: req.value})
    after = s.context(ctx.sender)
    return Reply(kind="pref", title=s.words(after.lang, "me")("pref_saved", req.action, req.value), lang=after.lang,
                 buttons=pref_buttons(s, after))


def export_payload(s: Services, ctx: Ctx) -> dict[str, Any]:
    """Everything Sobria keeps on the member, for them to read: times are ISO 8601 in the workspace's time
    zone ("2026-11-18T09:30:00+01:00"), as `exported_at` and each event's `time`. The store's raw epoch
    (`ts`) is left out: nothing re-imports an export, and an ISO time with its offset is the same instant."""
    def iso(ts: float) -> str:
        return datetime.fromtimestamp(ts, ctx.tz).isoformat(timespec="seconds")

    events = []
    for event in s.store.member_events(ctx.ws, ctx.user):
        raw = event.to_dict()
        events.append({"id": raw.pop("id"), "time": iso(raw.pop("ts")), **raw})
    return {
        "workspace": ctx.ws, "user": ctx.user, "exported_at": iso(ctx.now), "time_zone": str(ctx.tz),
        "preferences": {k: v for k, v in ctx.member.items() if k != "user"},
        "events": events,
    }


def pref_buttons(s: Services, ctx: Ctx) -> tuple[Button, ...]:
    """One-click switches for the member's preferences (each sends an /ia-me argument)."""
    m = s.words(ctx.lang, "me")
    nudges = bool(ctx.member.get("nudges", False))
    board = ctx.member.get("leaderboard", True) is not False
    other_lang = "en" if ctx.lang == "fr" else "fr"
    return (
        Button("pref", m("button_nudges", not nudges), f"nudges {'off' if nudges else 'on'}"),
        Button("pref", m("button_leaderboard", not board), f"leaderboard {'off' if board else 'on'}"),
        Button("pref", m("button_lang", other_lang), f"lang {other_lang}"),
    )


COMMAND = Command(NAME, handle, (Argument("action", "choice", choices=ACTIONS),), parse=parse)
