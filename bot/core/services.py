"""What a command handler works with: who asks (`Ctx`) and the engine's services (`Services`).

A handler in `bot/commands/` is a plain function `handle(services, request,
ctx) -> Reply`. `Services` gives it the store, the impact model, the wording
and the few answers every command shares (a usage error, a notice, the week's
zone); `Ctx` says who asks, in which workspace, language and time zone, with
the workspace's effective settings already resolved.
"""

from __future__ import annotations

import logging
import time
from datetime import date
from dataclasses import dataclass
from typing import Any, Callable, Mapping
from zoneinfo import ZoneInfo

from bot.core import periods
from bot.core.command import Catalogue
from bot.core.config import Config
from bot.core.errors import StoreError
from bot.core.identity import Delivery, Sender
from bot.core.ratelimit import WINDOW_S
from bot.core.render import Renderer, paragraphs, pick_lang
from bot.core.reply import Reply
from bot.core.settings import WorkspaceSettings, reply_lang, resolve
from bot.core.zones import Diagnosis, Thresholds, diagnose
from bot.habits.goals import week_closed
from bot.impact.model import ImpactModel
from bot.store import Store, workspace_total
from bot.store.base import MemberFigures

log = logging.getLogger(__name__)

# How far back a copy of a command looks for the first one's event: Slack sends its last copy about five minutes
# after the first attempt (https://api.slack.com/apis/events-api#retries); an hour leaves room for a slow restart.
COPY_WITHIN_S = 3600.0


@dataclass(frozen=True)
class Ctx:
    """Everything a command needs to know about who asks, where and when."""

    sender: Sender
    lang: str
    settings: WorkspaceSettings
    member: Mapping[str, Any]
    now: float
    # the member's figures of this week as they stood before the command, when its declaration asks for them
    # (`Command.reads_week`): read with the context, in the same round trip on PostgreSQL; else None
    week: MemberFigures | None = None
    delivery: Delivery | None = None  # how the platform delivered the command, when it may send it twice

    @property
    def ws(self) -> str:
        return self.sender.workspace_id

    @property
    def user(self) -> str:
        return self.sender.user_id

    @property
    def tz(self) -> ZoneInfo:
        return self.settings.tz

    @property
    def thresholds(self) -> Thresholds:
        return self.settings.thresholds

    def today(self) -> date:
        return periods.local(self.now, self.tz).date()


