"""Jinja2 rendering of every user-facing word: one template per view, words from the catalogues.

A view is one template in `templates/` holding its structure once; its words
are gettext calls (`_`, `ngettext`, `pgettext`, `npgettext`, newstyle: values
are passed by name and formatted by the template's filters), translated by the
language's catalogue (`bot.core.i18n`). Templates produce plain text; the
adapters escape it for their platform. User text is always passed as a
variable, never compiled as template source, and never retypeset.

Each language has its own environment so that the filters format numbers,
dates and times the member's way (Babel): `num`, `pct`, `date`, `date_range`, `time`.

A macro's callable is kept per (language, view, macro) until the language's catalogue changes (`Renderer.macro`):
a /ia-log asks for about 12, and finding each anew cost 0.42 ms of the 6.6 ms a log took under the profiler
(1,000 logs, development machine; 0.14 ms once kept). The gettext functions the templates call are our own
(`_direct_gettext`), with jinja2.ext.i18n's newstyle behaviour but asking the catalogue directly: jinja's go
through `Context.call` three times a message, which made a macro holding one `_()` take 13 µs instead of 4
(a log's title macro 30 µs instead of 18; timeit, development machine). What a macro says for the engine's
own keys alone (the four RCT part labels and the verdict of every scored log) is kept per catalogue too
(`Renderer.constant`): about 50 µs a scored log, 10 µs each, become 2.
"""

from __future__ import annotations

import datetime as dt
import threading
import time as time_module
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import jinja2
from jinja2.nodes import EvalContext
from markupsafe import Markup

from bot.core import i18n
from bot.core.numbers import (NBSP, NNBSP, format_date, format_date_range, format_number, format_pct, format_time, locale_of,
                              plural_operand)
from bot.core.zones import ZONE_COLOURS, ZONE_EMOJI

LANGS: tuple[str, ...] = i18n.languages()
DEFAULT_LANG = i18n.DEFAULT_LANG
TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
CATALOGUE_CHECK_SECONDS = 1.0  # an edited catalogue is picked up within a second
# The options the templates are parsed with; babel.cfg repeats them for `pybabel extract`.
# auto_reload off: templates ship with the code, and looking at each file's date at every macro call cost
# about 65 `stat`s a /ia-stats; a changed template needs a restart, as changed code does.
JINJA_OPTIONS: dict[str, Any] = {"trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": False,
                                 "extensions": ["jinja2.ext.i18n"], "auto_reload": False}


def pick_lang(*candidates: str | None, langs: tuple[str, ...] = LANGS) -> str:
    """The first supported language among the candidates (member, workspace), else French."""
    for lang in candidates:
        if lang and lang.lower()[:2] in langs:
            return lang.lower()[:2]
    return DEFAULT_LANG


