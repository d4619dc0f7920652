"""A workspace's effective settings and a member's reply language: one resolver each, used everywhere.

The coach, the scheduler, the report and the command line all need "this
workspace's settings": what an admin stored with `/ia-settings` over the
configured defaults. They used to work it out each in their own way, and
drifted (a report used the built-in thresholds instead of the configured
ones). `resolve` is the one place; `reply_lang` is the one rule for the
language of a reply.

Stored values are read tolerantly on purpose: a value stored by an older
version, or damaged by hand, falls back to the default with a log line, so
that a summary or a report is never lost to one stray setting.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Callable, Collection, Mapping, Protocol
from zoneinfo import ZoneInfo

from bot.core import i18n, periods
from bot.core.config import Config, Invalid, time_of_day
from bot.core.render import pick_lang
from bot.core.kinds import KINDS
from bot.core.zones import Thresholds, counted_kinds
from bot.habits.goals import Closing, closing_ranges

log = logging.getLogger(__name__)

TIME_OF_DAY = time_of_day("09:00")

class ScheduleDefaults(Protocol):
    """The configured days and times of the summaries (`[schedule]`)."""

    weekly_day: int
    weekly_time: str
    monthly_day: int
    monthly_time: str


@dataclass(frozen=True)
class WorkspaceSettings:
    """Every setting of one workspace, stored over configured, each in its usable form."""

    lang: str
    lang_chosen: str | None  # the language an admin stored, if any (a member's own comes first)
    timezone: str
    tz: ZoneInfo
    thresholds: Thresholds
    summary_channel: str | None
    store_prompts: bool
    zone: str  # an electricity zone the impact model knows
    weekly_day: int
    weekly_time: str
    monthly_day: int
    monthly_time: str
    name: str | None
    team_groups: Mapping[str, str] = field(default_factory=dict)
    closing: Closing = ()  # the workspace's closing weeks (`bot.habits.goals`): no weekly summary, no zone judged

    def shown(self) -> dict[str, Any]:
        """The values `/ia-settings` lists, by key."""
        return {
            "lang": self.lang, "timezone": self.timezone, "green_max": self.thresholds.green_max,
            "orange_max": self.thresholds.orange_max, "summary_channel": self.summary_channel,
            "store_prompts": self.store_prompts, "zone": self.zone, "weekly_day": self.weekly_day,
            "weekly_time": self.weekly_time, "monthly_day": self.monthly_day, "monthly_time": self.monthly_time,
            "name": self.name, "counted_kinds": self.thresholds.kinds,
            "scale_with_members": bool(self.thresholds.per_members), "closing": self.closing,
        }


def _whole(low: int, high: int) -> Callable[[Any], bool]:
    return lambda v: isinstance(v, int) and not isinstance(v, bool) and low <= v <= high


def _is_kinds(value: Any) -> bool:
    """A stored list of kinds (as `/ia-settings counted_kinds` stores it): known kinds, at least one."""
    return isinstance(value, list) and bool(value) and all(k in KINDS for k in value)


def _is_time(value: Any) -> bool:
    """A stored "HH:MM" (as `/ia-settings` stores it), by the configuration's own time-of-day form."""
    try:
        return isinstance(value, str) and TIME_OF_DAY.read(value) == value
    except Invalid:
        return False


def resolve(
    workspace: str,
    stored: Mapping[str, Any],
    config: Config,
    schedule: ScheduleDefaults,
    default_zone: str,
    zones: Collection[str],
) -> WorkspaceSettings:
    """Pure: the effective settings of `workspace` from what it stored and the configuration."""

    def pick(key: str, ok: Callable[[Any], bool], default: Any) -> Any:
        value = stored.get(key)
        if value is None:
            return default
        if ok(value):
            return value
        log.warning("workspace %s: setting %s=%r is not usable, using %r", workspace, key, value, default)
        return default

    timezone = pick("timezone", lambda v: isinstance(v, str) and periods.is_zone(v), config.timezone)
    green = pick("green_max", _whole(1, 10**9), config.thresholds.green_max)
    orange = max(pick("orange_max", _whole(1, 10**9), config.thresholds.orange_max), green)
    kinds = counted_kinds(pick("counted_kinds", _is_kinds, list(config.thresholds.kinds)))
    scaled = pick("scale_with_members", lambda v: isinstance(v, bool), config.zones.scale_with_members)
    lang = stored.get("lang")
    chosen = lang if lang is not None and lang in i18n.languages() else None  # the folders looked at only then
    channel = stored.get("summary_channel")
    groups = stored.get("team_groups")
    name = stored.get("name")
    return WorkspaceSettings(
        lang=pick_lang(chosen, config.lang),
        lang_chosen=chosen,
        timezone=timezone,
        tz=periods.zone(timezone),
        thresholds=Thresholds(green, orange, kinds, config.zones.reference_members if scaled else 0),
        summary_channel=str(channel) if channel else None,
        store_prompts=pick("store_prompts", lambda v: isinstance(v, bool), config.store_prompts),
        zone=pick("zone", lambda v: v in zones, default_zone),
        weekly_day=pick("weekly_day", _whole(0, 6), schedule.weekly_day),
        weekly_time=pick("weekly_time", _is_time, schedule.weekly_time),
        monthly_day=pick("monthly_day", _whole(1, 28), schedule.monthly_day),
        monthly_time=pick("monthly_time", _is_time, schedule.monthly_time),
        name=str(name) if isinstance(name, str) and name else None,
        team_groups={str(k): str(v) for k, v in groups.items()} if isinstance(groups, Mapping) else {},
        closing=closing_ranges(stored.get("closing")),
    )


def reply_lang(member_lang: str | None, workspace_lang: str | None, platform_locale: str | None,
               config_lang: str) -> str:
    """The language of a reply: the member's choice, then the workspace's, then the platform's hint, then the config's."""
    return pick_lang(member_lang, workspace_lang, platform_locale, config_lang)