class Services:
    """The engine's shared parts, handed to every command handler."""

    def __init__(self, config: Config, store: Store, catalogue: Catalogue, renderer: Renderer,
                 impact: ImpactModel, clock: Callable[[], float] | None = None) -> None:
        self.cfg = config
        self.store = store
        self.catalogue = catalogue
        self.r = renderer
        self.impact = impact
        self.clock = clock or time.time
        self._zones: dict[str, ZoneInfo] = {}  # each workspace's time zone when last read (see _context)
        self.schedule = config.schedule

    # ------------------------------------------------------------------ who asks
    def workspace_settings(self, workspace: str) -> WorkspaceSettings:
        """The workspace's effective settings (see `bot.core.settings`)."""
        return self._resolved(workspace, self.store.settings(workspace))

    def _resolved(self, workspace: str, stored: Mapping[str, Any]) -> WorkspaceSettings:
        return resolve(workspace, stored, self.cfg, self.schedule, self.impact.default_zone, self.impact.zones())

    def lang_for(self, sender: Sender, member: Mapping[str, Any] | None = None,
                 settings: WorkspaceSettings | None = None) -> str:
        """The member's reply language (see `bot.core.settings.reply_lang`)."""
        if member is None:
            member = self.store.member(sender.workspace_id, sender.user_id) or {}
        if settings is None:
            settings = self.workspace_settings(sender.workspace_id)
        return reply_lang(member.get("lang"), settings.lang_chosen, sender.locale, self.cfg.lang)

    def context(self, sender: Sender) -> Ctx:
        """Who asks; refreshes the member's display name and groups when the platform says they changed."""
        return self._context(sender, admitting=False)[0]

    def context_admitting(self, sender: Sender, week: bool = False) -> tuple[Ctx, bool]:
        """context() for a rate-limited command, and whether the member's burst window lets it through
        (`[limits] logs_per_minute`, bot/core/ratelimit.py), both from one read of the store; with `week`, the
        member's figures of this week in that read too (`Ctx.week`)."""
        return self._context(sender, admitting=True, week=week)

    def _context(self, sender: Sender, admitting: bool, week: bool = False) -> tuple[Ctx, bool]:
        now = self.clock()
        admitted = True
        figures: MemberFigures | None = None
        if admitting:
            # The week is that of the workspace's time zone, which the settings being read give: it is asked in
            # the zone this workspace had last time (the configured one at first), and kept only if still right.
            zone = self._zones.get(sender.workspace_id) or periods.zone(self.cfg.timezone)
            asked = (zone, periods.week_key(periods.local(now, zone).date())) if week else None
            stored, found, admitted, figures = self.store.settings_member_admitting(
                sender.workspace_id, sender.user_id, now, self.cfg.limits.logs_per_minute, WINDOW_S, asked)
        else:
            stored, found = self.store.settings_and_member(sender.workspace_id, sender.user_id)  # one read
        settings = self._resolved(sender.workspace_id, stored)
        if admitting and week:
            self._zones[sender.workspace_id] = settings.tz
            if settings.tz.key != zone.key:
                figures = None  # the zone changed since: the command reads its week itself
        member = found or {}
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
        return Ctx(sender, self.lang_for(sender, member, settings), settings, member, now, figures), admitted

    def is_admin(self, sender: Sender) -> bool:
        return sender.is_admin or sender.user_id in self.cfg.admins

    # ------------------------------------------------------------------ storing
    def stored_copy(self, ctx: Ctx, event_id: str) -> bool:
        """Whether the command is a copy the platform sent again (`Ctx.delivery`) of one whose event, `event_id`,
        is already stored: a command that stores an event asks before storing it, and answers a copy as its
        first attempt without storing anything.

        The copy's event has the first one's id (made from the delivery's id), so it is looked for among the
        member's events of the last COPY_WITHIN_S: the first attempt may have been stored by another process,
        or by this one before a restart, which the adapter's memory of requests (adapters/slack/retries.py)
        cannot know. Only copies are looked for: a first delivery costs no read.
        """
        if ctx.delivery is None or not ctx.delivery.copy:
            return False
        recent = self.store.member_events(ctx.ws, ctx.user, since_ts=ctx.now - COPY_WITHIN_S)
        if any(e.id == event_id for e in recent):
            log.info("a copy of a command already stored in workspace %s: not stored again", ctx.ws)
            return True
        return False

    # ------------------------------------------------------------------ wording
    def words(self, lang: str, template: str) -> Callable[..., str]:
        """Call a macro of `templates/<template>.j2`: words("name", *args)."""

        def call(name: str, *args: Any, **kwargs: Any) -> str:
            return self.r.macro(lang, template, name)(*args, **kwargs)

        return call

    def notice(self, key: str, lang: str | None) -> Reply:
        """A fixed message (DM refused, internal error, admin only, not saved…)."""
        lang = pick_lang(lang, self.cfg.lang)
        m = self.words(lang, "notices")
        return Reply(kind=f"notice:{key}", title=m("title", key), lines=paragraphs(m("body", key)), ok=False, lang=lang)

    def usage_error(self, ctx: Ctx, command: str, key: str, params: Mapping[str, Any]) -> Reply:
        """What was wrong, then the command's usage and example (or the known commands)."""
        m = self.words(ctx.lang, "errors")
        words = self.r.data(ctx.lang, "commands")
        name = command if command in words else "ia-help"
        entry = words[name]
        lines = [m("explain", key, dict(params))]
        if key == "unknown_command":
            lines.append(m("known_commands", self.catalogue.names()))
        else:
            # an error about one part (a setting) ends with that part's example, else the command's
            lines.append(m("usage", name, entry["usage"], m("example", command, key, dict(params)) or entry["example"]))
        return Reply(kind="error", title=m("title", key), lines=tuple(x for x in lines if x), ok=False, lang=ctx.lang,
                     data={"error": key, "command": command})

    # ------------------------------------------------------------------ shared figures
    def week_diagnosis(self, ctx: Ctx, week: MemberFigures | None = None) -> Diagnosis:
        """The workspace's zone this week, by `bot.core.zones.diagnose` as every other zone Sobria shows.

        Members are counted only when the lines scale with them: the week's per-member counts cost more to read.
        `week`, the asking member's figures of this week when the command has already read them (/ia-log for its
        tip, /ia-stats week), gives the workspace's total without another read of the store.
        """
        key = periods.week_key(ctx.today())
        t = ctx.thresholds
        if week is not None and not t.per_members:
            return diagnose(week.team, t)
        if t.per_members:
            per_user = self.store.counts(ctx.ws, ctx.tz, [key])[key]
            return diagnose(workspace_total(per_user), t, len(per_user))
        return diagnose(self.store.totals(ctx.ws, ctx.tz, [key])[key], t)

    def week_zone(self, ctx: Ctx, week: MemberFigures | None = None) -> tuple[str, int]:
        """The workspace's zone this week and the count it is based on (the kinds the zone counts only); in a
        closing week of the workspace (`bot.habits.goals`), no zone (""): the week is not judged. `week`: as
        week_diagnosis."""
        d = self.week_diagnosis(ctx, week)
        if week_closed(ctx.today(), ctx.settings.closing):
            return "", d.count
        return d.zone, d.count

    def zone_text(self, ctx: Ctx, week: MemberFigures | None = None) -> tuple[str, str]:
        """The week's zone and the sentence that says it, naming what it counts; in a closing week of the
        workspace (`bot.habits.goals`), no zone ("") and a sentence saying it is not judged. `week`: as
        week_diagnosis."""
        d = self.week_diagnosis(ctx, week)
        if week_closed(ctx.today(), ctx.settings.closing):
            return "", self.words(ctx.lang, "habits")("closed_zone_line", d.count, d.thresholds)
        return d.zone, self.words(ctx.lang, "common")("zone_line", d.zone, d.count, d.thresholds)

    def period(self, ctx: Ctx, which: str) -> periods.Period:
        """This week or this month, in the workspace's time zone."""
        today = ctx.today()
        return periods.week_of(today, ctx.tz) if which == "week" else periods.month_of(today, ctx.tz)
