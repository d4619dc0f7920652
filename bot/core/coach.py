"""The coach: the one place where behaviour is decided.

`Coach.handle(command, text, sender)` is called by every front-end with the
text the member typed, and returns a `Reply` (plain data, already worded in
the member's language). It never raises: bad input gets a usage reply, a
failed write gets "not saved, try again", anything unexpected gets a polite
error while the details go to the log.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from dataclasses import dataclass
from typing import Any, Callable
from zoneinfo import ZoneInfo

from bot.core import grammar
from bot.core import periods
from bot.commands.catalogue import CATALOGUE, find
from bot.core.config import Config
from bot.core.errors import StoreError, StoreWriteError
from bot.core.identity import Sender
from bot.impact.model import ImpactModel
from bot.impact.view import footprint_facts, impact_footer, methodology_lines
from bot.rct.score import RctResult, from_stored, score_prompt
from bot.rct.view import rct_view
from bot.core.ratelimit import RateLimiter
from bot.core.render import Renderer, pick_lang
from bot.core.reply import Attachment, Button, Fact, Reply
from bot.store import AVOIDED, GENERATED, Counts, Event, Store, workspace_total
from bot.scheduler import read_schedule
from bot.reports.summaries import figures_for, footprint_of, leaderboard
from bot.reports.teams import team_leaderboard, team_members, team_of
from bot.core.zones import Thresholds, zone_for

log = logging.getLogger(__name__)

LOW_RCT_SCORE = 60  # below this, a log reply offers "improve my prompt"


@dataclass(frozen=True)
class Ctx:
    """Everything a command needs to know about who asks, where and when."""

    sender: Sender
    lang: str
    tz: ZoneInfo
    settings: dict[str, Any]
    member: dict[str, Any]
    now: float
    thresholds: Thresholds

    @property
    def ws(self) -> str:
        return self.sender.workspace_id

    @property
    def user(self) -> str:
        return self.sender.user_id


class Coach:
    """See the module docstring."""

    def __init__(
        self,
        config: Config,
        store: Store,
        clock: Callable[[], float] | None = None,
        renderer: Renderer | None = None,
        impact: ImpactModel | None = None,
    ) -> None:
        self.cfg = config
        self.store = store
        self.clock = clock or time.time
        self.r = renderer or Renderer()
        self.impact = impact or ImpactModel.from_config(config.section("impact"))
        self.limiter = RateLimiter(config.limits.logs_per_minute)
        self.schedule = read_schedule(config)

    # ------------------------------------------------------------------ entry points
    def handle(self, command: str, text: str, sender: Sender) -> Reply:
        """Run one command; see the module docstring."""
        name = (command or "").strip().lstrip("/").lower()
        ctx: Ctx | None = None
        try:
            ctx = self._context(sender)
            cmd = find(name)
            if cmd is None:
                return self._error(ctx, "ia-help", "unknown_command", {"word": name[:40]})
            if cmd.admin_only and not self.is_admin(sender):
                return self.notice("admin_only", ctx.lang)
            request = grammar.parse(cmd.name, text or "", self.cfg)
            if isinstance(request, (grammar.LogRequest, grammar.AvoidRequest)) and not self.limiter.allow(
                    (sender.workspace_id, sender.user_id), ctx.now):
                return self.notice("rate_limited", ctx.lang)
            return self._dispatch(request, ctx)
        except grammar.UsageError as exc:
            assert ctx is not None
            return self._error(ctx, exc.command, exc.key, exc.params)
        except StoreWriteError as exc:
            log.warning("write refused for workspace %s: %s", sender.workspace_id, exc)
            return self.notice("not_saved", ctx.lang if ctx else pick_lang(sender.locale, self.cfg.lang))
        except Exception:
            log.exception("command %r failed for workspace %s", name, sender.workspace_id)
            return self.notice("internal_error", ctx.lang if ctx else pick_lang(sender.locale, self.cfg.lang))

    def action(self, action: str, value: str, sender: Sender) -> Reply:
        """A button press: "undo" or "improve" with an event id, "pref" with an /ia-me argument."""
        try:
            ctx = self._context(sender)
            if action == "undo":
                return self._undo(ctx, event_id=value)
            if action == "improve":
                return self._improve(ctx, value)
            if action == "pref":
                return self.handle("ia-me", value, sender)
            return self._error(ctx, "ia-help", "unknown_command", {"word": action[:40]})
        except StoreWriteError:
            return self.notice("not_saved", pick_lang(sender.locale, self.cfg.lang))
        except Exception:
            log.exception("action %r failed for workspace %s", action, sender.workspace_id)
            return self.notice("internal_error", pick_lang(sender.locale, self.cfg.lang))

    def home(self, sender: Sender) -> Reply:
        """The member's week and month at a glance, with preference buttons (Slack App Home)."""
        try:
            ctx = self._context(sender)
            return self._home(ctx)
        except Exception:
            log.exception("home view failed for workspace %s", sender.workspace_id)
            return self.notice("internal_error", pick_lang(sender.locale, self.cfg.lang))

    def notice(self, key: str, lang: str) -> Reply:
        """A fixed message for adapters (DM refused, internal error, admin only, not saved)."""
        lang = pick_lang(lang)
        m = self._m(lang, "notices")
        return Reply(kind=f"notice:{key}", title=m("title", key), lines=_lines(m("body", key)), ok=False, lang=lang)

    def is_admin(self, sender: Sender) -> bool:
        return sender.is_admin or sender.user_id in self.cfg.admins

    def lang_for(self, sender: Sender) -> str:
        """The member's language, else the workspace's, else the platform's hint, else French."""
        member = self.store.member(sender.workspace_id, sender.user_id) or {}
        settings = self.store.settings(sender.workspace_id)
        return pick_lang(member.get("lang"), settings.get("lang"), sender.locale, self.cfg.lang)

    # ------------------------------------------------------------------ context
    def _context(self, sender: Sender) -> Ctx:
        settings = {**self._defaults(), **self.store.settings(sender.workspace_id)}
        member = self.store.member(sender.workspace_id, sender.user_id) or {}
        fresh: dict[str, Any] = {}
        if sender.display_name and member.get("name") != sender.display_name:
            fresh["name"] = sender.display_name
        if sender.groups and list(member.get("groups") or []) != list(sender.groups):
            fresh["groups"] = list(sender.groups)
        if fresh:
            try:
                self.store.update_member(sender.workspace_id, sender.user_id, **fresh)
            except StoreError:
                log.warning("could not refresh member details in workspace %s", sender.workspace_id)
            member = {**member, **fresh}
        lang = pick_lang(member.get("lang"), self.store.settings(sender.workspace_id).get("lang"), self.cfg.lang)
        try:
            tz = periods.zone(settings.get("timezone"))
        except ValueError:
            tz = periods.zone(self.cfg.timezone)
        thresholds = Thresholds(int(settings["green_max"]), int(settings["orange_max"]))
        return Ctx(sender, lang, tz, settings, member, self.clock(), thresholds)

    def _defaults(self) -> dict[str, Any]:
        return {
            "lang": self.cfg.lang,
            "timezone": self.cfg.timezone,
            "green_max": self.cfg.thresholds.green_max,
            "orange_max": self.cfg.thresholds.orange_max,
            "summary_channel": None,
            "store_prompts": self.cfg.store_prompts,
            "zone": self.impact.default_zone,
            "weekly_day": self.schedule.weekly_day,
            "weekly_time": self.schedule.weekly_time,
            "monthly_day": self.schedule.monthly_day,
            "monthly_time": self.schedule.monthly_time,
        }

    def _m(self, lang: str, template: str) -> Callable[..., str]:
        """Call macro `name` of templates/<lang>/<template>.j2: m("name", *args)."""

        def call(name: str, *args: Any, **kwargs: Any) -> str:
            return self.r.macro(lang, template, name)(*args, **kwargs)

        return call

    # ------------------------------------------------------------------ dispatch
    def _dispatch(self, req: grammar.Request, ctx: Ctx) -> Reply:
        if isinstance(req, grammar.LogRequest):
            return self._log(req, ctx)
        if isinstance(req, grammar.AvoidRequest):
            return self._avoid(req, ctx)
        if isinstance(req, grammar.ScoreRequest):
            return self._score(req, ctx)
        if isinstance(req, grammar.StatsRequest):
            return self._stats(req, ctx)
        if isinstance(req, grammar.TopRequest):
            return self._top(req, ctx)
        if isinstance(req, grammar.UndoRequest):
            return self._undo(ctx)
        if isinstance(req, grammar.MeRequest):
            return self._me(req, ctx)
        if isinstance(req, grammar.SettingsRequest):
            return self._settings(req, ctx)
        if isinstance(req, grammar.HelpRequest):
            return self._help(req, ctx)
        if isinstance(req, grammar.TeamRequest):
            return self._team(req, ctx)
        if isinstance(req, grammar.ReportRequest):
            return self._report(req, ctx)
        raise TypeError(f"no handler for {req!r}")

    def _error(self, ctx: Ctx, command: str, key: str, params: dict[str, Any]) -> Reply:
        m = self._m(ctx.lang, "errors")
        words = self.r.data(ctx.lang, "commands")
        name = command if command in words else "ia-help"
        entry = words[name]
        lines = [m("explain", key, params)]
        if key == "unknown_command":
            lines.append(m("known_commands", [c.name for c in CATALOGUE]))
        else:
            lines.append(m("usage", name, entry["usage"], entry["example"]))
        return Reply(kind="error", title=m("title", key), lines=tuple(x for x in lines if x), ok=False, lang=ctx.lang,
                     data={"error": key, "command": command})

    # ------------------------------------------------------------------ logging generations
    def _week_zone(self, ctx: Ctx) -> tuple[str, int]:
        key = periods.week_key(periods.local(ctx.now, ctx.tz).date())
        week = self.store.totals(ctx.ws, ctx.tz, [key])[key]
        return zone_for(week.generations, ctx.thresholds), week.generations

    def _zone_text(self, ctx: Ctx) -> tuple[str, str]:
        zone, n = self._week_zone(ctx)
        return zone, self._m(ctx.lang, "common")("zone_line", zone, n, ctx.thresholds)

    def _log(self, req: grammar.LogRequest, ctx: Ctx) -> Reply:
        result = score_prompt(req.prompt) if req.prompt else None
        zone = self.impact.zone_for(req.tool, ctx.settings.get("zone"))
        event = Event(
            id=uuid.uuid4().hex[:12], ts=ctx.now, user=ctx.user, type=GENERATED, kind=req.kind,
            count=req.count, zone=zone, tool=req.tool, rct=_stored_rct(result),
            text=req.prompt if (req.prompt and ctx.settings.get("store_prompts")) else None,
        )
        self.store.add_event(ctx.ws, event)
        fp = self.impact.footprint(req.kind, req.count, zone)
        headline, facts = footprint_facts(self.r, ctx.lang, self.impact, fp)
        m = self._m(ctx.lang, "log")
        lines = [headline]
        if req.count > 1 and req.prompt:
            lines.append(m("iterations", req.count))
        zone_colour, zone_text = self._zone_text(ctx)
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
            rct=rct_view(self.r, ctx.lang, result) if result is not None else None,
            buttons=tuple(buttons),
            footer=impact_footer(self.r, ctx.lang, self.impact, zone, kind=req.kind),
            lang=ctx.lang,
            data={"event_id": event.id, "footprint": fp},
        )

    def _avoid(self, req: grammar.AvoidRequest, ctx: Ctx) -> Reply:
        m = self._m(ctx.lang, "log")
        today = periods.day_key(periods.local(ctx.now, ctx.tz).date())
        mine = self.store.counts(ctx.ws, ctx.tz, [today])[today].get(ctx.user, Counts())
        limit = self.cfg.limits.avoid_per_day
        if mine.avoided + req.count > limit:
            return Reply(kind="avoid_limit", title=m("avoid_limit_title"),
                         lines=_lines(m("avoid_limit", limit, mine.avoided)), ok=False, lang=ctx.lang)
        zone = self.impact.zone_for(None, ctx.settings.get("zone"))
        event = Event(
            id=uuid.uuid4().hex[:12], ts=ctx.now, user=ctx.user, type=AVOIDED, kind=req.kind,
            count=req.count, zone=zone, text=req.how if (req.how and ctx.settings.get("store_prompts")) else None,
        )
        self.store.add_event(ctx.ws, event)
        fp = self.impact.footprint(req.kind, req.count, zone)
        headline, facts = footprint_facts(self.r, ctx.lang, self.impact, fp, avoided=True)
        zone_colour, zone_text = self._zone_text(ctx)
        return Reply(
            kind="avoided",
            title=m("avoid_title", req.kind, req.count),
            lines=tuple(x for x in (headline, m("avoid_thanks", req.how)) if x),
            facts=facts,
            zone=zone_colour,
            zone_text=zone_text,
            buttons=(Button("undo", m("undo_button"), event.id, "danger"),),
            footer=impact_footer(self.r, ctx.lang, self.impact, zone, kind=req.kind),
            lang=ctx.lang,
            data={"event_id": event.id, "footprint": fp},
        )

    def _score(self, req: grammar.ScoreRequest, ctx: Ctx) -> Reply:
        result = score_prompt(req.prompt)
        view = rct_view(self.r, ctx.lang, result)
        m = self._m(ctx.lang, "log")
        return Reply(kind="score", title=m("score_title", view.score, view.verdict), rct=view,
                     lines=_lines(m("score_note")), lang=ctx.lang)

    def _improve(self, ctx: Ctx, event_id: str) -> Reply:
        m = self._m(ctx.lang, "log")
        event = self.store.get_event(ctx.ws, event_id)
        if event is None or event.user != ctx.user or not event.rct:
            return Reply(kind="improve_missing", title=m("improve_missing"), ok=False, lang=ctx.lang)
        result = score_prompt(event.text) if event.text else from_stored(
            event.rct.get("parts", {}), int(event.rct.get("score", 0)), ctx.lang)
        view = rct_view(self.r, ctx.lang, result)
        return Reply(kind="score", title=m("score_title", view.score, view.verdict), rct=view, lang=ctx.lang)

    # ------------------------------------------------------------------ undo
    def _undo(self, ctx: Ctx, event_id: str | None = None) -> Reply:
        m = self._m(ctx.lang, "log")
        window = self.cfg.limits.undo_minutes * 60
        if event_id:
            event = self.store.get_event(ctx.ws, event_id)
            if event is not None and (event.user != ctx.user or event.ts < ctx.now - window):
                event = None
        else:
            event = self.store.last_event(ctx.ws, ctx.user, ctx.now - window)
        if event is None:
            return Reply(kind="undo_none", title=m("undo_none_title"),
                         lines=_lines(m("undo_none", self.cfg.limits.undo_minutes)), ok=False, lang=ctx.lang)
        self.store.remove_event(ctx.ws, event.id)
        return Reply(kind="undone", title=m("undone", event.type, event.kind, event.count), lang=ctx.lang,
                     data={"event_id": event.id})

    # ------------------------------------------------------------------ figures
    def _period(self, ctx: Ctx, which: str) -> periods.Period:
        today = periods.local(ctx.now, ctx.tz).date()
        return periods.week_of(today, ctx.tz) if which == "week" else periods.month_of(today, ctx.tz)

    def _stats(self, req: grammar.StatsRequest, ctx: Ctx) -> Reply:
        period = self._period(ctx, req.period)
        fig = figures_for(self.store, ctx.ws, ctx.tz, period)
        mine = fig.per_user.get(ctx.user, Counts())
        team = fig.total
        zone_colour, zone_text = self._zone_text(ctx)
        m = self._m(ctx.lang, "stats")
        used_head, used_facts = footprint_facts(self.r, ctx.lang, self.impact, footprint_of(self.impact, team.gen))
        saved_head, _ = footprint_facts(self.r, ctx.lang, self.impact, footprint_of(self.impact, team.avoid), avoided=True)
        facts = (
            Fact(m("me_label"), m("counts", mine.generations, mine.avoided, mine.rct_avg)),
            Fact(m("team_label"), m("counts", team.generations, team.avoided, team.rct_avg)),
            Fact(m("members_label"), m("members", len(fig.per_user))),
            *used_facts,
        )
        lines = [m("used", used_head)]
        if team.avoided:
            lines.append(saved_head)
        return Reply(
            kind="stats", title=m("title", req.period, period.first_day, period.last_day), lines=tuple(lines), facts=facts,
            zone=zone_colour, zone_text=zone_text, public=req.public, lang=ctx.lang,
            footer=impact_footer(self.r, ctx.lang, self.impact, ctx.settings.get("zone") or self.impact.default_zone),
            data={"me": mine, "team": team},
        )

    def _top(self, req: grammar.TopRequest, ctx: Ctx) -> Reply:
        m = self._m(ctx.lang, "stats")
        if req.period == "all":
            key, start, end = "all", None, None
        else:
            p = self._period(ctx, req.period)
            key, start, end = p.key, p.first_day, p.last_day
        per_user = self.store.counts(ctx.ws, ctx.tz, [key])[key]
        members = {mb["user"]: mb for mb in self.store.members(ctx.ws)}
        rows = leaderboard(per_user, members)
        lines = [m("top_row", rank, name, avoided) for rank, _, name, avoided in rows[:10]]
        if not lines:
            lines = [m("top_empty")]
        mine = next((i for i, row in enumerate(rows) if row[1] == ctx.user), None)
        if members.get(ctx.user, {}).get("leaderboard") is False:
            lines.append(m("top_opted_out"))
        elif mine is None or mine >= 10:
            lines.append(m("top_you", rows[mine][0] if mine is not None else None,
                           per_user.get(ctx.user, Counts()).avoided))
        teams = team_leaderboard(per_user, list(members.values()), ctx.settings.get("team_groups"))
        facts = tuple(Fact(m("team_row_label", t.rank, t.team), m("team_row", t.avoided, t.members, t.per_member))
                      for t in teams[:10])
        return Reply(kind="top", title=m("top_title", req.period, start, end), lines=tuple(lines), facts=facts,
                     public=req.public, lang=ctx.lang, data={"rows": rows, "teams": teams})

    # ------------------------------------------------------------------ member and workspace
    def _me(self, req: grammar.MeRequest, ctx: Ctx) -> Reply:
        m = self._m(ctx.lang, "me")
        if req.action == "show":
            member = ctx.member
            return Reply(kind="me", title=m("title", ctx.sender.display_name), lines=_lines(m("prefs", {
                "lang": ctx.lang, "nudges": bool(member.get("nudges", False)),
                "leaderboard": member.get("leaderboard", True) is not False,
            })), buttons=self._pref_buttons(ctx), lang=ctx.lang)
        if req.action == "export":
            payload = {
                "workspace": ctx.ws, "user": ctx.user, "exported_at": ctx.now,
                "preferences": {k: v for k, v in ctx.member.items() if k != "user"},
                "events": [e.to_dict() for e in self.store.member_events(ctx.ws, ctx.user)],
            }
            blob = json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")
            return Reply(kind="export", title=m("export_title", len(payload["events"])), lines=_lines(m("export_note")),
                         attachments=(Attachment(f"sobria-export-{ctx.user}.json", blob, "application/json"),),
                         lang=ctx.lang, data={"export": payload})
        if req.action == "forget":
            return Reply(kind="forget_ask", title=m("forget_ask_title"), lines=_lines(m("forget_ask")), lang=ctx.lang)
        if req.action == "forget_confirm":
            removed = self.store.forget_member(ctx.ws, ctx.user)
            return Reply(kind="forgotten", title=m("forgotten", removed), lang=pick_lang(
                self.store.settings(ctx.ws).get("lang"), self.cfg.lang))
        field = {"nudges": "nudges", "lang": "lang", "leaderboard": "leaderboard"}[req.action]
        self.store.update_member(ctx.ws, ctx.user, **{field: req.value})
        lang = req.value if field == "lang" else ctx.lang
        m = self._m(lang, "me")
        return Reply(kind="pref", title=m("pref_saved", field, req.value), lang=lang,
                     buttons=self._pref_buttons(self._context(ctx.sender)))

    def _pref_buttons(self, ctx: Ctx) -> tuple[Button, ...]:
        m = self._m(ctx.lang, "me")
        nudges = bool(ctx.member.get("nudges", False))
        board = ctx.member.get("leaderboard", True) is not False
        other_lang = "en" if ctx.lang == "fr" else "fr"
        return (
            Button("pref", m("button_nudges", not nudges), f"nudges {'off' if nudges else 'on'}"),
            Button("pref", m("button_leaderboard", not board), f"leaderboard {'off' if board else 'on'}"),
            Button("pref", m("button_lang", other_lang), f"lang {other_lang}"),
        )

    def _settings(self, req: grammar.SettingsRequest, ctx: Ctx) -> Reply:
        m = self._m(ctx.lang, "settings")
        if req.key is None:
            return Reply(kind="settings", title=m("title"), lines=_lines(m("list", ctx.settings)), lang=ctx.lang)
        value = req.value
        if req.key == "zone" and value not in self.impact.zones():
            return self._error(ctx, "ia-settings", "bad_zone", {"word": str(value)[:40], "zones": self.impact.zones()})
        if req.key == "orange_max" and value < ctx.thresholds.green_max:
            return self._error(ctx, "ia-settings", "bad_thresholds", {"green": ctx.thresholds.green_max, "orange": value})
        if req.key == "green_max" and value > ctx.thresholds.orange_max:
            return self._error(ctx, "ia-settings", "bad_thresholds", {"green": value, "orange": ctx.thresholds.orange_max})
        self.store.set_setting(ctx.ws, req.key, value)
        lang = value if req.key == "lang" and not ctx.member.get("lang") else ctx.lang
        return Reply(kind="setting_saved", title=self._m(lang, "settings")("saved", req.key, value), lang=lang)

    def _team(self, req: grammar.TeamRequest, ctx: Ctx) -> Reply:
        m = self._m(ctx.lang, "team")
        groups = dict(ctx.settings.get("team_groups") or {})
        if req.action == "join":
            self.store.update_member(ctx.ws, ctx.user, team=req.name)
            return Reply(kind="team", title=m("joined", req.name), lang=ctx.lang)
        if req.action == "leave":
            current = ctx.member.get("team")
            self.store.update_member(ctx.ws, ctx.user, team=None)
            return Reply(kind="team", title=m("left", current), lang=ctx.lang)
        if req.action in ("map", "unmap"):
            if not self.is_admin(ctx.sender):
                return self.notice("admin_only", ctx.lang)
            if req.action == "map":
                groups[str(req.group)] = str(req.name)
            else:
                groups.pop(str(req.group), None)
            self.store.set_setting(ctx.ws, "team_groups", groups)
            return Reply(kind="team", title=m("mapped" if req.action == "map" else "unmapped", req.group, req.name),
                         lang=ctx.lang)
        teams = team_members(self.store.members(ctx.ws), groups)
        mine = team_of(ctx.member, groups)
        lines = [m("list_row", name, len(users)) for name, users in sorted(teams.items(), key=lambda kv: kv[0].casefold())]
        lines.append(m("yours", mine))
        return Reply(kind="teams", title=m("list_title", len(teams)), lines=tuple(lines), lang=ctx.lang,
                     data={"teams": teams})

    def _report(self, req: grammar.ReportRequest, ctx: Ctx) -> Reply:
        from bot.reports.report import build_report, parse_period

        today = periods.local(ctx.now, ctx.tz).date()
        try:
            period = parse_period(req.period, ctx.tz, today)
        except ValueError:
            return self._error(ctx, "ia-report", "bad_report_period", {"word": req.period[:40]})
        file = build_report(self.store, self.impact, self.r, ctx.ws, ctx.tz, period, lang=ctx.lang, fmt=req.fmt,
                            settings=ctx.settings, title=ctx.settings.get("name"), today=today)
        m = self._m(ctx.lang, "report_chat")
        return Reply(kind="report", title=m("title", period.key, req.fmt), lines=_lines(m("note", req.fmt)),
                     attachments=(file,), lang=ctx.lang, data={"period": period.key})

    def _help(self, req: grammar.HelpRequest, ctx: Ctx) -> Reply:
        m = self._m(ctx.lang, "help")
        words = self.r.data(ctx.lang, "commands")
        if req.topic == "method":
            return Reply(kind="help_method", title=m("method_title"), lines=methodology_lines(self.r, ctx.lang, self.impact),
                         lang=ctx.lang)
        if req.topic:
            entry = words[req.topic]
            return Reply(kind="help_command", title=m("command_title", req.topic, entry["summary"]),
                         lines=_lines(m("command", req.topic, entry)), lang=ctx.lang)
        admin = self.is_admin(ctx.sender)
        facts = tuple(
            Fact(f"/{c.name} {words[c.name]['usage']}".strip(), m("entry", words[c.name]))
            for c in CATALOGUE if admin or not c.admin_only
        )
        return Reply(kind="help", title=m("title"), lines=_lines(m("intro")), facts=facts, lang=ctx.lang,
                     footer=m("footer", self.impact.factors_version))

    def _home(self, ctx: Ctx) -> Reply:
        m = self._m(ctx.lang, "stats")
        today = periods.local(ctx.now, ctx.tz).date()
        week, month = periods.week_of(today, ctx.tz), periods.month_of(today, ctx.tz)
        counts = self.store.counts(ctx.ws, ctx.tz, [week.key, month.key])
        mine_w = counts[week.key].get(ctx.user, Counts())
        mine_m = counts[month.key].get(ctx.user, Counts())
        zone_colour, zone_text = self._zone_text(ctx)
        team_m = workspace_total(counts[month.key])
        facts = (
            Fact(m("home_week"), m("counts", mine_w.generations, mine_w.avoided, mine_w.rct_avg)),
            Fact(m("home_month"), m("counts", mine_m.generations, mine_m.avoided, mine_m.rct_avg)),
            Fact(m("team_label"), m("counts", team_m.generations, team_m.avoided, team_m.rct_avg)),
        )
        return Reply(kind="home", title=m("home_title", ctx.sender.display_name), facts=facts, zone=zone_colour,
                     zone_text=zone_text, buttons=self._pref_buttons(ctx), lang=ctx.lang)


def _stored_rct(result: RctResult | None) -> dict[str, Any] | None:
    """What is kept of a scored prompt: the score and the parts, never the text."""
    if result is None or result.empty:
        return None
    return {"score": result.score, "band": result.band, "parts": result.parts(), "vague": result.task_vague}


def _lines(text: str) -> tuple[str, ...]:
    """Template output → paragraphs (blank lines separate them)."""
    return tuple(p.strip() for p in text.split("\n\n") if p.strip())
