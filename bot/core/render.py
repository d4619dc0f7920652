"""Jinja2 rendering of every user-facing word, per language.

All wording lives in `templates/<lang>/`. Templates produce plain text; the
adapters escape it for their platform. User text is always passed as a
variable, never compiled as template source.

Each language has its own environment so that the `num` filter formats numbers
the member's way ("1 234,5" in French, "1,234.5" in English).
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import jinja2

from bot.core.numbers import format_number
from bot.core.zones import ZONE_COLOURS, ZONE_EMOJI

LANGS: tuple[str, ...] = ("fr", "en")
DEFAULT_LANG = "fr"
TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"


def pick_lang(*candidates: str | None) -> str:
    """The first supported language among the candidates (member, workspace), else French."""
    for lang in candidates:
        if lang and lang.lower()[:2] in LANGS:
            return lang.lower()[:2]
    return DEFAULT_LANG


class Renderer:
    """Renders templates and reads per-language wording data."""

    def __init__(self, templates_dir: Path | None = None) -> None:
        self.templates_dir = Path(templates_dir or TEMPLATES_DIR)
        self._envs: dict[tuple[str, bool], jinja2.Environment] = {}

    def env(self, lang: str, html: bool = False) -> jinja2.Environment:
        """The environment of `lang`: plain text for chat (adapters escape), or escaping every value for HTML
        (the CSR report carries user text). Both have the same filters and globals."""
        lang = pick_lang(lang)
        if (lang, html) not in self._envs:
            env = jinja2.Environment(
                loader=jinja2.FileSystemLoader(str(self.templates_dir / lang)),
                autoescape=html,
                undefined=jinja2.StrictUndefined,
                trim_blocks=True,
                lstrip_blocks=True,
                keep_trailing_newline=False,
            )

            def num(value: float, sig: int | None = None, decimals: int | None = None) -> str:
                return format_number(value, lang, sig=sig, decimals=decimals)

            env.filters["num"] = num
            env.globals.update(lang=lang, zone_emoji=ZONE_EMOJI, zone_colours=ZONE_COLOURS)
            self._envs[(lang, html)] = env
        return self._envs[(lang, html)]

    def text(self, lang: str, name: str, **ctx: Any) -> str:
        """Render `templates/<lang>/<name>.j2` to stripped plain text."""
        return self.env(lang).get_template(f"{name}.j2").render(**ctx).strip()

    def macro(self, lang: str, name: str, macro: str) -> Callable[..., str]:
        """A macro of `templates/<lang>/<name>.j2`, returning stripped text."""
        module = self.env(lang).get_template(f"{name}.j2").module
        fn = getattr(module, macro)

        def call(*args: Any, **kwargs: Any) -> str:
            return str(fn(*args, **kwargs)).strip()

        return call

    def data(self, lang: str, name: str) -> dict[str, Any]:
        """Wording stored as data: `templates/<lang>/<name>.toml`."""
        return _load_toml(self.templates_dir / pick_lang(lang) / f"{name}.toml")


def paragraphs(*texts: str) -> tuple[str, ...]:
    """Template output → paragraphs (blank lines separate them)."""
    return tuple(p.strip() for text in texts for p in text.split("\n\n") if p.strip())


@lru_cache(maxsize=64)
def _load_toml(path: Path) -> dict[str, Any]:
    with open(path, "rb") as fh:
        return tomllib.load(fh)
