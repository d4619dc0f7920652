"""Configuration: one TOML file, one schema, errors that name the file, the key and the expected form.

The schema is the section classes below. Each key of each section is one
dataclass field, declared once with its type, its default (the only place that
default is written, or a reference to the module that owns the fact) and its
form: what a value must look like, in the words an error shows. `parse_config`
reads the whole file through that one schema, so every section is held to the
same rules: a wrong value names the file, its key and the expected form, and an
unknown key or section is refused with the nearest valid name ("did you mean
max_count?") instead of being silently ignored. `[tools]` and a few `[impact]`
tables are mappings whose names are the user's (tool names, zone codes); their
values still have a form. `config.example.toml` documents every key with its
default: tests/test_config.py checks it against the schema both ways.

The platform sections (`[slack]`, `[discord]`) are declared here as plain data,
so the engine imports no adapter. An adapter reads `config.slack` or
`config.discord`, takes the secrets the environment holds (`with_env`: the
environment wins, so tokens can stay out of files) and checks only what needs
that environment (a token present, its prefix). The impact model checks the one
thing only it knows: that a partial range stays ordered around the preset's own
bounds; `parse_config` builds the model once so that error names the file too.

Why plain dataclasses rather than pydantic with pydantic-settings: almost every
key needs a check of its own anyway (an IANA time zone, a time of day, a
PostgreSQL URL whose password must never be echoed, Discord ids, impact ranges),
and pydantic's messages ("Input should be a valid integer", "Extra inputs are not
permitted") would have to be caught and rewritten key by key into the expected
forms operators see today; `extra="forbid"` suggests no nearer key.
pydantic-settings reads the environment when the settings are built and would
let the environment override any key, while here only secrets come from the
environment, merged by the adapter from the environment it is given (tests pass
their own). Field metadata on frozen dataclasses keeps each key's declaration in
one place, with our wording, and no compiled dependency for fifty keys.

To add a key: one field in its section class (`setting(default, FORM)`), one
line in config.example.toml.
"""

from __future__ import annotations

import difflib
import math
import os
import re
import tomllib
from dataclasses import Field, dataclass, field, fields, replace
from datetime import timedelta
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence, TypeVar

from bot.core import i18n, periods
from bot.core.errors import ConfigError
from bot.core.kinds import KINDS
from bot.core.zones import ARTICLE_KINDS, REFERENCE_MEMBERS, Thresholds, counted_kinds
from bot.impact import factors as F
from bot.impact.model import PRESETS, RANGE_KEYS, ImpactModel

S = TypeVar("S")

# ---------------------------------------------------------------------------- the machinery

_SHOW_AS_READ: Any = object()  # an error shows the value its form read (through `Form.show`)
_TABLE = "a table"  # becomes "a table ([impact.zones])" once the error knows its key


class Invalid(Exception):
    """A value does not have its form. Readers raise it; it becomes a ConfigError once its key and file are known.

    `at` is the path below the key being read (a nested table's reader raises
    from deep inside); `names` marks an unknown key and lists the names allowed
    beside it; `suggestion` is the nearest of them, if one is close.
    """

    def __init__(self, expected: str = "", got: Any = _SHOW_AS_READ, *, at: tuple[str, ...] = (),
                 names: Sequence[str] | None = None, suggestion: str | None = None) -> None:
        super().__init__(expected)
        self.expected, self.got, self.at, self.names, self.suggestion = expected, got, at, names, suggestion

    def under(self, name: str, form: Form, raw: Any) -> Invalid:
        """The same error seen from one level up; an error about the value itself gets its form's words."""
        if self.at or self.names is not None:
            return Invalid(self.expected, self.got, at=(name, *self.at), names=self.names, suggestion=self.suggestion)
        got = form.show(raw) if self.got is _SHOW_AS_READ else self.got
        return Invalid(self.expected or form.expected, got, at=(name,), suggestion=self.suggestion)

    def error(self, source: str | None) -> ConfigError:
        """The ConfigError an operator reads: file, dotted key, expected form, and the nearest valid name."""
        key = ".".join(self.at)
        parent = ".".join(self.at[:-1])
        suggestion = self.suggestion
        if self.names is not None and not parent:
            expected = "one of the sections " + ", ".join(f"[{n}]" for n in self.names)
            suggestion = f"[{suggestion}]" if suggestion else None
        elif self.names is not None:
            expected = f"one of the keys of [{parent}]: " + ", ".join(self.names)
        elif self.expected == _TABLE:
            expected = f"a table ([{key}])"
        else:
            expected = self.expected
        got = None if self.got is _SHOW_AS_READ else self.got
        return ConfigError(key, expected, got, source, suggestion)


