"""/ia-help: every command with an example, one command in detail, or where the figures come from.

`/ia-help methode` fits a screen (what is counted, the energy per kind, the
grid, the equivalents, the article's rules) and says where the whole method
is; `/ia-help sources` gives that whole method in chat, every factor with its
range and sources, as the CSR report and docs/methodology.md do.

The list is the catalogue's, so a new command appears here by being declared.
Wording: `templates/help.j2`, `methodology.j2` and `commands.toml`.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.command import Argument, Command
from bot.core.config import Config
from bot.core.grammar import UsageError, fold
from bot.core.reply import Fact, Reply
from bot.core.services import Ctx, Services, paragraphs
from bot.impact.view import method_summary_lines, methodology_lines

NAME = "ia-help"
METHOD = "method"
SOURCES = "sources"
TOPICS = {"methode": METHOD, "method": METHOD, "methodology": METHOD, "methodologie": METHOD,
          "sources": SOURCES, "source": SOURCES}


@dataclass(frozen=True)
class HelpRequest:
    topic: str | None  # None (every command), "method", "sources", or a command's name


def parse(text: str, cfg: Config) -> HelpRequest:
    """The topic: a command's name with or without "ia-" and the slash, or the methodology."""
    tokens = text.split()
    if not tokens:
        return HelpRequest(None)
    word = fold(tokens[0]).lstrip("/")
    if word in TOPICS:
        return HelpRequest(TOPICS[word])
    name = word if word.startswith("ia-") else "ia-" + word
    return HelpRequest(name)


def handle(s: Services, req: HelpRequest, ctx: Ctx) -> Reply:
    m = s.words(ctx.lang, "help")
    words = s.r.data(ctx.lang, "commands")
    if req.topic == METHOD:
        return Reply(kind="help_method", title=m("method_title"), lines=method_summary_lines(s.r, ctx.lang, s.impact),
                     lang=ctx.lang)
    if req.topic == SOURCES:
        return Reply(kind="help_sources", title=m("method_title"), lines=methodology_lines(s.r, ctx.lang, s.impact),
                     lang=ctx.lang)
    if req.topic:
        command = s.catalogue.find(req.topic)
        if command is None:
            return s.usage_error(ctx, NAME, "unknown_topic", {"word": req.topic.removeprefix("ia-")[:40]})
        entry = words[command.name]
        return Reply(kind="help_command", title=m("command_title", command.name, entry["summary"]),
                     lines=paragraphs(m("command", command.name, entry)), lang=ctx.lang)
    admin = s.is_admin(ctx.sender)
    facts = tuple(
        Fact(f"/{c.name} {words[c.name]['usage']}".strip(), m("entry", words[c.name]))
        for c in s.catalogue if admin or not c.admin_only
    )
    return Reply(kind="help", title=m("title"), lines=paragraphs(m("intro")), facts=facts, lang=ctx.lang,
                 footer=m("footer", s.impact.factors_version))


COMMAND = Command(NAME, handle, (Argument("topic", "word"),), parse=parse)
