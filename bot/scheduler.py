"""Scheduled summaries: the weekly nudge and the monthly victory post, once each, on time, in every zone.

Inside `sobria run`, one APScheduler job per workspace and kind fires at the
workspace's local day and time (a cron trigger in the workspace's own time
zone, so 09:00 stays 09:00 across daylight-saving changes). A sync job re-reads
the workspace settings every few minutes, so `/ia-settings` changes (channel,
zone, day, time) take effect without a restart.

Exactly once: before posting, the summary is claimed in the store
(`claim_summary(workspace, kind, period)`, under the workspace's file lock,
shared by every process on the data directory). Whoever claims first posts;
everyone else (a second bot process, a restart, a misfire, the start-up
catch-up) finds the claim and stays quiet. The claim comes *before* the post:
a post that fails is logged and not retried, because retrying after a failure
whose outcome is unknown (a timeout after Slack accepted the message) is how
summaries get posted twice. docs/summaries.md explains the trade-off.

Catch-up: at start, each workspace's latest due summary is posted if its
scheduled time is less than `grace_days` old and nobody claimed it yet. Only
the latest period: a bot down for three weeks does not post three summaries.

Closing weeks (`/ia-settings fermeture`, `bot.habits.goals`): no weekly summary and no personal nudge is sent
about a closing week or during one. A member on pause (`/ia-me pause`) gets no personal nudge.

Posting goes through the running adapters (`bot.core.adapter.Adapter`). A summary is claimed
only once a poster is ready to take it; until then the job retries every
minute, within the grace.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any, Callable, Mapping, Protocol, Sequence
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from bot import metrics
from bot.core import periods
from bot.core.config import Config
from bot.core.config import ScheduleSection as ScheduleSettings  # the validated [schedule], declared with the schema
from bot.core.errors import StoreError
from bot.impact.model import ImpactModel
from bot.core.periods import Period
from bot.core.adapter import Adapter
from bot.core.render import Renderer
from bot.core.settings import reply_lang, resolve
from bot.core.reply import Reply
from bot.store import Store
from bot.reports.summaries import (
    SummaryWords,
    monthly_figures,
    monthly_reply,
    personal_reply,
    personal_week,
    weekly_figures,
    weekly_reply,
)
from bot.core.zones import Thresholds
from bot.habits.goals import Closing, is_paused, week_closed
from bot.habits.progress import member_progress

log = logging.getLogger("sobria.scheduler")

WEEKLY, MONTHLY = "weekly", "monthly"
KINDS: tuple[str, ...] = (WEEKLY, MONTHLY)
PERSONAL = "personal_nudge"  # claims are "personal_nudge:<user id>" per week

# What one run of a summary job did (returned for tests and the CLI, logged otherwise).
POSTED, ALREADY, FAILED, OFF, LATE, NOT_READY = "posted", "already", "failed", "off", "late", "not_ready"
# every platform is connected and none serves the workspace (a distributed Slack app it has uninstalled, its data
# waiting out the grace period): nothing to retry
NOT_SERVED = "not_served"
CLOSED, PAUSED = "closed", "paused"  # a closing week of the workspace; a member on pause
# bot/metrics.py's result of a post: sent, skipped (another process posted it, or no platform was ready), failed;
# a summary not due (no channel, too late, a member not active) is no post and is not counted
_RESULTS = {POSTED: "sent", ALREADY: "skipped", NOT_READY: "skipped", FAILED: "failed"}


def _count(kind: str, outcome: str) -> None:
    if outcome in _RESULTS:
        metrics.count_scheduled(kind, _RESULTS[outcome])

RETRY_SECONDS = 60.0  # while no poster is ready (start-up, reconnection), try again this often
SYNC_SECONDS = 300.0  # how often workspace settings are re-read for new channels, zones and times


# ---------------------------------------------------------------------------- configuration
def read_schedule(config: Config) -> ScheduleSettings:
    """The `[schedule]` section, validated with the whole configuration when it was read."""
    return config.schedule


# ---------------------------------------------------------------------------- one workspace's plan
@dataclass(frozen=True)
class Plan:
    """A workspace's settings as the scheduler reads them (stored values over the configured defaults)."""

    workspace: str
    tz: ZoneInfo
    lang: str
    channel: str | None
    thresholds: Thresholds
    zone: str | None
    team_groups: Mapping[str, str]
    weekly_day: int
    weekly_time: tuple[int, int]
    monthly_day: int
    monthly_time: tuple[int, int]
    closing: Closing = ()

    def when(self, kind: str) -> tuple[int, tuple[int, int]]:
        return (self.weekly_day, self.weekly_time) if kind == WEEKLY else (self.monthly_day, self.monthly_time)


