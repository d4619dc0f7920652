"""The command catalogue: every command declared once.

`/ia-help`, the Slack app manifest and the Discord command tree are all
derived from `CATALOGUE`. The structure (names, arguments, limits, who may
run it) lives here; the words (summary, usage, example, argument help) live
in `templates/<lang>/commands.toml`, so that each language has one source.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS: tuple[str, ...] = ("text", "doc", "image", "video", "audio", "code")
STATS_PERIODS: tuple[str, ...] = ("week", "month")
TOP_PERIODS: tuple[str, ...] = ("week", "month", "all")
ME_ACTIONS: tuple[str, ...] = (
    "show",
    "export",
    "forget",
    "forget confirm",
    "nudges on",
    "nudges off",
    "lang fr",
    "lang en",
    "leaderboard on",
    "leaderboard off",
)
SETTING_KEYS: tuple[str, ...] = (
    "lang",
    "timezone",
    "green_max",
    "orange_max",
    "summary_channel",
    "store_prompts",
    "zone",
    "weekly_day",
    "weekly_time",
    "monthly_day",
    "monthly_time",
    "name",
)
TEAM_ACTIONS: tuple[str, ...] = ("join", "leave", "list", "map", "unmap")
REPORT_FORMATS: tuple[str, ...] = ("html", "csv")


@dataclass(frozen=True)
class Argument:
    """One argument of a command, in the order the text grammar reads them."""

    name: str
    type: str  # "choice" | "int" | "word" | "text" | "flag"
    required: bool = False
    choices: tuple[str, ...] = ()
    min: int | None = None
    max: int | None = None


@dataclass(frozen=True)
class Command:
    """A command as every front-end exposes it."""

    name: str  # without the slash: "ia-log"
    args: tuple[Argument, ...] = ()
    admin_only: bool = False
    personal: bool = True  # replies are private unless the member asks for "public"


_PUBLIC = Argument("public", "flag")

CATALOGUE: tuple[Command, ...] = (
    Command(
        "ia-log",
        (
            Argument("kind", "choice", required=True, choices=KINDS),
            Argument("count", "int", min=1, max=50),
            Argument("tool", "word"),
            Argument("prompt", "text"),
        ),
    ),
    Command(
        "ia-avoid",
        (
            Argument("kind", "choice", required=True, choices=KINDS),
            Argument("count", "int", min=1, max=50),
            Argument("how", "text"),
        ),
    ),
    Command("ia-score", (Argument("prompt", "text", required=True),)),
    Command("ia-stats", (Argument("period", "choice", choices=STATS_PERIODS), _PUBLIC)),
    Command("ia-top", (Argument("period", "choice", choices=TOP_PERIODS), _PUBLIC)),
    Command("ia-undo"),
    Command("ia-me", (Argument("action", "choice", choices=ME_ACTIONS),)),
    Command("ia-team", (Argument("action", "choice", choices=TEAM_ACTIONS), Argument("name", "text"))),
    Command(
        "ia-settings",
        (Argument("key", "choice", choices=SETTING_KEYS), Argument("value", "text")),
        admin_only=True,
    ),
    Command(
        "ia-report",
        (Argument("period", "word"), Argument("format", "choice", choices=REPORT_FORMATS)),
        admin_only=True,
    ),
    Command("ia-help", (Argument("topic", "word"),)),
)

BY_NAME: dict[str, Command] = {c.name: c for c in CATALOGUE}


def find(name: str) -> Command | None:
    """The command called `name` (with or without its leading slash), if any."""
    return BY_NAME.get(name.strip().lstrip("/").lower())