class Renderer:
    """Renders templates and reads wording data, in any language that has a catalogue."""

    def __init__(self, templates_dir: Path | None = None, locales_dir: Path | None = None) -> None:
        self.templates_dir = Path(templates_dir or TEMPLATES_DIR)
        # a copy of the templates (tests, a customised install) may bring its own catalogues beside it
        sibling = self.templates_dir.parent / "locales"
        self.locales_dir = Path(locales_dir) if locales_dir else (sibling if sibling.is_dir() else i18n.LOCALES_DIR)
        self.langs = i18n.languages(self.locales_dir)
        self._envs: dict[tuple[str, bool], jinja2.Environment] = {}
        self._data: dict[tuple[str, str], tuple[i18n.TypesetTranslations, dict[str, Any]]] = {}
        self._translations: dict[str, tuple[i18n.TypesetTranslations, float]] = {}
        # (lang, view, macro) → (the catalogue it was made with, the callable); see `macro`
        self._macros: dict[tuple[str, str, str], tuple[i18n.TypesetTranslations, Callable[..., str]]] = {}
        # (lang, view, macro, keys) → (the catalogue it was worded with, the text); see `constant`
        self._constants: dict[tuple[str, str, str, tuple[str, ...]], tuple[i18n.TypesetTranslations, str]] = {}
        # held while an environment is made or a template found (and compiled, the first time): several threads
        # asking for a view nobody has compiled yet wait for one compilation instead of each making its own
        self._loading = threading.RLock()

    def _lang(self, lang: str | None) -> str:
        """`pick_lang` of one candidate, with a quick way through for a language already known."""
        return lang if lang is not None and lang in self.langs else pick_lang(lang, langs=self.langs)  # "en-GB", None

    def translations(self, lang: str) -> i18n.TypesetTranslations:
        """The catalogue of `lang`, with its typography; its files are checked for changes at most once a second.

        A reply renders dozens of macros, each asking for the catalogue: looking at the `.po` and `.mo`
        every time cost about 100 µs a call (two `stat`s and their paths), 1.6 ms of a `/ia-stats`
        (measured on the development machine, 200 replies).
        """
        lang = self._lang(lang)
        now = time_module.monotonic()
        cached = self._translations.get(lang)
        if cached is None or now - cached[1] > CATALOGUE_CHECK_SECONDS:
            with self._loading:  # two threads reading a new catalogue at once would make two environments
                cached = self._translations.get(lang)
                if cached is None or now - cached[1] > CATALOGUE_CHECK_SECONDS:
                    cached = (i18n.translations(lang, self.locales_dir), now)
                    self._translations[lang] = cached
        return cached[0]

    def env(self, lang: str, html: bool = False) -> jinja2.Environment:
        """The environment of `lang`: plain text for chat (adapters escape), or escaping every value for HTML
        (the CSR report carries user text). Both have the same filters and globals."""
        lang = pick_lang(lang, langs=self.langs)
        translations = self.translations(lang)
        key = (lang, html)
        env = self._envs.get(key)
        if env is not None and env.globals.get("_translations") is translations:
            return env
        with self._loading:
            env = self._envs.get(key)
            if env is None or env.globals.get("_translations") is not translations:
                env = self._new_env(lang, html, translations)
                self._envs[key] = env
            return env

    def _new_env(self, lang: str, html: bool, translations: i18n.TypesetTranslations) -> jinja2.Environment:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(self.templates_dir)), autoescape=html,
                                 undefined=jinja2.StrictUndefined, **JINJA_OPTIONS)
        env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
        env.globals.update(_direct_gettext(translations))

        def num(value: float, sig: int | None = None, decimals: int | None = None,
                max_decimals: int | None = None) -> str:
            return format_number(value, lang, sig=sig, decimals=decimals, max_decimals=max_decimals)

        def plural_count(value: float, sig: int | None = None, decimals: int | None = None,
                         max_decimals: int | None = None) -> int:
            # give it the rounding the figure is shown with, so the form agrees with what is read
            return plural_operand(value, lang, sig=sig, decimals=decimals, max_decimals=max_decimals)

        def pct(ratio: float, decimals: int = 0) -> str:
            return format_pct(ratio, lang, decimals)

        def date(day: dt.date, pattern: str = "d MMMM y") -> str:
            return format_date(day, pattern, lang)

        def date_range(first: dt.date, last: dt.date) -> str:
            return format_date_range(first, last, lang)

        def time(value: dt.time | str, pattern: str = "HH:mm") -> str:
            return format_time(value, pattern, lang)

        def language_name(code: str) -> str:
            return locale_of(lang).languages.get(code, code)

        def weekday_name(index: int) -> str:
            return locale_of(lang).days["format"]["wide"][index]  # 0 = Monday, as the settings count

        env.filters.update(num=num, pct=pct, date=date, date_range=date_range, time=time)
        env.globals.update(lang=lang, zone_emoji=ZONE_EMOJI, zone_colours=ZONE_COLOURS, nbsp=NBSP,
                           nnbsp=NNBSP, plural_count=plural_count,
                           language_name=language_name, weekday_name=weekday_name, _translations=translations)
        return env

    def template(self, lang: str, name: str, html: bool = False) -> jinja2.Template:
        """The view `name` (a file of `templates/`) in `lang`'s environment, compiled once whichever threads ask."""
        env = self.env(lang, html)
        with self._loading:
            return env.get_template(name)

    def warm(self) -> None:
        """Compile every chat view in every language, ahead of the first command (a serving process calls this
        in a thread of its own at start).

        Compiling is most of a new process's first replies: its first /ia-log took 376 ms, the next ones 4 to
        7 ms, and the first /ia-stats and /ia-help 40 ms each (development machine). Eight members in a burst
        on a new process each compiled the views again, one thread each, for 4 s of the Slack benchmark's
        warm-up, beyond Slack's 3 s; `_loading` now makes it one compilation.
        """
        for lang in self.langs:
            for path in sorted(self.templates_dir.glob("*.j2")):
                if not path.name.endswith(".html.j2"):  # the HTML pages are the install page and the report
                    self.template(lang, path.name)

    def text(self, lang: str, name: str, **ctx: Any) -> str:
        """Render the view `<name>.j2` to stripped plain text."""
        return self.template(lang, f"{name}.j2").render(**ctx).strip()

    def macro(self, lang: str, name: str, macro: str) -> Callable[..., str]:
        """A macro of the view `<name>.j2`, returning stripped text.

        The callable is kept per (language, view, macro) for as long as the language's catalogue is the same
        object: a new catalogue (an edited `.po`, seen by `translations` within a second) means a new
        environment (`env`), whose macros replace the kept ones. A /ia-log asks for about 12 macros; finding
        each again (the environment, its catalogue, the template's module, a new wrapper) cost about 35 µs
        a call under the profiler, 0.42 ms of a log's 6.6 ms (1,000 logs, development machine).
        """
        lang = self._lang(lang)
        key = (lang, name, macro)
        cached = self._macros.get(key)
        translations = self.translations(lang)
        if cached is None or cached[0] is not translations:
            with self._loading:  # the module is made once too (its macros' definitions run)
                fn = getattr(self.template(lang, f"{name}.j2").module, macro)

            def call(*args: Any, **kwargs: Any) -> str:
                return str(fn(*args, **kwargs)).strip()

            cached = (translations, call)
            self._macros[key] = cached
        return cached[1]

    def constant(self, lang: str, name: str, macro: str, *keys: str) -> str:
        """What a macro says for arguments that are the engine's own keys, from a small fixed set (a part of a
        prompt, a verdict's band), never a member's words nor a figure: worded once per catalogue, as `macro`
        keeps its callables (the label of each RCT part is asked at every log)."""
        lang = self._lang(lang)
        translations = self.translations(lang)
        key = (lang, name, macro, keys)
        cached = self._constants.get(key)
        if cached is None or cached[0] is not translations:
            cached = (translations, self.macro(lang, name, macro)(*keys))
            self._constants[key] = cached
        return cached[1]

    def data(self, lang: str, name: str) -> dict[str, Any]:
        """Wording stored as data: `templates/<name>.toml`, whose strings are English msgids, translated."""
        lang = pick_lang(lang, langs=self.langs)
        translations = self.translations(lang)
        cached = self._data.get((lang, name))
        if cached is None or cached[0] is not translations:
            cached = (translations, i18n.translate_data(_load_toml(self.templates_dir / f"{name}.toml"), translations))
            self._data[(lang, name)] = cached
        return cached[1]