def unknown(name: Any, names: Sequence[str]) -> Invalid:
    """A name that is not among `names`: refused, with the nearest one when it is close (difflib)."""
    lowered = {n.lower(): n for n in names}
    close = difflib.get_close_matches(str(name).lower(), list(lowered), n=1, cutoff=0.6)
    return Invalid(at=(str(name),), names=tuple(names), suggestion=lowered[close[0]] if close else None)


def _as_written(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Form:
    """What a value must look like: the words an error shows, and the reader that checks and converts it.

    `read` returns the typed value or raises Invalid. `show` is what an error
    may echo of a wrong value (nothing of a secret, a URL without its password).
    `inner` lists the key paths the form declares below its key, "*" standing for
    a name of the user's choosing; the documentation check walks them.
    """

    expected: str
    read: Callable[[Any], Any]
    show: Callable[[Any], Any] = _as_written
    inner: tuple[str, ...] = ()


def setting(default: Any, form: Form, *, env: str | None = None) -> Any:
    """Declare one key: its default (written here and nowhere else) and its form.

    `env` marks a secret: the environment variable that may hold it instead,
    read by the adapter (`with_env`). A secret never appears in a repr.
    """
    meta = {"form": form, "env": env}
    if isinstance(default, dict):
        return field(default_factory=lambda: dict(default), metadata=meta)
    return field(default=default, metadata=meta, repr=env is None)


def table_setting(cls: type[S]) -> Any:
    """Declare a section (or a fixed nested table): every key of `cls`, each with its default."""
    return field(default_factory=cls, metadata={"form": table(cls), "env": None})


def keys_of(cls: type) -> tuple[Field[Any], ...]:
    """The declared keys of a section class (other fields, such as Config.raw, are not keys)."""
    return tuple(f for f in fields(cls) if "form" in f.metadata)


def declared_paths(cls: type) -> tuple[str, ...]:
    """Every key path the schema declares below `cls` ("impact.factors.*.energy_wh"), in declaration order."""
    paths: list[str] = []
    for f in keys_of(cls):
        paths.append(f.name)
        paths += [f"{f.name}.{p}" for p in f.metadata["form"].inner]
    return tuple(paths)


def _read(form: Form, raw: Any, name: str) -> Any:
    try:
        return form.read(raw)
    except Invalid as exc:
        raise exc.under(name, form, raw) from None


class Section:
    """Base of the section classes. `check` holds the rules that involve several keys; it runs once all are read."""

    def check(self) -> None:
        """Nothing to check across keys, unless a section says otherwise."""


def read_table(cls: type[S], raw: Any) -> S:
    """Read one table into its section class: unknown keys refused first, then each key by its form, then `check`."""
    if not isinstance(raw, Mapping):
        raise Invalid(_TABLE)
    keys = {f.name: f for f in keys_of(cls)}
    for name in raw:
        if name not in keys:
            raise unknown(name, tuple(keys))
    made = cls(**{name: _read(f.metadata["form"], raw[name], name) for name, f in keys.items() if name in raw})
    if isinstance(made, Section):
        made.check()
    return made


# ---------------------------------------------------------------------------- forms


def table(cls: type) -> Form:
    """A table with the fixed keys of a section class."""
    return Form(_TABLE, lambda raw: read_table(cls, raw), inner=declared_paths(cls))


def table_of(value: Form, *, names: Sequence[str] | None = None, key: Callable[[str], str] | None = None,
             names_documented: bool = False) -> Form:
    """A table whose names are the user's (tools, zones), each value of the form `value`.

    `names` closes the set of names (an unknown one is refused with the nearest
    suggested); `key` checks and normalises a name, raising Invalid. With
    `names_documented`, each allowed name is a key of its own for the
    documentation check; otherwise one example stands for all ("*").
    """

    def read(raw: Any) -> dict[str, Any]:
        if not isinstance(raw, Mapping):
            raise Invalid(_TABLE)
        out: dict[str, Any] = {}
        for name, item in raw.items():
            if names is not None and name not in names:
                raise unknown(name, names)
            normal = name
            if key is not None:
                try:
                    normal = key(name)
                except Invalid as exc:
                    raise Invalid(exc.expected, exc.got, at=(name,), suggestion=exc.suggestion) from None
            out[normal] = _read(value, item, name)
        return out

    below = tuple(names) if names is not None and names_documented else ("*",)
    return Form(_TABLE, read, inner=below + tuple(f"{b}.{p}" for b in below for p in value.inner))


def whole(expected: str, low: int | None = None, high: int | None = None) -> Form:
    """A whole number (never a boolean), within the bounds given."""

    def read(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid()
        if (low is not None and value < low) or (high is not None and value > high):
            raise Invalid()
        return value

    return Form(expected, read)


def number(*, zero: bool = False) -> Form:
    """A finite number greater than 0 (or 0 and more)."""

    def read(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise Invalid()
        if not math.isfinite(value) or value < 0 or (value == 0 and not zero):
            raise Invalid()
        return float(value)

    return Form("a number of 0 or more" if zero else "a number greater than 0", read)


def one_of(*choices: str) -> Form:
    """One of a few words, written exactly."""

    def read(value: Any) -> str:
        if not isinstance(value, str) or value not in choices:
            raise Invalid()
        return value

    return Form(" or ".join(f'"{c}"' for c in choices), read)


def text(expected: str, ok: Callable[[str], bool], convert: Callable[[str], Any] = _as_written,
         show: Callable[[Any], Any] = _as_written) -> Form:
    """A string that passes `ok`, converted by `convert`."""

    def read(value: Any) -> Any:
        if not isinstance(value, str) or not ok(value):
            raise Invalid()
        return convert(value)

    return Form(expected, read, show)


def list_of(expected: str, ok: Callable[[Any], bool], convert: Callable[[list[Any]], Any]) -> Form:
    """A list whose every item passes `ok`, converted as a whole by `convert`."""

    def read(value: Any) -> Any:
        if not isinstance(value, list) or not all(ok(item) for item in value):
            raise Invalid()
        return convert(value)

    return Form(expected, read)


def secret(env: str) -> Form:
    """A token or secret: a string, never echoed in an error."""
    return text(f"a string (better: leave it out and set {env})", lambda v: True, str.strip, show=lambda v: None)


def secret_setting(env: str) -> Any:
    """Declare a secret key, empty by default; the environment variable `env` wins over it (see `with_env`)."""
    return setting("", secret(env), env=env)


_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def time_of_day(example: str) -> Form:
    """A time such as "09:00" (or "9:00"), read as "HH:MM"."""
    return text(f'a time of day such as "{example}"', lambda v: bool(_TIME.match(v.strip())), _hh_mm)


def _hh_mm(value: str) -> str:
    hh, mm = value.strip().split(":")
    return f"{int(hh):02d}:{mm}"


def _user_id(value: Any) -> bool:
    return isinstance(value, (str, int)) and not isinstance(value, bool)


def _snowflake(value: Any) -> bool:
    """A Discord id: a positive whole number, or its digits as a string."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value > 0
    return isinstance(value, str) and value.isdigit()


def _nonblank(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Invalid()
    return value


POSITIVE = whole("a whole number greater than 0", low=1)
FLAG = Form("true or false", _flag)


# ---------------------------------------------------------------------------- the schema: [bot] [store] [limits] [zones] [privacy] [tools]


@dataclass(frozen=True)
class BotSection(Section):
    """`[bot]`: the defaults of new workspaces and who may change their settings."""

    lang: str = setting(i18n.DEFAULT_LANG, one_of(*i18n.languages()))  # every language with a catalogue
    timezone: str = setting(periods.DEFAULT_TZ, text('an IANA time zone such as "Europe/Paris"', periods.is_zone))
    admins: frozenset[str] = setting(frozenset(), list_of('a list of user ids, e.g. ["U0123ABC"]', _user_id,
                                                          lambda ids: frozenset(str(i) for i in ids)))


POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def _without_password(url: Any) -> Any:
    return url.split("@")[-1] if isinstance(url, str) else url


def _store_url(value: Any) -> str | None:
    if value == "":
        return None
    if not isinstance(value, str) or not value.strip().startswith(POSTGRES_SCHEMES):
        raise Invalid()
    return value.strip()


@dataclass(frozen=True)
class StoreSection(Section):
    """`[store]`: where the data lives, and the daily upkeep of the embedded store (backups, retention)."""

    data_dir: Path = setting(Path("./data"), text('a folder path, e.g. "./data"', lambda v: True, Path))
    backup_keep: int = setting(7, whole("a whole number of backups, 0 or more (0 = none)", low=0))
    backup_time: str = setting("03:30", time_of_day("03:30"))
    retention_months: int = setting(0, whole("a whole number of months, 0 or more (0 = keep everything)", low=0))
    # a workspace that uninstalls the bot (distributed Slack) loses its tokens at once, its data after this many days
    uninstall_grace_days: int = setting(30, whole("a whole number of days, 0 or more", low=0))
    url: str | None = setting(None, Form('a PostgreSQL URL such as "postgresql://sobria@db.example:5432/sobria" '
                                         "(or no url for the embedded store)", _store_url, _without_password))


@dataclass(frozen=True)
class Limits(Section):
    """`[limits]`: what one command or one member may do."""

    max_count: int = setting(50, POSITIVE)  # generations per /ia-log or /ia-avoid
    avoid_per_day: int = setting(10, POSITIVE)  # avoided generations a member may log per day
    undo_minutes: int = setting(15, POSITIVE)
    max_text_chars: int = setting(10_000, POSITIVE)  # longer command text is refused
    logs_per_minute: int = setting(30, POSITIVE)  # faster is asked to slow down (nothing stored)


def _kinds(value: list[Any]) -> tuple[str, ...]:
    """A non-empty list of kinds, in the canonical order (a zone that counts nothing would always be green)."""
    if not value:
        raise Invalid()
    return counted_kinds(value)


@dataclass(frozen=True)
class ZonesSection(Section):
    """`[zones]`: the weekly diagnosis. Defaults are the diagnosis's own (`bot.core.zones`): the article's lines,
    the article's count (images, videos, audio, long documents), lines that do not scale with the team."""

    green_max: int = setting(Thresholds.green_max, POSITIVE)
    orange_max: int = setting(Thresholds.orange_max, POSITIVE)
    counted_kinds: tuple[str, ...] = setting(
        ARTICLE_KINDS, list_of(f"a non-empty list of kinds among {', '.join(KINDS)}, e.g. [\"doc\", \"image\"]",
                               lambda v: v in KINDS, _kinds))
    scale_with_members: bool = setting(False, FLAG)
    reference_members: int = setting(REFERENCE_MEMBERS, POSITIVE)

    def check(self) -> None:
        if self.orange_max < self.green_max:
            raise Invalid(f"a number at least zones.green_max ({self.green_max})", self.orange_max, at=("orange_max",))


@dataclass(frozen=True)
class PrivacySection(Section):
    """`[privacy]`: the default of new workspaces for keeping prompt texts."""

    store_prompts: bool = setting(False, FLAG)


def _share(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1:
        raise Invalid()
    return float(value)


@dataclass(frozen=True)
class TipsSection(Section):
    """`[tips]`: when a log reply adds one of the article's three remedies, one line at most, each at most
    once a week per member (the decisions: bot/coaching/tips.py)."""

    enabled: bool = setting(True, FLAG)
    # recycling: images a member already logged this week when they log another image or video
    recycle_images: int = setting(5, POSITIVE)
    # local models: short texts with a hosted chatbot this week, and their share of the member's generations
    local_short_texts: int = setting(10, POSITIVE)
    local_text_share: float = setting(0.5, Form("a number from 0 to 1 (not 1), e.g. 0.5", _share))
    # precise prompting: the week's RCT average under which the tip comes (50: the scorer's « vague » line), over at
    # least this many scored prompts
    rct_below: int = setting(50, whole("a whole number from 1 to 100", 1, 100))
    rct_min_prompts: int = setting(3, POSITIVE)


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
    "llama": ["llama"],
    # local tools (bot.impact.factors.LOCAL_TOOLS): "lm studio" and "anything llm" reach the grammar as "lm-studio"
    # and "anything-llm", "LMStudio" as "lmstudio"
    "jan": ["jan", "jan-ai", "jan.ai", "janai"],
    "lmstudio": ["lmstudio", "lm-studio"],
    "gpt4all": ["gpt4all", "gpt-4all"],
    "anythingllm": ["anythingllm", "anything-llm"],
    "ollama": ["ollama"],
}

_TOOL_WORDS = table_of(list_of('a list of words, e.g. ["mistral", "lechat"]', _nonblank,
                               lambda words: [w.lower() for w in words]), key=str.lower)
# `[tools]` adds to the built-in list (a configured name replaces its built-in words)
TOOLS = Form(_TABLE, lambda raw: {**DEFAULT_TOOLS, **_TOOL_WORDS.read(raw)}, inner=_TOOL_WORDS.inner)


# canonical tool name -> how many outputs one request returns. Midjourney answers one prompt with a grid of
# four images: four images logged for it are one request, not three iterations.
DEFAULT_TOOL_OUTPUTS: dict[str, int] = {"midjourney": 4}

_OUTPUTS = table_of(whole("a whole number of outputs per request, 1 or more", low=1), key=str.lower)
# `[tool_outputs]` adds to the built-in table (a configured name replaces its built-in number)
TOOL_OUTPUTS = Form(_TABLE, lambda raw: {**DEFAULT_TOOL_OUTPUTS, **_OUTPUTS.read(raw)}, inner=_OUTPUTS.inner)


# ---------------------------------------------------------------------------- [schedule]


@dataclass(frozen=True)
class ScheduleSection(Section):
    """`[schedule]`: on/off, the catch-up grace, and the default days and times of new workspaces."""

    enabled: bool = setting(True, FLAG)
    # under 28 days, so that the "latest" monthly summary is never a month old
    grace_days: int = setting(3, whole("a whole number from 0 to 27", 0, 27))
    weekly_day: int = setting(0, whole("a whole number from 0 to 6", 0, 6))  # Monday
    weekly_time: str = setting("09:00", time_of_day("09:00"))
    monthly_day: int = setting(1, whole("a whole number from 1 to 28", 1, 28))
    monthly_time: str = setting("09:00", time_of_day("09:00"))

    @property
    def grace(self) -> timedelta:
        return timedelta(days=self.grace_days)


# ---------------------------------------------------------------------------- [impact]

_ZONE_CODE = re.compile(r"^[A-Z][A-Z0-9_-]{1,15}$")


@dataclass(frozen=True)
class Bounds:
    """A range override as written: one number (known exactly) or some of low / central / high.

    Missing bounds keep the built-in factor's; the impact model fills them in."""

    low: float | None = None
    central: float | None = None
    high: float | None = None


def bounds(*, zero: bool = False) -> Form:
    """A number, or a table of some of low, central and high (those given in order)."""
    one = number(zero=zero)

    def read(raw: Any) -> Bounds:
        if not isinstance(raw, Mapping):
            value = one.read(raw)
            return Bounds(value, value, value)
        for name in raw:
            if name not in RANGE_KEYS:
                raise unknown(name, RANGE_KEYS)
        given = {k: _read(one, raw[k], k) for k in RANGE_KEYS if k in raw}
        if list(given.values()) != sorted(given.values()):
            raise Invalid("low <= central <= high", dict(raw))
        return Bounds(**given)

    return Form(f"{one.expected}, or a table such as {{ low = 1, central = 2, high = 4 }}", read)


def _zone_code(name: str) -> str:
    code = str(name).upper()
    if not _ZONE_CODE.match(code):
        raise Invalid("a zone code of letters such as FRA, USA or SWE", name)
    return code


ZONE = text("a zone code such as USA or FRA", lambda v: True, str.upper)


@dataclass(frozen=True)
class FactorOverride(Section):
    """`[impact.factors.<kind>]`: the energy of one kind, Wh per generation."""

    energy_wh: Bounds | None = setting(None, bounds())


@dataclass(frozen=True)
class ImpactSection(Section):
    """`[impact]`: the preset and the overrides of the footprint model.

    Defaults are the model's published figures (`bot.impact.factors`); an
    override left out (None, empty) keeps the built-in one.
    """

    preset: str = setting("sourced", one_of(*PRESETS))
    default_zone: str = setting(F.DEFAULT_ZONE, ZONE)
    tool_zones: dict[str, str] = setting(F.TOOL_ZONES, table_of(ZONE, key=str.lower))  # replaces the built-in table
    zones: dict[str, Bounds] = setting({}, table_of(bounds(), key=_zone_code))
    factors: dict[str, FactorOverride] = setting({}, table_of(table(FactorOverride), names=tuple(F.SOURCED_ENERGY_WH)))
    embodied_g_per_kwh: Bounds | None = setting(None, bounds(zero=True))
    water_ml_per_wh: Bounds | None = setting(None, bounds())
    equivalents: dict[str, float] = setting({}, table_of(number(), names=tuple(F.EQUIVALENT_BASES),
                                                         names_documented=True))
    # tools that run a small model on the member's computer, added to the built-in ones (F.LOCAL_TOOLS)
    local_tools: tuple[str, ...] = setting((), list_of('a list of tool names, e.g. ["monllm"]', _nonblank,
                                                       lambda names: tuple(n.strip().lower() for n in names)))
    # the grid a local tool draws from; "" = the workspace's language's country (France for French), else default_zone
    local_zone: str = setting("", text('a zone code such as "FRA", or "" for the workspace\'s language',
                                       lambda v: True, lambda v: v.strip().upper()))

    def check(self) -> None:
        for code, given in self.zones.items():
            missing = [k for k in RANGE_KEYS if getattr(given, k) is None]
            if code not in F.GRID_G_PER_KWH and missing:
                raise Invalid("a number: a new zone needs low, central and high, or a single number", None,
                              at=("zones", code, missing[0]))
        known = [*F.GRID_G_PER_KWH, *(code for code in self.zones if code not in F.GRID_G_PER_KWH)]
        expected = "one of the zones " + ", ".join(known)
        if self.default_zone not in known:
            raise Invalid(expected, self.default_zone, at=("default_zone",))
        if self.local_zone and self.local_zone not in known:
            raise Invalid(expected, self.local_zone, at=("local_zone",))
        for tool, code in self.tool_zones.items():
            if code not in known:
                raise Invalid(expected, code, at=("tool_zones", tool))


# ---------------------------------------------------------------------------- [slack] [discord]


class PlatformSection(Section):
    """A chat platform's section: its secrets may come from the environment instead of the file."""

    def with_env(self, env: Mapping[str, str]) -> Any:
        """A copy whose secrets are the environment's where it holds one: the environment wins, so tokens
        can stay out of files; a blank variable counts as unset."""
        found = {}
        for f in keys_of(type(self)):
            name = f.metadata["env"]
            if name and env.get(name, "").strip():
                found[f.name] = env[name].strip()
        return replace(self, **found)  # type: ignore[type-var]

    @classmethod
    def env_name(cls, key: str) -> str:
        """The environment variable that may hold the secret `key`."""
        return next(f.metadata["env"] for f in keys_of(cls) if f.name == key)


@dataclass(frozen=True)
class SlackSection(PlatformSection):
    """`[slack]`: how the Slack adapter connects, and its admins. Secrets never appear in a repr."""

    mode: str = setting("socket", one_of("socket", "http"))
    # HTTP mode listens on the loopback interface by default: Slack only calls HTTPS URLs and this server speaks
    # plain HTTP, so a TLS reverse proxy or a tunnel on the same host always sits in front of it. Binding 127.0.0.1
    # keeps the unencrypted port off the network; set host = "0.0.0.0" in a container.
    host: str = setting("127.0.0.1", text('an interface address such as "127.0.0.1" or "0.0.0.0"',
                                          lambda v: bool(v.strip()), str.strip))
    port: int = setting(3000, whole("a port number between 0 and 65535", 0, 65535))
    api_url: str = setting("https://slack.com/api/", text('an http(s) URL such as "https://slack.com/api/"',
                                                          lambda v: bool(re.match(r"^https?://[^/\s]+", v)),
                                                          lambda v: v if v.endswith("/") else v + "/"))
    bot_token: str = secret_setting("SLACK_BOT_TOKEN")
    app_token: str = secret_setting("SLACK_APP_TOKEN")
    signing_secret: str = secret_setting("SLACK_SIGNING_SECRET")
    admins: frozenset[str] = setting(frozenset(), list_of('a list of Slack user ids, e.g. ["U0123ABCD"]', _nonblank,
                                                          lambda ids: frozenset(i.strip() for i in ids)))
    # Distribution ("Add to Slack" for many workspaces, adapters/slack/distribution.py): on when client_id is set
    client_id: str = setting("", text('the app\'s Client ID, e.g. "1234567890.1234567890"', lambda v: True, str.strip))
    client_secret: str = secret_setting("SLACK_CLIENT_SECRET")
    public_url: str = setting("", text('the https address Slack and browsers reach, e.g. "https://sobria.example.org"',
                                       lambda v: not v.strip() or bool(re.match(r"^https?://[^/\s]+", v.strip())),
                                       lambda v: v.strip().rstrip("/")))

    @property
    def distributed(self) -> bool:
        """Whether this server lets many workspaces install the app (OAuth), instead of using one bot token."""
        return bool(self.client_id)


@dataclass(frozen=True)
class DiscordSection(PlatformSection):
    """`[discord]`: where the Discord adapter connects, its servers and admins. The token never appears in a repr."""

    api_url: str = setting("https://discord.com/api/v10", text("a URL starting with https:// or http://",
                                                               lambda v: v.startswith(("https://", "http://")),
                                                               lambda v: v.rstrip("/")))
    gateway_url: str = setting("wss://gateway.discord.gg/", text("a URL starting with wss:// or ws://",
                                                                 lambda v: v.startswith(("wss://", "ws://"))))
    guild_ids: tuple[int, ...] = setting((), list_of("a list of server ids, e.g. [123456789012345678]", _snowflake,
                                                     lambda ids: tuple(int(i) for i in ids)))
    # in the data directory unless absolute
    sync_state_file: str = setting("discord_commands.json", text('a file name, e.g. "discord_commands.json"',
                                                                 lambda v: bool(v.strip())))
    token: str = secret_setting("DISCORD_TOKEN")
    admins: frozenset[str] = setting(frozenset(), list_of("a list of user ids, e.g. [123456789012345678]", _snowflake,
                                                          lambda ids: frozenset(str(i) for i in ids)))


@dataclass(frozen=True)
class TeamsSection(PlatformSection):
    """`[teams]`: the Microsoft Teams bot (adapters/teams/): its Azure registration, where it listens, its admins.

    The messaging endpoint shares Slack's HTTP server when both listen on the
    same host and port. `openid_metadata_url` and `token_issuer` are the Bot
    Framework's (the Teams SDK's public cloud); they can point at another
    server for tests or a sovereign cloud. The password never appears in a repr.
    """

    app_id: str = setting("", text('the bot\'s Microsoft App ID, e.g. "00000000-0000-0000-0000-000000000000"',
                                   lambda v: True, str.strip), env="TEAMS_APP_ID")
    app_password: str = secret_setting("TEAMS_APP_PASSWORD")
    # empty: a multi-tenant bot; a tenant id: a single-tenant bot, which serves only that tenant
    tenant_id: str = setting("", text('a Microsoft Entra tenant id, or "" for a multi-tenant bot', lambda v: True,
                                      str.strip), env="TEAMS_TENANT_ID")
    host: str = setting("127.0.0.1", text('an interface address such as "127.0.0.1" or "0.0.0.0"',
                                          lambda v: bool(v.strip()), str.strip))
    port: int = setting(3978, whole("a port number between 0 and 65535", 0, 65535))
    path: str = setting("/api/messages", text('a path starting with "/", e.g. "/api/messages"',
                                              lambda v: v.strip().startswith("/"), str.strip))
    openid_metadata_url: str = setting("https://login.botframework.com/v1/.well-known/openidconfiguration",
                                       text("a URL starting with https:// or http://",
                                            lambda v: v.startswith(("https://", "http://"))))
    token_issuer: str = setting("https://api.botframework.com", text("a URL starting with https:// or http://",
                                                                     lambda v: v.startswith(("https://", "http://"))))
    admins: frozenset[str] = setting(frozenset(), list_of('a list of Microsoft Entra user object ids, e.g. '
                                                          '["00000000-0000-0000-0000-000000000000"]', _nonblank,
                                                          lambda ids: frozenset(i.strip().lower() for i in ids)))


# ---------------------------------------------------------------------------- [log] [metrics]


@dataclass(frozen=True)
class LogSection(Section):
    """`[log]`: how log lines are written (bot/logs.py)."""

    format: str = setting("text", one_of("text", "json"))


@dataclass(frozen=True)
class MetricsSection(Section):
    """`[metrics]`: Prometheus metrics (bot/metrics.py), served on /metrics by the HTTP server (never by the console)."""

    enabled: bool = setting(True, FLAG)


# ---------------------------------------------------------------------------- the whole file


@dataclass(frozen=True)
class Config:
    """The whole configuration, validated: one field per section, plus the file it came from.

    The flat properties (`lang`, `data_dir`, `thresholds`...) are what most of
    the engine reads. `raw` is the document as written, kept for code that has
    not moved to the typed sections yet (`section()`).
    """

    bot: BotSection = table_setting(BotSection)
    store: StoreSection = table_setting(StoreSection)
    limits: Limits = table_setting(Limits)
    zones: ZonesSection = table_setting(ZonesSection)
    privacy: PrivacySection = table_setting(PrivacySection)
    tips: TipsSection = table_setting(TipsSection)
    tools: dict[str, list[str]] = setting(DEFAULT_TOOLS, TOOLS)
    tool_outputs: dict[str, int] = setting(DEFAULT_TOOL_OUTPUTS, TOOL_OUTPUTS)
    schedule: ScheduleSection = table_setting(ScheduleSection)
    impact: ImpactSection = table_setting(ImpactSection)
    slack: SlackSection = table_setting(SlackSection)
    discord: DiscordSection = table_setting(DiscordSection)
    teams: TeamsSection = table_setting(TeamsSection)
    log: LogSection = table_setting(LogSection)
    metrics: MetricsSection = table_setting(MetricsSection)
    raw: dict[str, Any] = field(default_factory=dict, repr=False)
    source: str | None = None

    @property
    def lang(self) -> str:
        return self.bot.lang

    @property
    def timezone(self) -> str:
        return self.bot.timezone

    @property
    def admins(self) -> frozenset[str]:
        return self.bot.admins

    @property
    def data_dir(self) -> Path:
        return self.store.data_dir

    @property
    def store_prompts(self) -> bool:
        return self.privacy.store_prompts

    @property
    def thresholds(self) -> Thresholds:
        z = self.zones
        return Thresholds(z.green_max, z.orange_max, z.counted_kinds, z.reference_members if z.scale_with_members else 0)

    @property
    def upkeep(self) -> StoreSection:
        """The daily upkeep of the embedded store: `backup_keep`, `backup_time`, `retention_months` of [store]."""
        return self.store

    def section(self, name: str) -> dict[str, Any]:
        """The raw `[name]` table as written (empty when absent). Prefer the typed section (`config.impact`...)."""
        value = self.raw.get(name, {})
        return dict(value) if isinstance(value, dict) else {}

    def outputs_per_request(self, tool: str | None) -> int:
        """How many outputs one request to `tool` returns (`[tool_outputs]`, by its name or one of its words); 1
        when unknown or no tool was named."""
        if not tool:
            return 1
        for name in (tool, *self.tools.get(tool, ())):
            if name in self.tool_outputs:
                return self.tool_outputs[name]
        return 1

    def with_data_dir(self, data_dir: str | Path) -> Config:
        return replace(self, store=replace(self.store, data_dir=Path(data_dir)))


def schema_paths() -> tuple[str, ...]:
    """Every section and key the schema declares, as dotted paths ("*" for a name of the user's choosing)."""
    return declared_paths(Config)


# ---------------------------------------------------------------------------- reading


def parse_config(raw: Mapping[str, Any], source: str | None = None, base_dir: Path | None = None) -> Config:
    """Validate a parsed TOML document into a Config; the first fault is raised as a ConfigError."""
    try:
        config = read_table(Config, raw)
    except Invalid as exc:
        raise exc.error(source) from None
    if base_dir is not None and not config.data_dir.is_absolute():
        config = config.with_data_dir(base_dir / config.data_dir)
    config = replace(config, raw=raw, source=source)
    unnamed = {tool: [tool] for tool in config.impact.local_tools if tool not in config.tools}
    if unnamed:  # a local tool of the company's own is a tool the grammar knows, by its name at least
        config = replace(config, tools={**config.tools, **unnamed})
    ImpactModel.from_config(config.impact, source)  # the model's own check (ranges around its preset), named here
    return config


def read_section(name: str, raw: Any, source: str | None = None) -> Any:
    """One section read on its own through the schema, for code handed a raw table (ImpactModel.from_config)."""
    form = next(f.metadata["form"] for f in keys_of(Config) if f.name == name)
    try:
        return _read(form, raw, name)
    except Invalid as exc:
        raise exc.error(source) from None


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