def _hm(text: str) -> tuple[int, int]:
    hh, mm = text.split(":")
    return int(hh), int(mm)


def make_plan(workspace: str, settings: Mapping[str, Any], config: Config, schedule: ScheduleSettings,
              impact: ImpactModel | None = None) -> Plan:
    """Pure: what the scheduler will do for `workspace`, from its stored settings (`bot.core.settings.resolve`)."""
    impact = impact or ImpactModel.from_config(config.impact)
    ws = resolve(workspace, settings, config, schedule, impact.default_zone, impact.zones())
    return Plan(
        workspace=workspace,
        tz=ws.tz,
        lang=ws.lang,
        channel=ws.summary_channel,
        thresholds=ws.thresholds,
        zone=ws.zone,
        team_groups=ws.team_groups,
        weekly_day=ws.weekly_day,
        weekly_time=_hm(ws.weekly_time),
        monthly_day=ws.monthly_day,
        monthly_time=_hm(ws.monthly_time),
        closing=ws.closing,
    )


# ---------------------------------------------------------------------------- when, and about what
@dataclass(frozen=True)
class Slot:
    """One scheduled summary: when it is due (local, aware) and the period it reports on."""

    kind: str
    at: datetime
    period: Period


def _at(d: date, hm: tuple[int, int], tz: ZoneInfo) -> datetime:
    return datetime(d.year, d.month, d.day, hm[0], hm[1], tzinfo=tz)


def latest_slot(kind: str, plan: Plan, now_ts: float) -> Slot:
    """Pure: the latest scheduled time at or before `now_ts`, and what it reports on.

    The weekly nudge reports on the last complete ISO week before its day;
    the monthly summary on the month before its day. Local wall-clock times,
    so the UTC instant moves with daylight saving and the hour does not.
    """
    tz = plan.tz
    now = periods.local(now_ts, tz)
    day, hm = plan.when(kind)
    if kind == WEEKLY:
        d = now.date() - timedelta(days=(now.weekday() - day) % 7)
        if _at(d, hm, tz) > now:
            d -= timedelta(days=7)
        this_week = periods.week_of(d, tz)
        return Slot(kind, _at(d, hm, tz), periods.previous(this_week, tz))
    if kind == MONTHLY:
        d = now.date().replace(day=day)
        if _at(d, hm, tz) > now:
            d = (d.replace(day=1) - timedelta(days=1)).replace(day=day)
        return Slot(kind, _at(d, hm, tz), periods.previous(periods.month_of(d, tz), tz))
    raise ValueError(f"unknown summary kind {kind!r}")


def trigger_for(kind: str, plan: Plan) -> CronTrigger:
    """The cron trigger firing `kind` at the plan's local day and time."""
    day, (hh, mm) = plan.when(kind)
    if kind == WEEKLY:
        return CronTrigger(day_of_week=day, hour=hh, minute=mm, timezone=plan.tz)
    return CronTrigger(day=day, hour=hh, minute=mm, timezone=plan.tz)


# ---------------------------------------------------------------------------- building
def build_summary(kind: str, plan: Plan, period: Period, store: Store, impact: ImpactModel,
                  renderer: Renderer, *, with_chart: bool = True) -> Reply:
    """The channel summary of `period` for the plan's workspace, worded in the workspace's language."""
    words = SummaryWords(renderer, impact, plan.lang, plan.zone)
    if kind == WEEKLY:
        return weekly_reply(words, weekly_figures(store, impact, plan.workspace, plan.tz, period, plan.thresholds,
                                                  plan.closing))
    if kind == MONTHLY:
        fig = monthly_figures(store, impact, plan.workspace, plan.tz, period, plan.thresholds, plan.team_groups,
                              closing=plan.closing)
        return monthly_reply(words, fig, with_chart=with_chart)
    raise ValueError(f"unknown summary kind {kind!r}")


