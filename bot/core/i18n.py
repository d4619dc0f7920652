"""Message catalogues: which languages exist, their translations, and their typography.

English is the source language: the msgids in the templates and in
`templates/commands.toml` are the English wording, so English needs no
catalogue. Every other language is a gettext catalogue,
`locales/<lang>/LC_MESSAGES/sobria.po`, managed with Babel (`make i18n-extract`,
`make i18n-update`, `make i18n-compile`; see docs/translating.md). Adding a
language is adding its folder: `languages()` finds it.

The compiled `.mo` (built by `make`'s install step, not kept in git) is read
when it is at least as new as its `.po`; otherwise the `.po` itself is
compiled in memory, so a fresh clone, a test's copy of the catalogues or a
`.po` just edited never serves stale or missing words.

Typography is applied to the translated strings when a catalogue is loaded,
never to the values put into them: a translator types ordinary spaces and
apostrophes, members read « 5 images notées » with the no-break spaces and
typographic apostrophes French requires, and a member's own text is left
exactly as typed.
"""

from __future__ import annotations

import io
import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from bot.core.numbers import NBSP, NNBSP, plural_operand

DOMAIN = "sobria"
SOURCE_LANG = "en"
DEFAULT_LANG = "fr"
LOCALES_DIR = Path(__file__).resolve().parents[2] / "locales"


def languages(locales_dir: Path | None = None) -> tuple[str, ...]:
    """Every reply language: French (the default) first, then English (the source), then any other catalogue."""
    base = Path(locales_dir or LOCALES_DIR)
    found = sorted(p.parent.parent.name for p in base.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    ordered = [DEFAULT_LANG, SOURCE_LANG] + [lang for lang in found if lang not in (DEFAULT_LANG, SOURCE_LANG)]
    return tuple(lang for lang in ordered if lang == SOURCE_LANG or lang in found)


def language_of(word: str, locales_dir: Path | None = None) -> str | None:
    """The reply language a member typed: a code ("fr", "EN") or its name in any language Sobria speaks
    (« anglais », "French", "Deutsch" once German has a catalogue); None when it is none of them."""
    from babel import Locale

    langs = languages(locales_dir)
    typed = word.strip().casefold()
    if typed in langs:
        return typed
    for code in langs:
        names = {Locale.parse(other).languages.get(code, "") for other in langs} | {Locale.parse(code).get_display_name()}
        if typed in {n.casefold() for n in names if n} | {_plain(n) for n in names if n}:
            return code
    return None


def _plain(name: str) -> str:
    """« Français » → "francais": names typed without accents still match."""
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(c))


# ---------------------------------------------------------------------------- typography

_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_BEFORE_COLON = re.compile(r"[ \u00a0\u202f]+:(?=\s|$)")
_BEFORE_HIGH = re.compile(r"[ \u00a0\u202f]+([;!?])")
_OPEN_QUOTE = re.compile(r"«[ \u00a0\u202f]*")
_CLOSE_QUOTE = re.compile(r"[ \u00a0\u202f]*»")


def french_typography(text: str) -> str:
    """French punctuation: no-break space before « : », narrow no-break space before ; ! ? and inside « »,
    typographic apostrophe, ellipsis character. Only spaces already typed are changed (a time like 09:00 or
    a path is left alone)."""
    text = text.replace("...", "…")
    text = _APOSTROPHE.sub("’", text)
    text = _BEFORE_COLON.sub(NBSP + ":", text)
    text = _BEFORE_HIGH.sub(NNBSP + r"\1", text)
    text = _OPEN_QUOTE.sub("«" + NNBSP, text)
    return _CLOSE_QUOTE.sub(NNBSP + "»", text)


def plain_typography(text: str) -> str:
    """Languages without special spacing still get the ellipsis character."""
    return text.replace("...", "…")


TYPOGRAPHY: dict[str, Callable[[str], str]] = {"fr": french_typography}


def typography(lang: str) -> Callable[[str], str]:
    """The typography rules of `lang` (ellipsis only, unless the language has its own)."""
    return TYPOGRAPHY.get(lang, plain_typography)


