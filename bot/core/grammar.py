"""Argument text → a typed request, or a usage error. One grammar for every front-end.

Slack and the console pass what the member typed after the command; Discord
rebuilds the same text from its typed options. French and English words are
accepted everywhere, whatever the case and with or without accents.
Errors carry a key and parameters; the wording is in the templates.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from bot.core import periods
from bot.commands.catalogue import KINDS
from bot.core.config import Config

KIND_WORDS: dict[str, str] = {}
for _kind, _words in {
    "text": ["text", "texte", "txt", "prompt", "message", "chat", "mail", "email", "post", "requete", "question", "reponse"],
    "doc": ["doc", "document", "long", "article", "rapport", "report", "texte-long", "long-text", "longtext", "synthese", "raisonnement", "reasoning"],
    "image": ["image", "img", "photo", "visuel", "visual", "picture", "illustration", "dessin", "drawing"],
    "video": ["video", "clip", "film"],
    "audio": ["audio", "son", "sound", "musique", "music", "voix", "voice", "podcast", "chanson", "song"],
    "code": ["code", "completion", "script", "dev"],
}.items():
    for _w in _words:
        KIND_WORDS[_w] = _kind

PERIOD_WORDS = {
    "week": "week", "semaine": "week", "sem": "week", "hebdo": "week", "w": "week",
    "month": "month", "mois": "month", "m": "month", "mensuel": "month",
    "all": "all", "tout": "all", "toujours": "all", "total": "all", "ever": "all", "alltime": "all",
}
PUBLIC_WORDS = {"public", "publique", "partager", "partage", "share", "shared", "canal", "channel"}
ON_WORDS = {"on", "oui", "yes", "true", "1", "active", "activer", "enable", "actif"}
OFF_WORDS = {"off", "non", "no", "false", "0", "desactive", "desactiver", "disable", "inactif"}
CONFIRM_WORDS = {"confirm", "confirmer", "confirme", "yes", "oui"}
ME_WORDS = {
    "export": "export", "exporter": "export",
    "forget": "forget", "oublier": "forget", "oublie": "forget", "effacer": "forget", "supprimer": "forget", "delete": "forget", "erase": "forget",
    "nudges": "nudges", "nudge": "nudges", "rappels": "nudges", "rappel": "nudges",
    "lang": "lang", "langue": "lang", "language": "lang",
    "leaderboard": "leaderboard", "classement": "leaderboard", "top": "leaderboard",
    "show": "show", "moi": "show", "me": "show", "voir": "show",
}
SETTING_WORDS = {
    "lang": "lang", "langue": "lang", "language": "lang",
    "timezone": "timezone", "tz": "timezone", "fuseau": "timezone", "fuseau-horaire": "timezone",
    "green_max": "green_max", "seuil_vert": "green_max", "seuil-vert": "green_max", "vert": "green_max", "green": "green_max",
    "orange_max": "orange_max", "seuil_orange": "orange_max", "seuil-orange": "orange_max", "orange": "orange_max",
    "summary_channel": "summary_channel", "canal": "summary_channel", "channel": "summary_channel", "salon": "summary_channel",
    "store_prompts": "store_prompts", "prompts": "store_prompts", "garder_prompts": "store_prompts",
    "zone": "zone", "grid": "zone", "mix": "zone",
    "weekly_day": "weekly_day", "jour_hebdo": "weekly_day", "weekly_time": "weekly_time", "heure_hebdo": "weekly_time",
    "name": "name", "nom": "name", "entreprise": "name", "company": "name",
    "monthly_day": "monthly_day", "jour_mensuel": "monthly_day", "monthly_time": "monthly_time", "heure_mensuel": "monthly_time",
}
WEEKDAYS = {
    "lundi": 0, "monday": 0, "mardi": 1, "tuesday": 1, "mercredi": 2, "wednesday": 2, "jeudi": 3, "thursday": 3,
    "vendredi": 4, "friday": 4, "samedi": 5, "saturday": 5, "dimanche": 6, "sunday": 6,
}
TEAM_WORDS = {
    "join": "join", "rejoindre": "join", "entrer": "join",
    "leave": "leave", "quitter": "leave", "sortir": "leave",
    "list": "list", "liste": "list", "voir": "list", "show": "list",
    "map": "map", "associer": "map", "lier": "map",
    "unmap": "unmap", "dissocier": "unmap", "delier": "unmap",
}
MAX_TEAM_NAME = 40
END_OF_OPTIONS = "--"
HELP_TOPICS = {"methode": "method", "method": "method", "methodology": "method", "methodologie": "method", "sources": "method"}

_NUMBERISH = re.compile(r"^[-+]?(\d[\d_.,]*([eE][-+]?\d+)?|\.\d+)$")
_CHANNEL_REF = re.compile(r"^<#([A-Z0-9]+)(\|[^>]*)?>$|^<#(\d+)>$")


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


@dataclass(frozen=True)
class LogRequest:
    kind: str
    count: int
    tool: str | None
    prompt: str


@dataclass(frozen=True)
class AvoidRequest:
    kind: str
    count: int
    how: str


@dataclass(frozen=True)
class ScoreRequest:
    prompt: str


@dataclass(frozen=True)
class StatsRequest:
    period: str
    public: bool


@dataclass(frozen=True)
class TopRequest:
    period: str
    public: bool


@dataclass(frozen=True)
class UndoRequest:
    pass


@dataclass(frozen=True)
class MeRequest:
    action: str  # show | export | forget | forget_confirm | nudges | lang | leaderboard
    value: Any = None


@dataclass(frozen=True)
class SettingsRequest:
    key: str | None
    value: Any = None


@dataclass(frozen=True)
class HelpRequest:
    topic: str | None


@dataclass(frozen=True)
class ReportRequest:
    period: str  # "2026-11", "2026-Q4", "2026", or "" for the last complete month
    fmt: str  # "html" | "csv"


@dataclass(frozen=True)
class TeamRequest:
    action: str  # join | leave | list | map | unmap
    name: str | None = None
    group: str | None = None


Request = (
    LogRequest | AvoidRequest | ScoreRequest | StatsRequest | TopRequest | UndoRequest
    | MeRequest | SettingsRequest | HelpRequest | TeamRequest | ReportRequest
)


def _check_text(command: str, text: str, cfg: Config) -> str:
    if len(text) > cfg.limits.max_text_chars:
        raise UsageError(command, "too_long", {"max": cfg.limits.max_text_chars, "length": len(text)})
    bad = [ch for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\t\r"]
    if bad:
        raise UsageError(command, "control_chars")
    return text.strip()


def _kind(command: str, token: str | None) -> str:
    if token is None:
        raise UsageError(command, "missing_kind", {"kinds": KINDS})
    word = fold(token)
    kind = KIND_WORDS.get(word) or (KIND_WORDS.get(word[:-1]) if word.endswith("s") else None)
    if kind is None:
        raise UsageError(command, "unknown_kind", {"word": token[:40], "kinds": KINDS})
    return kind


def _count(command: str, token: str, cfg: Config) -> int | None:
    """The count if `token` is one; None if it is not a number at all."""
    if not _NUMBERISH.match(token):
        return None
    if not token.isdigit():
        raise UsageError(command, "bad_count", {"word": token[:40], "max": cfg.limits.max_count})
    value = int(token)
    if value < 1:
        raise UsageError(command, "bad_count", {"word": token[:40], "max": cfg.limits.max_count})
    if value > cfg.limits.max_count:
        raise UsageError(command, "count_too_high", {"word": token[:40], "max": cfg.limits.max_count})
    return value


def _tool(tokens: list[str], cfg: Config) -> tuple[str | None, int]:
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


def _split(text: str) -> list[str]:
    return text.split()


def _rest(text: str, used: int) -> str:
    """The original text after the first `used` whitespace-separated words, spacing kept."""
    rest = text
    for _ in range(used):
        rest = rest.lstrip()
        m = re.match(r"\S+", rest)
        rest = rest[m.end():] if m else ""
    return rest.strip()


def parse(command: str, text: str, cfg: Config) -> Request:
    """Parse the argument text of `command` (without its slash). Raises UsageError."""
    text = _check_text(command, text or "", cfg)
    tokens = _split(text)
    if command in ("ia-log", "ia-avoid"):
        # "--" ends the options: what follows is the prompt as typed, even if it starts with a
        # number or a tool's name (front-ends with typed fields, like Discord, send it).
        kind = _kind(command, tokens[0] if tokens else None)
        used, count, tool = 1, 1, None
        if len(tokens) > used and tokens[used] != END_OF_OPTIONS:
            n = _count(command, tokens[used], cfg)
            if n is not None:
                count, used = n, used + 1
        if command == "ia-log" and len(tokens) > used and tokens[used] != END_OF_OPTIONS:
            tool, tool_used = _tool(tokens[used:], cfg)
            used += tool_used
        if len(tokens) > used and tokens[used] == END_OF_OPTIONS:
            used += 1
        if command == "ia-log":
            return LogRequest(kind, count, tool, _rest(text, used))
        return AvoidRequest(kind, count, _rest(text, used))
    if command == "ia-score":
        if not text:
            raise UsageError(command, "empty_prompt")
        return ScoreRequest(text)
    if command in ("ia-stats", "ia-top"):
        allowed = ("week", "month") if command == "ia-stats" else ("week", "month", "all")
        period, public = "week" if command == "ia-stats" else "month", False
        for tok in tokens:
            word = fold(tok)
            if word in PUBLIC_WORDS:
                public = True
            elif PERIOD_WORDS.get(word) in allowed:
                period = PERIOD_WORDS[word]
            else:
                raise UsageError(command, "bad_period", {"word": tok[:40], "periods": allowed})
        return (StatsRequest if command == "ia-stats" else TopRequest)(period, public)
    if command == "ia-undo":
        if tokens:
            raise UsageError(command, "no_arguments")
        return UndoRequest()
    if command == "ia-me":
        return _parse_me(command, tokens)
    if command == "ia-settings":
        return _parse_settings(command, text, tokens)
    if command == "ia-team":
        return _parse_team(command, text, tokens)
    if command == "ia-report":
        fmt, period = "html", []
        for tok in tokens:
            if fold(tok) in ("html", "csv"):
                fmt = fold(tok)
            else:
                period.append(tok)
        if len(period) > 1:
            raise UsageError(command, "bad_report_period", {"word": " ".join(period)[:40]})
        return ReportRequest(period[0] if period else "", fmt)
    if command == "ia-help":
        if not tokens:
            return HelpRequest(None)
        word = fold(tokens[0]).lstrip("/")
        if word in HELP_TOPICS:
            return HelpRequest(HELP_TOPICS[word])
        from bot.commands.catalogue import find

        cmd = find(word if word.startswith("ia-") else "ia-" + word)
        if cmd is None:
            raise UsageError(command, "unknown_topic", {"word": tokens[0][:40]})
        return HelpRequest(cmd.name)
    raise UsageError(command, "unknown_command", {"word": command[:40]})


def _switch(command: str, tokens: list[str], what: str) -> bool:
    if len(tokens) != 2:
        raise UsageError(command, "bad_me", {"word": " ".join(tokens)[:40]})
    word = fold(tokens[1])
    if word in ON_WORDS:
        return True
    if word in OFF_WORDS:
        return False
    raise UsageError(command, "bad_switch", {"word": tokens[1][:40], "what": what})


def _parse_me(command: str, tokens: list[str]) -> MeRequest:
    if not tokens:
        return MeRequest("show")
    action = ME_WORDS.get(fold(tokens[0]))
    if action is None:
        raise UsageError(command, "bad_me", {"word": tokens[0][:40]})
    if action in ("show", "export"):
        if len(tokens) > 1:
            raise UsageError(command, "bad_me", {"word": " ".join(tokens)[:40]})
        return MeRequest(action)
    if action == "forget":
        if len(tokens) == 1:
            return MeRequest("forget")
        if len(tokens) == 2 and fold(tokens[1]) in CONFIRM_WORDS:
            return MeRequest("forget_confirm")
        raise UsageError(command, "bad_me", {"word": " ".join(tokens)[:40]})
    if action == "lang":
        if len(tokens) != 2 or fold(tokens[1]) not in ("fr", "en", "francais", "english", "anglais"):
            raise UsageError(command, "bad_lang", {"word": " ".join(tokens[1:])[:40]})
        return MeRequest("lang", "en" if fold(tokens[1]) in ("en", "english", "anglais") else "fr")
    return MeRequest(action, _switch(command, tokens, action))


def _parse_settings(command: str, text: str, tokens: list[str]) -> SettingsRequest:
    if not tokens:
        return SettingsRequest(None)
    key = SETTING_WORDS.get(fold(tokens[0]))
    if key is None:
        raise UsageError(command, "bad_setting", {"word": tokens[0][:40]})
    if len(tokens) < 2:
        raise UsageError(command, "missing_value", {"key": key})
    raw = _rest(text, 1)
    word = fold(raw)
    if key == "lang":
        if word not in ("fr", "en"):
            raise UsageError(command, "bad_value", {"key": key, "word": raw[:40]})
        return SettingsRequest(key, word)
    if key == "timezone":
        try:
            periods.zone(raw)
        except ValueError:
            raise UsageError(command, "bad_value", {"key": key, "word": raw[:40]}) from None
        return SettingsRequest(key, raw)
    if key in ("green_max", "orange_max"):
        if not raw.isdigit() or not 1 <= int(raw) <= 100_000:
            raise UsageError(command, "bad_value", {"key": key, "word": raw[:40]})
        return SettingsRequest(key, int(raw))
    if key == "store_prompts":
        if word in ON_WORDS:
            return SettingsRequest(key, True)
        if word in OFF_WORDS:
            return SettingsRequest(key, False)
        raise UsageError(command, "bad_value", {"key": key, "word": raw[:40]})
    if key == "summary_channel":
        m = _CHANNEL_REF.match(raw)
        channel = (m.group(1) or m.group(3)) if m else raw.lstrip("#")
        if word in OFF_WORDS or word in ("none", "aucun"):
            return SettingsRequest(key, None)
        if not re.fullmatch(r"[A-Za-z0-9_.:-]{1,80}", channel):
            raise UsageError(command, "bad_value", {"key": key, "word": raw[:40]})
        return SettingsRequest(key, channel)
    if key == "name":
        name = " ".join(raw.split())
        if len(name) > 80:
            raise UsageError(command, "bad_value", {"key": key, "word": name[:40]})
        return SettingsRequest(key, name)
    if key == "weekly_day":
        day = WEEKDAYS.get(word, int(word) if word.isdigit() else None)
        if day is None or not 0 <= day <= 6:
            raise UsageError(command, "bad_value", {"key": key, "word": raw[:40]})
        return SettingsRequest(key, day)
    if key == "monthly_day":
        if not raw.isdigit() or not 1 <= int(raw) <= 28:
            raise UsageError(command, "bad_value", {"key": key, "word": raw[:40]})
        return SettingsRequest(key, int(raw))
    if key in ("weekly_time", "monthly_time"):
        m = re.fullmatch(r"(\d{1,2})[:h](\d{2})?", word)
        if not m or int(m.group(1)) > 23 or int(m.group(2) or 0) > 59:
            raise UsageError(command, "bad_value", {"key": key, "word": raw[:40]})
        return SettingsRequest(key, f"{int(m.group(1)):02d}:{int(m.group(2) or 0):02d}")
    # zone: checked against the impact model's zones by the coach
    return SettingsRequest(key, raw.upper())


def _team_name(command: str, name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise UsageError(command, "missing_team")
    if len(name) > MAX_TEAM_NAME:
        raise UsageError(command, "team_name_too_long", {"max": MAX_TEAM_NAME})
    return name


def _parse_team(command: str, text: str, tokens: list[str]) -> TeamRequest:
    if not tokens:
        return TeamRequest("list")
    action = TEAM_WORDS.get(fold(tokens[0]))
    if action is None:
        raise UsageError(command, "bad_team", {"word": tokens[0][:40]})
    if action in ("leave", "list"):
        if len(tokens) > 1:
            raise UsageError(command, "bad_team", {"word": " ".join(tokens)[:40]})
        return TeamRequest(action)
    if action == "join":
        return TeamRequest("join", _team_name(command, _rest(text, 1)))
    if len(tokens) < 2:
        raise UsageError(command, "missing_group")
    group_token = tokens[1]
    m = re.fullmatch(r"<@&(\d+)>|<!subteam\^([A-Z0-9]+)(\|[^>]*)?>|([A-Za-z0-9_-]{1,80})", group_token)
    if not m:
        raise UsageError(command, "missing_group")
    group = m.group(1) or m.group(2) or m.group(4)
    if action == "unmap":
        return TeamRequest("unmap", group=group)
    return TeamRequest("map", _team_name(command, _rest(text, 2)), group)
