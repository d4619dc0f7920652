"""Argument text → typed values, or a usage error. One grammar for every front-end.

Slack and the console pass what the member typed after the command; Discord
rebuilds the same text from its typed options. French and English words are
accepted everywhere, whatever the case and with or without accents.
Errors carry a key and parameters; the wording is in the templates.

This module reads the argument *types* of `bot.core.command`; each command's
own words (sub-commands, setting names) live in its module under
`bot/commands/`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.core.config import Config
from bot.core.kinds import KIND_WORDS, KINDS

if TYPE_CHECKING:
    from bot.core.command import Argument, Command

PERIOD_WORDS = {
    "week": "week", "semaine": "week", "sem": "week", "hebdo": "week", "w": "week",
    "month": "month", "mois": "month", "m": "month", "mensuel": "month",
    "all": "all", "tout": "all", "toujours": "all", "total": "all", "ever": "all", "alltime": "all",
}
PUBLIC_WORDS = {"public", "publique", "partager", "partage", "share", "shared", "canal", "channel"}
ON_WORDS = {"on", "oui", "yes", "true", "1", "active", "activer", "enable", "actif"}
OFF_WORDS = {"off", "non", "no", "false", "0", "desactive", "desactiver", "disable", "inactif"}
END_OF_OPTIONS = "--"

_NUMBERISH = re.compile(r"^[-+]?(\d[\d_.,]*([eE][-+]?\d+)?|\.\d+)$")


def fold(word: str) -> str:
    """Lower case without accents: "Vidéo" → "video"."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True)
class UsageError(Exception):
    """What was wrong with the text; `key` selects the explanation in the templates."""

    command: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)


def check_text(command: str, text: str, cfg: Config) -> str:
    """The text stripped, once checked for length and control characters."""
    if len(text) > cfg.limits.max_text_chars:
        raise UsageError(command, "too_long", {"max": cfg.limits.max_text_chars, "length": len(text)})
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t\r" for ch in text):
        raise UsageError(command, "control_chars")
    return text.strip()


def kind(command: str, token: str | None) -> str:
    """A generation kind from a word ("vidéos" → "video")."""
    if token is None:
        raise UsageError(command, "missing_kind", {"kinds": KINDS})
    word = fold(token)
    found = KIND_WORDS.get(word) or (KIND_WORDS.get(word[:-1]) if word.endswith("s") else None)
    if found is None:
        raise UsageError(command, "unknown_kind", {"word": token[:40], "kinds": KINDS})
    return found


def count(command: str, token: str, cfg: Config) -> int | None:
    """The count if `token` is one; None if it is not a number at all."""
    if not _NUMBERISH.match(token):
        return None
    if not token.isdigit() or int(token) < 1:
        raise UsageError(command, "bad_count", {"word": token[:40], "max": cfg.limits.max_count})
    value = int(token)
    if value > cfg.limits.max_count:
        raise UsageError(command, "count_too_high", {"word": token[:40], "max": cfg.limits.max_count})
    return value


def tool(tokens: list[str], cfg: Config) -> tuple[str | None, int]:
    """A known tool at the start of `tokens`: (name, tokens used)."""
    if not tokens:
        return None, 0
    candidates = [(fold(tokens[0]), 1)]
    if len(tokens) > 1:
        candidates.insert(0, (fold(tokens[0]) + "-" + fold(tokens[1]), 2))
    for word, used in candidates:
        for name, words in cfg.tools.items():
            if word == name or word in words:
                return name, used
    return None, 0


def rest(text: str, used: int) -> str:
    """The original text after the first `used` whitespace-separated words, spacing kept."""
    remaining = text
    for _ in range(used):
        remaining = remaining.lstrip()
        m = re.match(r"\S+", remaining)
        remaining = remaining[m.end():] if m else ""
    return remaining.strip()


def switch(word: str) -> bool | None:
    """True for "on"/"oui", False for "off"/"non", None for anything else."""
    folded = fold(word)
    if folded in ON_WORDS:
        return True
    if folded in OFF_WORDS:
        return False
    return None


def parse_declared(command: "Command", text: str, cfg: Config) -> dict[str, Any]:
    """Read `text` by the command's declared arguments: {argument name: value}.

    Leading typed arguments are read in order: a kind, then an optional count
    and an optional tool; then the `text` argument takes the rest as typed.
    "--" ends the options: what follows is the text even if it starts with a
    number or a tool's name (front-ends with typed fields, like Discord, send
    it). A command without a text argument takes its period, choice and flag
    words in any order, each at most once.
    """
    tokens = text.split()
    values: dict[str, Any] = {a.name: a.default for a in command.args}
    values.update({a.name: False for a in command.args if a.type == "flag"})
    free = next((a for a in command.args if a.type == "text"), None)
    if free is None:
        return _unordered(command, tokens, values)
    used = 0
    for arg in command.args:
        at_end = used >= len(tokens) or tokens[used] == END_OF_OPTIONS
        if arg.type == "kind":
            values[arg.name] = kind(command.name, None if at_end else tokens[used])
            used += 1
        elif arg.type == "count" and not at_end:
            n = count(command.name, tokens[used], cfg)
            values[arg.name], used = (n, used + 1) if n is not None else (1, used)
        elif arg.type == "count":
            values[arg.name] = 1
        elif arg.type == "tool" and not at_end:
            values[arg.name], tool_used = tool(tokens[used:], cfg)
            used += tool_used
    if used < len(tokens) and tokens[used] == END_OF_OPTIONS:
        used += 1
    values[free.name] = rest(text, used)
    if free.required and not values[free.name]:
        raise UsageError(command.name, "empty_prompt")
    return values


def _unordered(command: "Command", tokens: list[str], values: dict[str, Any]) -> dict[str, Any]:
    """Period, choice and flag words in any order; a word argument takes the first word matching none."""
    if tokens and not command.args:
        raise UsageError(command.name, "no_arguments")
    filled: set[str] = set()
    for token in tokens:
        word = fold(token)
        arg = next((a for a in command.args if a.name not in filled and _matches(a, word)), None)
        if arg is None:
            periods = next((a.choices for a in command.args if a.type == "period"), ())
            if periods:
                raise UsageError(command.name, "bad_period", {"word": token[:40], "periods": periods})
            raise UsageError(command.name, "unexpected_word", {"word": token[:40]})
        values[arg.name] = True if arg.type == "flag" else PERIOD_WORDS.get(word, word) if arg.type == "period" \
            else word if arg.type == "choice" else token
        filled.add(arg.name)
    for arg in command.args:
        if arg.required and values.get(arg.name) in (None, ""):
            raise UsageError(command.name, "missing_argument", {"name": arg.name})
    return values


def _matches(arg: "Argument", word: str) -> bool:
    if arg.type == "flag":
        return word in PUBLIC_WORDS
    if arg.type == "period":
        return PERIOD_WORDS.get(word) in arg.choices
    if arg.type == "choice":
        return word in arg.choices
    return arg.type == "word"