def _direct_gettext(t: i18n.TypesetTranslations) -> dict[str, Callable[..., str]]:
    """jinja2.ext.i18n's newstyle `_`, `gettext`, `ngettext`, `pgettext` and `npgettext`, asking the catalogue
    directly: the same values (the translation, marked safe where the template autoescapes, always formatted
    with the values passed by name, `num` and `context` among them by default), in one `Context.call` instead
    of three (`_` looks `gettext` up in the context, which calls the catalogue through the context again).
    See the module docstring for what it saves."""

    @jinja2.pass_eval_context
    def gettext(eval_ctx: EvalContext, string: str, /, **variables: Any) -> str:
        rv = t.gettext(string)
        return (Markup(rv) if eval_ctx.autoescape else rv) % variables

    @jinja2.pass_eval_context
    def ngettext(eval_ctx: EvalContext, singular: str, plural: str, num: int, /, **variables: Any) -> str:
        variables.setdefault("num", num)
        rv = t.ngettext(singular, plural, num)
        return (Markup(rv) if eval_ctx.autoescape else rv) % variables

    @jinja2.pass_eval_context
    def pgettext(eval_ctx: EvalContext, context: str, string: str, /, **variables: Any) -> str:
        variables.setdefault("context", context)
        rv = t.pgettext(context, string)
        return (Markup(rv) if eval_ctx.autoescape else rv) % variables

    @jinja2.pass_eval_context
    def npgettext(eval_ctx: EvalContext, context: str, singular: str, plural: str, num: int, /,
                  **variables: Any) -> str:
        variables.setdefault("context", context)
        variables.setdefault("num", num)
        rv = t.npgettext(context, singular, plural, num)
        return (Markup(rv) if eval_ctx.autoescape else rv) % variables

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext, "pgettext": pgettext, "npgettext": npgettext}


def paragraphs(*texts: str) -> tuple[str, ...]:
    """Template output → paragraphs (blank lines separate them)."""
    return tuple(p.strip() for text in texts for p in text.split("\n\n") if p.strip())


@lru_cache(maxsize=64)
def _load_toml(path: Path) -> dict[str, Any]:
    with open(path, "rb") as fh:
        return tomllib.load(fh)
