"""/ia-settings: a workspace's settings, admins only (language, time zone, zone thresholds, channel, schedule…).

The effective values (stored over configured) come from `bot.core.settings`.
Wording: `templates/<lang>/settings.j2` and the `ia-settings` entry of `commands.toml`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.core import grammar, periods
from bot.core.command import Argument, Command
from bot.core.config import Config
from bot.core.grammar import OFF_WORDS, UsageError, fold
from bot.core.reply import Reply
from bot.core.services import Ctx, Services, paragraphs

NAME = "ia-settings"
KEYS: tuple[str, ...] = (
    "lang", "timezone", "green_max", "orange_max", "summary_channel", "store_prompts", "zone",
    "weekly_day", "weekly_time", "monthly_day", "monthly_time", "name",
)
WORDS = {
    "lang": "lang", "langue": "lang", "language": "lang",
    "timezone": "timezone", "tz": "timezone", "fuseau": "timezone", "fuseau-horaire": "timezone",
    "green_max": "green_max", "seuil_vert": "green_max", "seuil-vert": "green_max", "vert": "green_max",
    "green": "green_max",
    "orange_max": "orange_max", "seuil_orange": "orange_max", "seuil-orange": "orange_max", "orange": "orange_max",
    "summary_channel": "summary_channel", "canal": "summary_channel", "channel": "summary_channel",
    "salon": "summary_channel",
    "store_prompts": "store_prompts", "prompts": "store_prompts", "garder_prompts": "store_prompts",
    "zone": "zone", "grid": "zone", "mix": "zone",
    "weekly_day": "weekly_day", "jour_hebdo": "weekly_day", "weekly_time": "weekly_time", "heure_hebdo": "weekly_time",
    "name": "name", "nom": "name", "entreprise": "name", "company": "name",
    "monthly_day": "monthly_day", "jour_mensuel": "monthly_day", "monthly_time": "monthly_time",
    "heure_mensuel": "monthly_time",
}
WEEKDAYS = {
    "lundi": 0, "monday": 0, "mardi": 1, "tuesday": 1, "mercredi": 2, "wednesday": 2, "jeudi": 3, "thursday": 3,
    "vendredi": 4, "friday": 4, "samedi": 5, "saturday": 5, "dimanche": 6, "sunday": 6,
}
MAX_NAME = 80
_CHANNEL_REF = re.compile(r"^<#([A-Z0-9]+)(\|[^>]*)?>$|^<#(\d+)>$")


@dataclass(frozen=True)
class SettingsRequest:
    key: str | None
    value: Any = None


def parse(text: str, cfg: Config) -> SettingsRequest:
    tokens = text.split()
    if not tokens:
        return SettingsRequest(None)
    key = WORDS.get(fold(tokens[0]))
    if key is None:
        raise UsageError(NAME, "bad_setting", {"word": tokens[0][:40]})
    if len(tokens) < 2:
        raise UsageError(NAME, "missing_value", {"key": key})
    raw = grammar.rest(text, 1)
    value = _value(key, raw, fold(raw))
    if value is _BAD:
        raise UsageError(NAME, "bad_value", {"key": key, "word": raw[:40]})
    return SettingsRequest(key, value)


_BAD = object()


def _whole(raw: str, low: int, high: int) -> Any:
    return int(raw) if raw.isdigit() and low <= int(raw) <= high else _BAD


def _value(key: str, raw: str, word: str) -> Any:
    """The typed value of `raw` for `key`, or _BAD."""
    if key == "lang":
        return word if word in ("fr", "en") else _BAD
    if key == "timezone":
        try:
            periods.zone(raw)
        except ValueError:
            return _BAD
        return raw
    if key in ("green_max", "orange_max"):
        return _whole(raw, 1, 100_000)
    if key == "store_prompts":
        on = grammar.switch(raw)
        return _BAD if on is None else on
    if key == "summary_channel":
        if word in OFF_WORDS or word in ("none", "aucun"):
            return None
        m = _CHANNEL_REF.match(raw)
        channel = (m.group(1) or m.group(3)) if m else raw.lstrip("#")
        return channel if re.fullmatch(r"[A-Za-z0-9_.:-]{1,80}", channel) else _BAD
    if key == "name":
        name = " ".join(raw.split())
        return name if len(name) <= MAX_NAME else _BAD
    if key == "weekly_day":
        day = WEEKDAYS.get(word, int(word) if word.isdigit() else None)
        return day if day is not None and 0 <= day <= 6 else _BAD
    if key == "monthly_day":
        return _whole(raw, 1, 28)
    if key in ("weekly_time", "monthly_time"):
        m = re.fullmatch(r"(\d{1,2})[:h](\d{2})?", word)
        if not m or int(m.group(1)) > 23 or int(m.group(2) or 0) > 59:
            return _BAD
        return f"{int(m.group(1)):02d}:{int(m.group(2) or 0):02d}"
    return raw.upper()  # zone: checked against the impact model's zones by the handler


def handle(s: Services, req: SettingsRequest, ctx: Ctx) -> Reply:
    m = s.words(ctx.lang, "settings")
    if req.key is None:
        return Reply(kind="settings", title=m("title"), lines=paragraphs(m("list", ctx.settings.shown())),
                     lang=ctx.lang)
    value = req.value
    if req.key == "zone" and value not in s.impact.zones():
        return s.usage_error(ctx, NAME, "bad_zone", {"word": str(value)[:40], "zones": s.impact.zones()})
    if req.key == "orange_max" and value < ctx.thresholds.green_max:
        return s.usage_error(ctx, NAME, "bad_thresholds", {"green": ctx.thresholds.green_max, "orange": value})
    if req.key == "green_max" and value > ctx.thresholds.orange_max:
        return s.usage_error(ctx, NAME, "bad_thresholds", {"green": value, "orange": ctx.thresholds.orange_max})
    s.store.set_setting(ctx.ws, req.key, value)
    lang = value if req.key == "lang" and not ctx.member.get("lang") else ctx.lang
    return Reply(kind="setting_saved", title=s.words(lang, "settings")("saved", req.key, value), lang=lang)


COMMAND = Command(NAME, handle, (Argument("key", "choice", choices=KEYS), Argument("value", "text")),
                  parse=parse, admin_only=True)
