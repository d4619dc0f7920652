"""/ia-me: the member's own data and preferences (export, forget, nudges, language, leaderboard), their weekly
goal (`objectif 5`) and a pause (`pause 2 semaines`, `pause jusqu'au 2026-08-23`, `reprise`).

The rules of goals, streaks and pauses are in `bot.habits.goals`. Wording: `templates/me.j2`,
`templates/habits.j2` and the `ia-me` entry of `commands.toml`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.core import grammar, i18n
from bot.core.command import Argument, Command
from bot.core.config import Config
from bot.core.grammar import UsageError, fold
from bot.core.reply import Attachment, Button, Reply
from bot.core.services import Ctx, Services, paragraphs
from bot.habits import goals
from bot.habits.progress import member_progress
from bot.store.exports import export_name, remove_member_exports

NAME = "ia-me"
ACTIONS: tuple[str, ...] = (
    "show", "export", "forget", "forget confirm", "nudges on", "nudges off", "lang fr", "lang en",
    "leaderboard on", "leaderboard off", "goal", "pause", "resume",
)
WORDS = {
    "export": "export", "exporter": "export",
    "forget": "forget", "oublier": "forget", "oublie": "forget", "effacer": "forget", "supprimer": "forget",
    "delete": "forget", "erase": "forget",
    "nudges": "nudges", "nudge": "nudges", "rappels": "nudges", "rappel": "nudges",
    "lang": "lang", "langue": "lang", "language": "lang",
    "leaderboard": "leaderboard", "classement": "leaderboard", "top": "leaderboard",
    "show": "show", "moi": "show", "me": "show", "voir": "show",
    "goal": "goal", "objectif": "goal", "but": "goal", "cible": "goal", "target": "goal",
    "pause": "pause", "vacances": "pause", "conges": "pause", "conge": "pause", "snooze": "pause",
    "holiday": "pause", "holidays": "pause", "vacation": "pause",
    "resume": "resume", "reprise": "resume", "reprendre": "resume", "retour": "resume", "back": "resume",
    "unpause": "resume",
}
CONFIRM_WORDS = {"confirm", "confirmer", "confirme", "yes", "oui"}
NO_GOAL_WORDS = {"none", "aucun", "aucune", "rien", "supprimer", "remove"}
UNIT_WORDS = {
    "jour": "day", "jours": "day", "j": "day", "day": "day", "days": "day", "d": "day",
    "semaine": "week", "semaines": "week", "sem": "week", "week": "week", "weeks": "week", "w": "week",
    "mois": "month", "month": "month", "months": "month", "m": "month",
}
# « jusqu'au 2026-08-23 », « jusqu’à », « au », "until", "till", "to": what may come before a pause's last day
_UNTIL = re.compile(r"^(?:jusqu'?\s*(?:au|a|a la|le)|until|till|up to|to|au|le)?\s*(\S+)$")
_FOR = re.compile(r"^(\S+?)\s*([a-z]+)$")


@dataclass(frozen=True)
class MeRequest:
    action: str  # show | export | forget | forget_confirm | nudges | lang | leaderboard | goal | pause | resume
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
    if action == "goal":
        return _goal(tokens)
    if action == "pause":
        return _pause(grammar.rest(text, 1))
    if action == "resume":
        if len(tokens) > 1:
            raise UsageError(NAME, "bad_me", {"word": " ".join(tokens)[:40]})
        return MeRequest("resume")
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


def _goal(tokens: list[str]) -> MeRequest:
    """`objectif` (show it), `objectif 5`, `objectif cinq`, `objectif off` (no goal)."""
    if len(tokens) == 1:
        return MeRequest("goal")
    word = fold(tokens[1])
    if len(tokens) == 2 and not word.isdigit() and (word in NO_GOAL_WORDS or grammar.switch(word) is False):
        return MeRequest("goal", "off")
    value = int(word) if word.isdigit() else grammar.number_word(word)
    if len(tokens) != 2 or value is None or not 0 <= value <= goals.MAX_GOAL:
        raise UsageError(NAME, "bad_goal", {"word": " ".join(tokens[1:])[:40], "max": goals.MAX_GOAL})
    return MeRequest("goal", value)


def _pause(rest: str) -> MeRequest:
    """`pause 2 semaines`, `pause 10 jours`, `pause jusqu'au 2026-08-23`, `pause until 23/08/2026`."""
    said = " ".join(fold(rest).replace("\u2019", "'").split())
    until = _UNTIL.match(said)
    day = goals.read_date(until.group(1)) if until else None
    if day is not None:
        return MeRequest("pause", ("until", day))
    amount = _FOR.match(said) or re.match(r"^(\S+)\s+(\S+)$", said)
    if amount:
        n = int(amount.group(1)) if amount.group(1).isdigit() else grammar.number_word(amount.group(1))
        unit = UNIT_WORDS.get(amount.group(2))
        if n and unit:
            return MeRequest("pause", ("for", n, unit))
    raise UsageError(NAME, "bad_pause", {"word": rest[:40]})


def handle(s: Services, req: MeRequest, ctx: Ctx) -> Reply:
    m = s.words(ctx.lang, "me")
    if req.action == "show":
        member = ctx.member
        h = s.words(ctx.lang, "habits")
        return Reply(kind="me", title=m("title", ctx.sender.display_name), lines=paragraphs(m("prefs", {
            "lang": ctx.lang, "nudges": bool(member.get("nudges", False)),
            "leaderboard": member.get("leaderboard", True) is not False,
        }), h("status", goals.goal_of(member), _paused(ctx))), buttons=pref_buttons(s, ctx), lang=ctx.lang)
    if req.action in ("goal", "pause", "resume"):
        return _habit(s, req, ctx)
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


def _paused(ctx: Ctx) -> Any:
    """The member's last paused day while the pause lasts, else None."""
    until = goals.paused_until(ctx.member)
    return until if until is not None and until >= ctx.today() else None