class TypesetTranslations:
    """A gettext translations object whose every answer has the language's typography.

    It offers what `jinja2.ext.i18n` installs (gettext, ngettext, pgettext,
    npgettext) and counts misses, so a test can tell an untranslated msgid from
    a translated one.
    """

    def __init__(self, lang: str, translations: NullTranslations, catalogue: set[tuple[str | None, str]] | None) -> None:
        self.lang = lang
        self._t = translations
        # msgstrs are few and asked for again and again: typeset each once (41 regex passes a /ia-stats before)
        self._fix = lru_cache(maxsize=8192)(typography(lang))
        self._known = catalogue  # None for the source language: every msgid is its own translation
        self.missing: set[tuple[str | None, str]] = set()

    def _check(self, context: str | None, msgid: str) -> None:
        if self._known is not None and (context, msgid) not in self._known:
            self.missing.add((context, msgid))

    def plural_index(self, n: int) -> int:
        """Which plural form the language uses for `n` (its catalogue's Plural-Forms; English: n != 1)."""
        n = plural_operand(n, self.lang)  # a share or an average (1.5) takes the form CLDR gives it
        rule = getattr(self._t, "plural", None)
        return int(rule(n)) if callable(rule) else int(n != 1)

    def gettext(self, message: str) -> str:
        self._check(None, message)
        return self._fix(self._t.gettext(message))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        self._check(None, singular)
        return self._fix(self._t.ngettext(singular, plural, plural_operand(n, self.lang)))

    def pgettext(self, context: str, message: str) -> str:
        self._check(context, message)
        return self._fix(self._t.pgettext(context, message))

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        self._check(context, singular)
        return self._fix(self._t.npgettext(context, singular, plural, plural_operand(n, self.lang)))


def po_path(lang: str, locales_dir: Path | None = None) -> Path:
    """Where the catalogue of `lang` lives (its `.mo` sits beside it)."""
    return Path(locales_dir or LOCALES_DIR) / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalogue(lang: str, locales_dir: Path | None = None) -> Catalog:
    """The `.po` of `lang` as a Babel catalogue."""
    with open(po_path(lang, locales_dir), "rb") as fh:
        return read_po(fh, locale=lang, domain=DOMAIN)


@lru_cache(maxsize=32)
def _load(lang: str, locales_dir: Path, stamp: tuple[float, float]) -> TypesetTranslations:
    if lang == SOURCE_LANG:
        return TypesetTranslations(lang, NullTranslations(), None)
    po = po_path(lang, locales_dir)
    catalog = read_catalogue(lang, locales_dir)
    known = {(m.context, m.id if isinstance(m.id, str) else m.id[0])
             for m in catalog if m.id and m.string and (m.string if isinstance(m.string, str) else all(m.string))
             and not m.fuzzy}
    mo = po.with_suffix(".mo")
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        with open(mo, "rb") as fh:
            translations = Translations(fh, domain=DOMAIN)
    else:
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        translations = Translations(buffer, domain=DOMAIN)
    return TypesetTranslations(lang, translations, known)


def translations(lang: str, locales_dir: Path | None = None) -> TypesetTranslations:
    """The translations of `lang` with its typography (reloaded when its `.po` or `.mo` changes)."""
    base = Path(locales_dir or LOCALES_DIR)
    po = po_path(lang, base)
    mo = po.with_suffix(".mo")
    stamp = (po.stat().st_mtime if po.exists() else 0.0, mo.stat().st_mtime if mo.exists() else 0.0)
    return _load(lang, base, stamp)


# ---------------------------------------------------------------------------- wording stored as data

def data_context(path: tuple[str, ...]) -> str:
    """The message context of a string in a wording data file: its TOML path ("ia-log.args.kind.help")."""
    return ".".join(path)


def walk_strings(value: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str]]:
    """Every string leaf of TOML data with its path."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from walk_strings(item, path + (str(key),))
    elif isinstance(value, str) and value:
        yield path, value


def translate_data(value: Any, t: TypesetTranslations, path: tuple[str, ...] = ()) -> Any:
    """TOML wording data with every non-empty string translated (context: its path)."""
    if isinstance(value, dict):
        return {key: translate_data(item, t, path + (str(key),)) for key, item in value.items()}
    if isinstance(value, str) and value:
        return t.pgettext(data_context(path), value)
    return value


def extract_toml(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Iterator[tuple[int, str, Any, list[str]]]:
    """Babel extractor for wording data files (`[extractors] toml = bot.core.i18n:extract_toml` in babel.cfg).

    Each string becomes a msgid whose context is its TOML path, so "image" the
    kind's menu label and "image" the noun in a sentence are translated apart.
    """
    text = fileobj.read().decode("utf-8")
    data = tomllib.loads(text)
    lines = text.splitlines()
    for path, value in walk_strings(data):
        leaf = path[-1]
        lineno = next((i + 1 for i, line in enumerate(lines)
                       if line.lstrip().startswith((leaf, f'"{leaf}"')) and "=" in line), 0)
        yield lineno, "pgettext", (data_context(path), value), []
