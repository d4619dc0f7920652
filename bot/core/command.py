"""What a command is: its typed arguments, its parser, its handler; and the catalogue of them.

Each command module of `bot/commands/` declares one `Command` with these
types, and everything else derives from that declaration: the text grammar
(`bot.core.grammar.parse_declared`, or the command's own `parse` for the few
with sub-commands), the dispatch (`Coach.handle` calls `command.handle`),
`/ia-help`, the Slack manifest and the Discord command tree. The words
(summary, usage, example, argument help) are in
`templates/commands.toml`, under the command's name (translated by the catalogues).

The types live in the core, apart from the commands themselves, so that the
engine's services and the adapters can speak of "a command" without importing
any particular one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Callable, Iterator, Literal

if TYPE_CHECKING:
    from bot.core.config import Config
    from bot.core.grammar import Declared
    from bot.core.reply import Reply
    from bot.core.services import Ctx, Services

ArgType = Literal["kind", "count", "tool", "period", "choice", "flag", "word", "text"]
"""How an argument is read and shown.

- kind: a generation kind (text, doc, image, …) in French or English;
- count: a whole number from 1 to `[limits] max_count`;
- tool: a tool name from `[tools]` (ChatGPT, Midjourney…);
- period: a period word (week, mois…) among `choices`;
- choice: one of `choices` (a sub-command or a setting's name);
- flag: present or absent ("public");
- word: one free word;
- text: the rest of the text, as typed.
"""


@dataclass(frozen=True)
class Argument:
    """One argument of a command, in the order the text grammar reads them."""

    name: str
    type: ArgType
    required: bool = False
    choices: tuple[str, ...] = ()
    default: str | None = None  # for a period or a choice: the value when none is typed

    def bounds(self, config: "Config") -> tuple[int | None, int | None]:
        """The smallest and largest value a front-end may offer (counts only; limits come from the config)."""
        if self.type == "count":
            return 1, config.limits.max_count
        return None, None


Parser = Callable[[str, "Config"], Any]
Handler = Callable[["Services", Any, "Ctx"], "Reply"]


@dataclass(frozen=True)
class Command:
    """A command as every front-end exposes it; see the module docstring."""

    name: str  # without the slash: "ia-log"
    handle: Handler
    args: tuple[Argument, ...] = ()
    parse: Parser | None = None  # None: read the declared arguments with `grammar.parse_declared`…
    request: Callable[..., Any] = dict  # …and build the handler's request from them, by argument name
    admin_only: bool = False
    personal: bool = True  # replies are private unless the member asks for "public"
    rate_limited: bool = False  # counts against `[limits] logs_per_minute`
    reads_week: bool = False  # a rate-limited handler that reads the member's week: read with the context (Ctx.week)

    @cached_property
    def declared(self) -> "Declared":
        """The text grammar of the declared arguments (`grammar.Declared`), worked out at the first reading."""
        from bot.core import grammar

        return grammar.declared(self)

    def read(self, text: str, config: "Config") -> Any:
        """The typed request for `text` (what the member typed after the command). Raises UsageError."""
        from bot.core import grammar

        text = grammar.check_text(self.name, text or "", config)
        if self.parse is not None:
            return self.parse(text, config)
        return self.request(**grammar.parse_declared(self, text, config))


class Catalogue:
    """The commands, in the order help lists them; looked up by name with or without the slash."""

    def __init__(self, commands: tuple[Command, ...]) -> None:
        self.commands = commands
        self.by_name = {c.name: c for c in commands}
        if len(self.by_name) != len(commands):
            raise ValueError("two commands share a name")

    def __iter__(self) -> Iterator[Command]:
        return iter(self.commands)

    def __len__(self) -> int:
        return len(self.commands)

    def __getitem__(self, name: str) -> Command:
        return self.by_name[name]

    def find(self, name: str) -> Command | None:
        """The command called `name` (with or without its leading slash, any case), if any."""
        return self.by_name.get(name.strip().lstrip("/").lower())

    def names(self) -> list[str]:
        return [c.name for c in self.commands]

    def adding(self, command: Command) -> "Catalogue":
        """A new catalogue with one more command (extensions, tests)."""
        return Catalogue((*self.commands, command))
