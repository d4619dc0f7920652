"""The coach: every front-end's one entry point into the engine.

`Coach.handle(command, text, sender)` is called by every front-end with the
text the member typed, and returns a `Reply` (plain data, already worded in
the member's language). It finds the command in the catalogue, checks who may
run it, reads the text by the command's declaration and calls the command's
handler (`bot/commands/<name>.py`). It never raises: bad input gets a usage
reply, a failed write gets "not saved, try again", anything unexpected gets a
polite error while the details go to the log.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Callable

from bot import metrics
from bot.commands import CATALOGUE, log as log_command, me, score, stats, undo
from bot.core.command import Catalogue
from bot.core.config import Config
from bot.core.errors import StoreWriteError
from bot.core.grammar import UsageError
from bot.core.identity import Delivery, Sender
from bot.core.render import Renderer
from bot.core.reply import Reply
from bot.core.services import Ctx, Services
from bot.habits import quick
from bot.impact.model import ImpactModel
from bot.store import Store

log = logging.getLogger(__name__)


class Coach(Services):
    """See the module docstring; the shared parts handed to each command are those of `Services`."""

    def __init__(
        self,
        config: Config,
        store: Store,
        clock: Callable[[], float] | None = None,
        renderer: Renderer | None = None,
        impact: ImpactModel | None = None,
        catalogue: Catalogue = CATALOGUE,
    ) -> None:
        super().__init__(config, store, catalogue, renderer or Renderer(),
                         impact or ImpactModel.from_config(config.impact), clock)

    def handle(self, command: str, text: str, sender: Sender, delivery: Delivery | None = None) -> Reply:
        """Run one command; see the module docstring. Counted by name and outcome (bot/metrics.py). `delivery`:
        how the platform delivered it, when the platform may send it again (a log is then stored once)."""
        reply = self._handle(command, text, sender, delivery)
        found = self.catalogue.find((command or "").strip().lstrip("/").lower())
        metrics.count_command(found.name if found else None, reply)
        return reply

    def _handle(self, command: str, text: str, sender: Sender, delivery: Delivery | None = None) -> Reply:
        name = (command or "").strip().lstrip("/").lower()
        ctx: Ctx | None = None
        try:
            cmd = self.catalogue.find(name)
            if cmd is None:
                ctx = self.context(sender)
                return self.usage_error(ctx, "ia-help", "unknown_command", {"word": name[:40]})
            if cmd.admin_only and not self.is_admin(sender):
                return self.notice("admin_only", self.context(sender).lang)
            request = cmd.read(text, self.cfg)  # read before the burst check: a mistyped command is not a hit
            if cmd.rate_limited:  # the burst check comes with the context's read (one round trip on PostgreSQL)
                ctx, admitted = self.context_admitting(sender, week=cmd.reads_week)
                if not admitted:
                    return self.notice("rate_limited", ctx.lang)
            else:
                ctx = self.context(sender)
            if delivery is not None:
                ctx = replace(ctx, delivery=delivery)
            return cmd.handle(self, request, ctx)
        except UsageError as exc:
            ctx = ctx or self.context(sender)  # a command that did not parse has no context yet
            return self.usage_error(ctx, exc.command, exc.key, exc.params)
        except StoreWriteError as exc:
            log.warning("write refused for workspace %s: %s", sender.workspace_id, exc)
            return self.notice("not_saved", ctx.lang if ctx else sender.locale)
        except Exception:
            log.exception("command %r failed for workspace %s", name, sender.workspace_id)
            return self.notice("internal_error", ctx.lang if ctx else sender.locale)

    def action(self, action: str, value: str, sender: Sender, delivery: Delivery | None = None) -> Reply:
        """A button press: "undo", "details" or "improve" with an event id, "pref" with an /ia-me argument,
        "quick" with what a one-click logging button logs (`bot.habits.buttons`); `delivery` as for `handle`."""
        ctx: Ctx | None = None
        try:
            if action == "quick":  # logs like /ia-log: the burst check rides in the context's read
                ctx, admitted = self.context_admitting(sender)
                if delivery is not None:
                    ctx = replace(ctx, delivery=delivery)
                return quick.click(self, ctx, value) if admitted else self.notice("rate_limited", ctx.lang)
            ctx = self.context(sender)
            if action == "undo":
                return undo.handle(self, None, ctx, event_id=value)
            if action == "details":
                return log_command.details(self, ctx, value)
            if action == "improve":
                return score.improve(self, ctx, value)
            if action == "pref":
                return self.handle(me.NAME, value, sender)
            return self.usage_error(ctx, "ia-help", "unknown_command", {"word": action[:40]})
        except StoreWriteError:
            return self.notice("not_saved", ctx.lang if ctx else sender.locale)
        except Exception:
            log.exception("action %r failed for workspace %s", action, sender.workspace_id)
            return self.notice("internal_error", ctx.lang if ctx else sender.locale)

    def home(self, sender: Sender) -> Reply:
        """The member's week and month at a glance, with preference buttons (Slack App Home)."""
        ctx: Ctx | None = None
        try:
            ctx = self.context(sender)
            return stats.home(self, ctx)
        except Exception:
            log.exception("home view failed for workspace %s", sender.workspace_id)
            return self.notice("internal_error", ctx.lang if ctx else sender.locale)
