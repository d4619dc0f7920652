"""Configuration: one TOML file, every key with a default, errors that name the key.

`config.example.toml` documents every key. Platform sections (`[slack]`,
`[discord]`) and `[impact]` are handed raw to the module that owns them, which
validates them itself; this module validates everything else.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.core import periods
from bot.core.errors import ConfigError
from bot.core.zones import Thresholds

# canonical tool name -> words people type for it (lower case, accents stripped by the grammar)
DEFAULT_TOOLS: dict[str, list[str]] = {
    "chatgpt": ["chatgpt", "gpt", "openai", "gpt-4", "gpt-4o", "gpt4", "gpt5", "gpt-5"],
    "mistral": ["mistral", "lechat", "le-chat"],
    "claude": ["claude", "anthropic"],
    "gemini": ["gemini", "bard"],
    "copilot": ["copilot"],
    "perplexity": ["perplexity"],
    "midjourney": ["midjourney", "mj"],
    "dall-e": ["dall-e", "dalle", "dall-e-3"],
    "firefly": ["firefly"],
    "stable-diffusion": ["stable-diffusion", "stablediffusion", "sd", "sdxl"],
    "suno": ["suno"],
    "udio": ["udio"],
    "runway": ["runway"],
    "sora": ["sora"],
    "veo": ["veo"],
    "elevenlabs": ["elevenlabs"],
    "deepseek": ["deepseek"],
    "llama": ["llama", "ollama"],
}

KNOWN_SECTIONS = {"bot", "store", "limits", "zones", "privacy", "tools", "impact", "slack", "discord", "schedule"}


@dataclass(frozen=True)
class Limits:
    max_count: int = 50  # generations per command
    avoid_per_day: int = 10  # avoided generations a member may log per day
    undo_minutes: int = 15
    max_text_chars: int = 10_000  # longer command text is refused
    logs_per_minute: int = 30  # a member logging faster than this is asked to slow down (nothing stored)


@dataclass(frozen=True)
class Upkeep:
    """The daily upkeep of the embedded store: a backup, old backups pruned, old events rolled up."""

    backup_keep: int = 7  # daily backups kept in <data_dir>/backups; 0 = no automatic backup
    backup_time: str = "03:30"  # in [bot] timezone
    retention_months: int = 0  # raw events older than this many whole months are deleted (monthly totals stay); 0 = keep all


@dataclass(frozen=True)
class Config:
    """The whole configuration, validated."""

    data_dir: Path = Path("./data")
    lang: str = "fr"
    timezone: str = periods.DEFAULT_TZ
    admins: frozenset[str] = frozenset()
    store_prompts: bool = False
    thresholds: Thresholds = Thresholds()
    limits: Limits = Limits()
    upkeep: Upkeep = Upkeep()
    tools: dict[str, list[str]] = field(default_factory=lambda: dict(DEFAULT_TOOLS))
    raw: dict[str, Any] = field(default_factory=dict)
    source: str | None = None

    def section(self, name: str) -> dict[str, Any]:
        """The raw `[name]` table (empty when absent), for the module that owns it."""
        value = self.raw.get(name, {})
        return dict(value) if isinstance(value, dict) else {}

    def with_data_dir(self, data_dir: str | Path) -> "Config":
        from dataclasses import replace

        return replace(self, data_dir=Path(data_dir))


def _get(table: dict[str, Any], section: str, key: str, kind: type | tuple[type, ...], default: Any, expected: str, source: str | None) -> Any:
    if key not in table:
        return default
    value = table[key]
    if isinstance(value, bool) and kind is not bool and not (isinstance(kind, tuple) and bool in kind):
        raise ConfigError(f"{section}.{key}", expected, value, source)
    if not isinstance(value, kind):
        raise ConfigError(f"{section}.{key}", expected, value, source)
    return value


def _positive_int(table: dict[str, Any], section: str, key: str, default: int, source: str | None) -> int:
    value = _get(table, section, key, int, default, "a whole number greater than 0", source)
    if value <= 0:
        raise ConfigError(f"{section}.{key}", "a whole number greater than 0", value, source)
    return value


def _table(raw: dict[str, Any], name: str, source: str | None) -> dict[str, Any]:
    value = raw.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(name, "a table ([" + name + "])", value, source)
    return value


def parse_config(raw: dict[str, Any], source: str | None = None, base_dir: Path | None = None) -> Config:
    """Validate a parsed TOML document into a Config."""
    for name in raw:
        if name not in KNOWN_SECTIONS:
            raise ConfigError(name, "one of the sections [" + "], [".join(sorted(KNOWN_SECTIONS)) + "]", None, source)
    bot = _table(raw, "bot", source)
    lang = _get(bot, "bot", "lang", str, "fr", '"fr" or "en"', source)
    if lang not in ("fr", "en"):
        raise ConfigError("bot.lang", '"fr" or "en"', lang, source)
    tz = _get(bot, "bot", "timezone", str, periods.DEFAULT_TZ, 'an IANA time zone such as "Europe/Paris"', source)
    try:
        periods.zone(tz)
    except ValueError:
        raise ConfigError("bot.timezone", 'an IANA time zone such as "Europe/Paris"', tz, source) from None
    admins = _get(bot, "bot", "admins", list, [], 'a list of user ids, e.g. ["U0123ABC"]', source)
    if not all(isinstance(a, (str, int)) and not isinstance(a, bool) for a in admins):
        raise ConfigError("bot.admins", 'a list of user ids, e.g. ["U0123ABC"]', admins, source)

    store = _table(raw, "store", source)
    data_dir = Path(_get(store, "store", "data_dir", str, "./data", 'a folder path, e.g. "./data"', source))
    keep = _get(store, "store", "backup_keep", int, 7, "a whole number of backups (0 = none)", source)
    months = _get(store, "store", "retention_months", int, 0, "a whole number of months (0 = keep everything)", source)
    for key, value in (("backup_keep", keep), ("retention_months", months)):
        if value < 0:
            raise ConfigError(f"store.{key}", "a whole number, 0 or more", value, source)
    backup_time = _get(store, "store", "backup_time", str, "03:30", 'a time such as "03:30"', source)
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", backup_time):
        raise ConfigError("store.backup_time", 'a time such as "03:30"', backup_time, source)
    upkeep = Upkeep(keep, backup_time, months)
    if base_dir is not None and not data_dir.is_absolute():
        data_dir = base_dir / data_dir

    lim = _table(raw, "limits", source)
    limits = Limits(
        max_count=_positive_int(lim, "limits", "max_count", 50, source),
        avoid_per_day=_positive_int(lim, "limits", "avoid_per_day", 10, source),
        undo_minutes=_positive_int(lim, "limits", "undo_minutes", 15, source),
        max_text_chars=_positive_int(lim, "limits", "max_text_chars", 10_000, source),
        logs_per_minute=_positive_int(lim, "limits", "logs_per_minute", 30, source),
    )

    zt = _table(raw, "zones", source)
    green = _positive_int(zt, "zones", "green_max", 20, source)
    orange = _positive_int(zt, "zones", "orange_max", 100, source)
    if orange < green:
        raise ConfigError("zones.orange_max", f"a number at least zones.green_max ({green})", orange, source)

    privacy = _table(raw, "privacy", source)
    store_prompts = _get(privacy, "privacy", "store_prompts", bool, False, "true or false", source)

    tools = dict(DEFAULT_TOOLS)
    for name, words in _table(raw, "tools", source).items():
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise ConfigError(f"tools.{name}", 'a list of words, e.g. ["mistral", "lechat"]', words, source)
        tools[name.lower()] = [w.lower() for w in words]

    return Config(
        data_dir=data_dir,
        lang=lang,
        timezone=tz,
        admins=frozenset(str(a) for a in admins),
        store_prompts=store_prompts,
        thresholds=Thresholds(green, orange),
        limits=limits,
        upkeep=upkeep,
        tools=tools,
        raw=raw,
        source=source,
    )


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Load `path` (or ./sobria.toml when present); no file means every default."""
    if path is None:
        default = Path("sobria.toml")
        if not default.exists():
            return Config()
        path = default
    p = Path(path)
    try:
        with open(p, "rb") as fh:
            raw = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError("--config", "an existing TOML file", str(p)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("(file)", f"valid TOML ({exc})", None, str(p)) from None
    return parse_config(raw, source=str(p))