# ---------------------------------------------------------------------------- the scheduler
class SummaryScheduler:
    """See the module docstring. `start()` inside `sobria run`; `run()` and `catch_up()` are what the jobs call."""

    def __init__(
        self,
        config: Config,
        store: Store,
        posters: Sequence[Adapter],
        *,
        impact: ImpactModel | None = None,
        renderer: Renderer | None = None,
        clock: Callable[[], float] = time.time,
        schedule: ScheduleSettings | None = None,
        retry_seconds: float = RETRY_SECONDS,
        sync_seconds: float = SYNC_SECONDS,
    ) -> None:
        self.config = config
        self.store = store
        self.posters: list[Adapter] = list(posters)
        self.impact = impact or ImpactModel.from_config(config.impact)
        self.renderer = renderer or Renderer()
        self.clock = clock
        self.schedule = schedule or read_schedule(config)
        self.retry_seconds = retry_seconds
        self.sync_seconds = sync_seconds
        self._aps: BackgroundScheduler | None = None
        self._specs: dict[str, tuple[Any, ...]] = {}
        self.caught_up = threading.Event()  # set once the start-up catch-up has run
        self.last_catch_up: dict[tuple[str, str], str] = {}

    # ------------------------------------------------------------------ life cycle
    def start(self) -> bool:
        """Schedule every workspace's jobs, then catch up on missed summaries (in the scheduler's thread).

        Returns False (and schedules nothing) when `[schedule] enabled = false`.
        """
        if not self.schedule.enabled:
            log.info("scheduled summaries are disabled ([schedule] enabled = false)")
            return False
        self._aps = BackgroundScheduler(timezone=timezone.utc, job_defaults={"coalesce": True, "max_instances": 1})
        self.sync()
        self._aps.add_job(self.sync, "interval", seconds=self.sync_seconds, id="sync", misfire_grace_time=None)
        self._aps.add_job(self._start_up_catch_up, "date", run_date=self._now_dt(), id="catch-up",
                          misfire_grace_time=None)
        self._aps.start()
        return True

    def stop(self, wait: bool = True) -> None:
        if self._aps is not None and self._aps.running:
            self._aps.shutdown(wait=wait)
        self._aps = None

    @property
    def jobs(self) -> BackgroundScheduler | None:
        """The underlying APScheduler (None until started), for inspection."""
        return self._aps

    def _now_dt(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), timezone.utc)

    # ------------------------------------------------------------------ jobs
    def plan(self, workspace: str) -> Plan:
        return make_plan(workspace, self.store.settings(workspace), self.config, self.schedule, self.impact)

    def sync(self) -> None:
        """(Re)schedule one job per workspace and kind from the current settings; drop jobs of summaries turned off."""
        if self._aps is None:
            return
        wanted: set[str] = set()
        try:
            workspaces = self.store.workspaces()
        except (StoreError, OSError):
            log.exception("could not list workspaces; schedules unchanged")
            return
        for ws in workspaces:
            try:
                plan = self.plan(ws)
            except (StoreError, OSError):
                log.exception("could not read the settings of workspace %s", ws)
                wanted |= {f"{kind}|{ws}" for kind in KINDS if f"{kind}|{ws}" in self._specs}
                continue
            if plan.channel is None:
                continue
            for kind in KINDS:
                job_id = f"{kind}|{ws}"
                wanted.add(job_id)
                spec = (plan.tz.key, *plan.when(kind))
                if self._specs.get(job_id) == spec:
                    continue
                self._aps.add_job(self.run, trigger_for(kind, plan), args=[ws, kind], id=job_id,
                                  replace_existing=True, misfire_grace_time=int(self.schedule.grace.total_seconds()) or 1)
                self._specs[job_id] = spec
                log.info("workspace %s: %s summary scheduled (%s)", ws, kind, trigger_for(kind, plan))
        for job_id in set(self._specs) - wanted:
            self._remove(job_id)
            self._specs.pop(job_id, None)

    def _remove(self, job_id: str) -> None:
        if self._aps is not None and self._aps.get_job(job_id) is not None:
            self._aps.remove_job(job_id)

    def _start_up_catch_up(self) -> None:
        try:
            self.last_catch_up = self.catch_up()
            log.info("start-up catch-up: %s", self.last_catch_up)
        except Exception:
            log.exception("start-up catch-up failed")
        finally:
            self.caught_up.set()

    def catch_up(self) -> dict[tuple[str, str], str]:
        """Post every workspace's latest due summary that is still within the grace and unclaimed."""
        outcomes: dict[tuple[str, str], str] = {}
        for ws in self.store.workspaces():
            for kind in KINDS:
                outcomes[(ws, kind)] = self.run(ws, kind)
        return outcomes

    def run(self, workspace: str, kind: str) -> str:
        """The job body: post the latest due `kind` summary of `workspace` if it is not posted yet."""
        try:
            outcome = self._run(workspace, kind)
        except Exception:
            log.exception("%s summary of workspace %s failed", kind, workspace)
            outcome = FAILED
        _count(kind, outcome)
        return outcome

    def _run(self, workspace: str, kind: str) -> str:
        now = self.clock()
        plan = self.plan(workspace)
        if plan.channel is None:
            return OFF
        slot = latest_slot(kind, plan, now)
        if now - slot.at.timestamp() > self.schedule.grace.total_seconds():
            return LATE
        if kind == WEEKLY and (week_closed(slot.period.first_day, plan.closing)
                               or week_closed(slot.at.date(), plan.closing)):
            log.info("workspace %s: no weekly summary for %s, a closing week", workspace, slot.period.key)
            return CLOSED
        outcome = self.publish(plan, kind, slot.period)
        if kind == WEEKLY:
            self.send_nudges(plan, slot.period)
        if outcome == NOT_READY:
            self._retry(workspace, kind, slot)
        return outcome

    def _retry(self, workspace: str, kind: str, slot: Slot) -> None:
        at = self.clock() + self.retry_seconds
        if self._aps is None or at - slot.at.timestamp() > self.schedule.grace.total_seconds():
            log.warning("%s summary of workspace %s for %s not posted: no platform was ready", kind, workspace,
                        slot.period.key)
            return
        self._aps.add_job(self.run, "date", run_date=datetime.fromtimestamp(at, timezone.utc), args=[workspace, kind],
                          id=f"retry|{kind}|{workspace}", replace_existing=True, misfire_grace_time=None)

    # ------------------------------------------------------------------ posting
    def _posters(self, workspace: str, direct: bool = False) -> list[Adapter]:
        """Adapters able to take a message for `workspace` right now: ready, serving it (and sending direct messages)."""
        return [p for p in self.posters
                if p.ready.is_set() and p.serves(workspace) and (p.sends_direct or not direct)]

    def publish(self, plan: Plan, kind: str, period: Period, *, again: bool = False, reply: Reply | None = None) -> str:
        """Build (unless `reply` is given), claim, post: the channel summary of `period`, at most once unless `again`.

        Built before the claim: a summary that cannot be built is not marked as sent.
        """
        if plan.channel is None:
            return OFF
        posters = self._posters(plan.workspace)
        if not posters:
            if self.posters and all(p.ready.is_set() for p in self.posters):
                return NOT_SERVED
            return NOT_READY
        if reply is None:
            reply = build_summary(kind, plan, period, self.store, self.impact, self.renderer)
        if not self.store.claim_summary(plan.workspace, kind, period.key) and not again:
            log.info("%s summary of workspace %s for %s was already posted", kind, plan.workspace, period.key)
            return ALREADY
        for poster in posters:
            try:
                if poster.post_to_channel(plan.workspace, plan.channel, reply):
                    log.info("%s summary of workspace %s for %s posted", kind, plan.workspace, period.key)
                    return POSTED
            except Exception:
                log.exception("posting the %s summary of workspace %s failed", kind, plan.workspace)
        log.warning("%s summary of workspace %s for %s could not be posted to %s; it is not retried (claimed)",
                    kind, plan.workspace, period.key, plan.channel)
        return FAILED

    def send_nudges(self, plan: Plan, week: Period) -> dict[str, str]:
        """Each opted-in member's own week, by direct message, once per member and week."""
        senders = self._posters(plan.workspace, direct=True)
        outcomes: dict[str, str] = {}
        if not senders:
            return outcomes
        for member in self.store.members(plan.workspace):
            user = str(member.get("user", ""))
            if not user or member.get("nudges") is not True:
                continue
            if is_paused(member, periods.local(self.clock(), plan.tz).date()):
                outcomes[user] = PAUSED
                continue
            try:
                outcomes[user] = self._nudge(plan, week, user, member, senders)
            except Exception:
                log.exception("personal nudge for a member of workspace %s failed", plan.workspace)
                outcomes[user] = FAILED
            _count(PERSONAL, outcomes[user])
        return outcomes

    def _nudge(self, plan: Plan, week: Period, user: str, member: Mapping[str, Any], senders: list[Any]) -> str:
        mine = personal_week(self.store, self.impact, plan.workspace, plan.tz, week, user)
        if not mine.active:
            return OFF
        words = SummaryWords(self.renderer, self.impact, reply_lang(member.get("lang"), plan.lang, None, self.config.lang), plan.zone)
        goal = member_progress(self.store, plan.workspace, plan.tz, plan.thresholds, plan.closing, member, user,
                               week.first_day, complete=True)
        reply = personal_reply(words, mine, goal)
        if not self.store.claim_summary(plan.workspace, f"{PERSONAL}:{user}", week.key):
            return ALREADY
        for sender in senders:
            try:
                if sender.send_direct(plan.workspace, user, reply):
                    return POSTED
            except Exception:
                log.exception("direct message in workspace %s failed", plan.workspace)
        log.warning("personal nudge for %s could not be sent in workspace %s", week.key, plan.workspace)
        return FAILED
