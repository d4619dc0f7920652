"""The seam between the engine and a front-end: what every adapter (console, Slack, Discord) provides.

An adapter turns a platform's requests into `Coach` calls and the `Reply`
back into the platform's format; the command line starts it, the summary
scheduler posts through it. Written as a `Protocol` so that adapters need not
inherit from anything, and the scheduler and the command line are
type-checked against one definition instead of probing objects for methods.
"""

from __future__ import annotations

import threading
from typing import Protocol

from bot.core.reply import Reply


class Adapter(Protocol):
    """A running front-end.

    `ready` is set while the adapter is connected (or listening) and cleared
    when it is not: nothing is claimed for posting until an adapter is ready.
    `sends_direct` says whether `send_direct` can reach a member at all (the
    console cannot), so the scheduler only claims personal nudges it can send.
    """

    ready: threading.Event
    sends_direct: bool

    def run_forever(self) -> None:
        """Start and serve until `stop` (blocks the calling thread)."""

    def stop(self) -> None:
        """Stop serving; safe to call more than once and from another thread."""

    def serves(self, workspace_id: str) -> bool:
        """Whether `workspace_id` is one of this adapter's (a Discord adapter is offered no Slack workspace)."""

    def post_to_channel(self, workspace_id: str, channel_id: str, reply: Reply) -> bool:
        """Post `reply` in a channel of the workspace; False when the platform refused it."""

    def send_direct(self, workspace_id: str, user_id: str, reply: Reply) -> bool:
        """Send `reply` to one member privately; False when the platform refused it."""
