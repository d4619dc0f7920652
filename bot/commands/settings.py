"""/ia-settings: a workspace's settings, admins only (language, time zone, zone thresholds, channel, schedule…).

Values are read as people type them: an electricity zone by country name in
French or English or by ISO 3166 code (`France`, `FR`, `fra`, `Allemagne`,
`DEU`), a weekday by name (`vendredi`, `Friday`). Names come from CLDR
through Babel, not from a list of our own, so every country and day is
spelt as the languages' references spell it. The effective values (stored
over configured) come from `bot.core.settings`.
Wording: `templates/settings.j2`, errors in `templates/errors.j2`, and the
`ia-settings` entry of `commands.toml`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from babel import Locale
from babel.core import get_global

from bot.core import grammar, i18n, periods
from bot.core.command import Argument, Command
from bot.core.config import Config
from bot.core.grammar import OFF_WORDS, UsageError, fold
from bot.core.reply import Reply
from bot.core.services import Ctx, Services, paragraphs
from bot.core.zones import kinds_from_words
from bot.habits import goals

NAME = "ia-settings"
KEYS: tuple[str, ...] = (
    "lang", "timezone", "green_max", "orange_max", "summary_channel", "store_prompts", "zone",
    "weekly_day", "weekly_time", "monthly_day", "monthly_time", "name", "counted_kinds", "scale_with_members",
    "closing",
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
    "counted_kinds": "counted_kinds", "types_comptes": "counted_kinds", "zone_kinds": "counted_kinds",
    "scale_with_members": "scale_with_members", "par_membre": "scale_with_members", "per_member": "scale_with_members",
    "closing": "closing", "fermeture": "closing", "fermetures": "closing", "closed": "closing",
    "ferme": "closing",
}
NAME_LANGS = ("fr", "en")  # the languages whose country and day names admins may type
WORLD = "WOR"  # the impact model's world average: no ISO country, typed as a word
WORLD_WORDS = ("world", "monde", "mondial", "worldaverage", "moyennemondiale", "wor", "001")
MAX_NAME = 80
_CHANNEL_REF = re.compile(r"^<#([A-Z0-9]+)(\|[^>]*)?>$|^<#(\d+)>$")


@dataclass(frozen=True)
class SettingsRequest:
    key: str | None
    value: Any = None
    typed: str = field(default="", compare=False)  # the value as typed, for the error that refuses it


def _name_key(name: str) -> str:
    """A name compared without case, accents, spaces, punctuation or a leading article ("les Pays-Bas")."""
    word = fold(name).strip()
    word = re.sub(r"^(la |le |les |l'|l’|the )", "", word)
    return re.sub(r"[\W_]+", "", word)


@lru_cache(maxsize=1)
def _alpha3() -> dict[str, str]:
    """ISO 3166 alpha-2 → alpha-3, from CLDR's territory aliases (which map each alpha-3 code to its alpha-2).

    A few alpha-2 codes have a withdrawn alpha-3 beside the current one (DDR and DEU for DE); the withdrawn
    one starts with a withdrawn alpha-2 (DD), which is how it is left out.
    """
    aliases = get_global("territory_aliases")
    withdrawn = {code for code, targets in aliases.items() if len(code) == 2 and len(targets) == 1}
    candidates: dict[str, list[str]] = {}
    for code, targets in aliases.items():
        if len(code) == 3 and code.isalpha() and len(targets) == 1:
            candidates.setdefault(targets[0], []).append(code)
    return {a2: (codes[0] if len(codes) == 1 else next((c for c in codes if c[:2] not in withdrawn), codes[0]))
            for a2, codes in candidates.items()}


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    """Every way an admin may name a country → its alpha-3 code: both ISO codes and the CLDR names
    in each of `NAME_LANGS` (« Allemagne », "Germany"), plus CLDR's other alpha-2 aliases ("UK")."""
    alpha3 = _alpha3()
    names: dict[str, str] = {}
    for a2, a3 in alpha3.items():
        names[_name_key(a3)] = a3
        names.setdefault(_name_key(a2), a3)
    for code, targets in get_global("territory_aliases").items():
        if len(code) == 2 and len(targets) == 1 and targets[0] in alpha3:
            names.setdefault(_name_key(code), alpha3[targets[0]])
    for lang in NAME_LANGS:
        for a2, name in Locale.parse(lang).territories.items():
            if a2 in alpha3:
                names.setdefault(_name_key(name), alpha3[a2])
    for word in WORLD_WORDS:
        names[word] = WORLD
    return names


def zone_code(typed: str) -> str:
    """The zone code an admin means: "France", "fr", "FRA" → "FRA"; anything else upper-cased as typed
    (a zone of the configuration's own, or a word the handler refuses)."""
    return _countries().get(_name_key(typed), typed.strip().upper())


def country_name(code: str, lang: str) -> str | None:
    """The CLDR name of the country with alpha-3 `code` in `lang` (« Espagne »), None if `code` is none."""
    from bot.core.numbers import locale_of

    a2 = next((a2 for a2, a3 in _alpha3().items() if a3 == code), None)
    return locale_of(lang).territories.get(a2) if a2 else None


@lru_cache(maxsize=1)
def weekdays() -> dict[str, int]:
    """Weekday names in `NAME_LANGS`, wide and abbreviated, folded ("vendredi", "ven", "fri") → 0 = Monday."""
    days: dict[str, int] = {}
    for lang in NAME_LANGS:
        locale = Locale.parse(lang)
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for index, name in locale.days[context][width].items():
                    days.setdefault(fold(name).rstrip("."), index)
    return days


