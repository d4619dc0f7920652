"""Sobria's commands: one module each, holding its declaration, its parsing and its handler.

`CATALOGUE` lists them in the order `/ia-help` shows them. Adding a command
means adding a module here (a `COMMAND` built from `bot.core.command`), its
line below, and its words in `templates/commands.toml`; help, the
Slack manifest, the Discord command tree, the grammar and the dispatch follow.
"""

from __future__ import annotations

from typing import Any

from bot.commands import avoid, help, log, me, report, score, settings, stats, team, top, undo
from bot.core.command import Catalogue
from bot.core.config import Config
from bot.core.grammar import UsageError

CATALOGUE = Catalogue((
    log.COMMAND,
    avoid.COMMAND,
    score.COMMAND,
    stats.COMMAND,
    top.COMMAND,
    undo.COMMAND,
    me.COMMAND,
    team.COMMAND,
    settings.COMMAND,
    report.COMMAND,
    help.COMMAND,
))


def parse(name: str, text: str, cfg: Config) -> Any:
    """The typed request of command `name` for `text` (tests, tools). Raises UsageError."""
    command = CATALOGUE.find(name)
    if command is None:
        raise UsageError("ia-help", "unknown_command", {"word": name[:40]})
    return command.read(text, cfg)