def progress(s: Services, ctx: Ctx) -> goals.Progress | None:
    """The member's goal against this week so far, with the streak of the weeks before (None without a goal)."""
    return member_progress(s.store, ctx.ws, ctx.tz, ctx.thresholds, ctx.settings.closing, ctx.member, ctx.user,
                           ctx.today(), complete=False)


def _habit(s: Services, req: MeRequest, ctx: Ctx) -> Reply:
    """The goal and the pause: shown, set or ended, each confirmed in a line or two."""
    h = s.words(ctx.lang, "habits")
    today = ctx.today()
    if req.action == "goal" and req.value is None:
        return Reply(kind="goal", title=h("goal_title"), lines=paragraphs(h("progress", progress(s, ctx), ctx.thresholds)),
                     lang=ctx.lang)
    if req.action == "goal":
        goal = None if req.value == "off" else int(req.value)
        s.store.update_member(ctx.ws, ctx.user, **goals.goal_fields(ctx.member, goal, today))
        after = s.context(ctx.sender)
        return Reply(kind="goal_saved", title=h("goal_saved", goal, ctx.thresholds),
                     lines=paragraphs(h("progress", progress(s, after), ctx.thresholds) if goal is not None else ""),
                     lang=ctx.lang)
    if req.action == "resume":
        was = _paused(ctx)
        if was is not None:
            s.store.update_member(ctx.ws, ctx.user, paused_until=None)
        return Reply(kind="resumed", title=h("resumed", was is not None), lang=ctx.lang)
    how, *amount = req.value
    until = amount[0] if how == "until" else goals.pause_end(today, amount[0], amount[1])
    problem = goals.pause_problem(today, until)
    if problem:
        raise UsageError(NAME, problem, {"word": until.isoformat(), "day": until, "max": goals.MAX_PAUSE_DAYS})
    s.store.update_member(ctx.ws, ctx.user, paused_until=until.isoformat())
    return Reply(kind="paused", title=h("paused", until), lines=paragraphs(h("paused_note")), lang=ctx.lang,
                 data={"paused_until": until})


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


COMMAND = Command(NAME, handle, (Argument("action", "choice", choices=ACTIONS), Argument("value", "text")), parse=parse)