def parse(text: str, cfg: Config) -> SettingsRequest:
    tokens = text.split()
    if not tokens:
        return SettingsRequest(None)
    key = WORDS.get(fold(tokens[0]))
    if key is None:
        near = difflib.get_close_matches(fold(tokens[0]), list(WORDS), n=1, cutoff=0.75)
        raise UsageError(NAME, "bad_setting", {"word": tokens[0][:40], "key": WORDS[near[0]] if near else None,
                                               "settings": KEYS})
    if len(tokens) < 2:
        raise UsageError(NAME, "missing_value", {"key": key})
    raw = grammar.rest(text, 1)
    value = _value(key, raw, fold(raw))
    if value is _BAD:
        raise UsageError(NAME, "bad_value", {"key": key, "word": raw[:40], "max": MAX_NAME})
    return SettingsRequest(key, value, raw)


_BAD = object()


def _whole(raw: str, low: int, high: int) -> Any:
    return int(raw) if raw.isdigit() and low <= int(raw) <= high else _BAD


def _value(key: str, raw: str, word: str) -> Any:
    """The typed value of `raw` for `key`, or _BAD."""
    if key == "lang":
        return i18n.language_of(raw) or _BAD
    if key == "timezone":
        try:
            periods.zone(raw)
        except ValueError:
            return _BAD
        return raw
    if key in ("green_max", "orange_max"):
        return _whole(raw, 1, 100_000)
    if key == "counted_kinds":  # what the weekly zone counts (bot/core/zones.py), stored as a list of kinds
        kinds = kinds_from_words(raw)
        return _BAD if kinds is None else list(kinds)
    if key == "scale_with_members":
        scaled = grammar.switch(raw)
        return _BAD if scaled is None else scaled
    if key == "closing":  # closing weeks (bot/habits/goals.py): two days, or off to remove them all
        if word in OFF_WORDS or word in ("none", "aucun", "aucune"):
            return None
        days = [goals.read_date(x) for x in raw.replace("→", " ").split() if fold(x) not in ("au", "to", "-", "a")]
        if len(days) != 2 or None in days or goals.closing_problem(days[0], days[1]):
            return _BAD
        return (days[0], days[1])
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
        day = weekdays().get(word.rstrip("."), int(word) if word.isdigit() else None)  # 0-6 as in the config
        return day if day is not None and 0 <= day <= 6 else _BAD
    if key == "monthly_day":
        return _whole(raw, 1, 28)
    if key in ("weekly_time", "monthly_time"):
        m = re.fullmatch(r"(\d{1,2})[:h](\d{2})?", word)
        if not m or int(m.group(1)) > 23 or int(m.group(2) or 0) > 59:
            return _BAD
        return f"{int(m.group(1)):02d}:{int(m.group(2) or 0):02d}"
    return zone_code(raw)  # zone: checked against the impact model's zones by the handler


def handle(s: Services, req: SettingsRequest, ctx: Ctx) -> Reply:
    m = s.words(ctx.lang, "settings")
    if req.key is None:
        return Reply(kind="settings", title=m("title"), lines=paragraphs(m("list", ctx.settings.shown())),
                     lang=ctx.lang)
    value = req.value
    if req.key == "zone" and value not in s.impact.zones():
        country = country_name(value, ctx.lang)
        if country:  # a real country, but the model has no grid intensity for it
            return s.usage_error(ctx, NAME, "zone_not_modelled",
                                 {"key": "zone", "country": country, "code": value, "zones": s.impact.zones()})
        return s.usage_error(ctx, NAME, "bad_zone",
                             {"key": "zone", "word": (req.typed or str(value))[:40], "zones": s.impact.zones()})
    if req.key == "orange_max" and value < ctx.thresholds.green_max:
        return s.usage_error(ctx, NAME, "bad_thresholds",
                             {"key": req.key, "green": ctx.thresholds.green_max, "orange": value})
    if req.key == "green_max" and value > ctx.thresholds.orange_max:
        return s.usage_error(ctx, NAME, "bad_thresholds",
                             {"key": req.key, "green": value, "orange": ctx.thresholds.orange_max})
    if req.key == "closing":
        return _closing(s, value, ctx)
    s.store.set_setting(ctx.ws, req.key, value)
    lang = value if req.key == "lang" and not ctx.member.get("lang") else ctx.lang
    return Reply(kind="setting_saved", title=s.words(lang, "settings")("saved", req.key, value), lang=lang)


def _closing(s: Services, value: tuple[Any, Any] | None, ctx: Ctx) -> Reply:
    """Add a closing (kept with the others) or remove them all; the reply names the weeks it covers."""
    h = s.words(ctx.lang, "habits")
    if value is None:
        s.store.set_setting(ctx.ws, "closing", [])
        return Reply(kind="setting_saved", title=h("closing_cleared"), lang=ctx.lang)
    stored = s.store.settings(ctx.ws).get("closing")
    s.store.set_setting(ctx.ws, "closing", goals.with_closing(stored, value[0], value[1], ctx.today()))
    return Reply(kind="setting_saved", title=h("closing_saved", *goals.closing_weeks(*value)), lang=ctx.lang)


COMMAND = Command(NAME, handle, (Argument("key", "choice", choices=KEYS), Argument("value", "text")),
                  parse=parse, admin_only=True)
