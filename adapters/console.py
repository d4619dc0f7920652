"""The console front-end: the reference rendering of a Reply, and the test backend.

Interactive on a terminal (a `sobria>` prompt); when standard input is not a
terminal it reads one command per line until end of input, so that
`printf '/ia-log image 2\\n/ia-stats\\n' | sobria run` prints two replies.
"""

from __future__ import annotations

import getpass
import logging
import os
import re
import sys
import threading
from pathlib import Path
from typing import TextIO

from bot.core.coach import Coach
from bot.core.config import Config
from bot.core.identity import Sender
from bot.core.reply import Reply
from bot.store.exports import exports_dir, write_private

CONSOLE_WORKSPACE = "console"
log = logging.getLogger(__name__)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")


def clean(text: str) -> str:
    """Remove control characters (terminal escape sequences) from text that may hold user input."""
    return _CONTROL.sub("", text)


def render_text(reply: Reply, saved: dict[str, Path] | None = None) -> str:
    """A Reply as plain text, the way every front-end's content is checked.

    A zone's colour goes only before the sentence about the zone (`zone_text`),
    never before a title, so that a colour always means the zone. Buttons are
    not printed: a terminal cannot press them, and each one's action has a
    command of its own (/ia-undo, /ia-score, /ia-stats, /ia-me).
    `saved` maps attachment names to where the console wrote them.
    """
    out: list[str] = [reply.title, *reply.lines]
    for fact in reply.facts:
        out.append(f"  • {fact.label} : {fact.value}" if reply.lang == "fr" else f"  • {fact.label}: {fact.value}")
    if reply.rct:
        r = reply.rct
        if r.summary:
            out.append(r.summary)
        for part in r.parts:
            mark = "✅" if part.present else ("➖" if part.optional else "❌")
            out.append(f"  {mark} {part.label}" + (f" — {part.hint}" if part.hint else ""))
        if r.rewrite:
            out.append(r.rewrite)
        out += list(r.notes)
    if reply.zone_text:
        out.append(reply.zone_line())
    for att in reply.attachments:
        out.append(f"📎 {(saved or {}).get(att.filename, att.filename)}")
    if reply.footer:
        out.append(reply.footer)
    return clean("\n".join(out))


def split_command(line: str) -> tuple[str, str]:
    """"/ia-log image 2" → ("ia-log", "image 2")."""
    line = line.strip()
    name, _, rest = line.partition(" ")
    return name.lstrip("/"), rest.strip()


class ConsoleAdapter:
    """Reads commands from a stream and prints the replies (an `Adapter`: summaries posted to it are printed)."""

    sends_direct = False  # one person at one terminal: personal nudges are for chat platforms

    def __init__(
        self,
        coach: Coach,
        config: Config,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        sender: Sender | None = None,
        export_dir: Path | None = None,
    ) -> None:
        self.coach = coach
        self.config = config
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        user = _login()
        self.sender = sender or Sender(CONSOLE_WORKSPACE, user, user, "console", is_admin=True)
        self.export_dir = export_dir or exports_dir(config.data_dir)
        self._stopped = False
        self.ready = threading.Event()

    def handle_line(self, line: str) -> str | None:
        """The printed answer to one input line (None for blank lines and comments)."""
        line = line.strip()
        if not line or line.startswith("#"):
            return None
        name, text = split_command(line)
        reply = self.coach.handle(name, text, self.sender)
        return render_text(reply, self._save_attachments(reply))

    def _save_attachments(self, reply: Reply) -> dict[str, Path]:
        """Write the reply's files where the member can pick them up, readable by them only (0600; the
        upkeep deletes them after a day). A file that cannot be written is named by one sentence saying
        what to do, in place of its path: the console goes on."""
        saved: dict[str, Path | str] = {}
        for att in reply.attachments:
            try:
                saved[att.filename] = write_private(self.export_dir, att.filename, att.content)
            except OSError as exc:
                log.warning("could not write %s in %s: %s", att.filename, self.export_dir, exc)
                saved[att.filename] = self.coach.r.macro(reply.lang or self.config.lang, "cli", "say")(
                    "export_not_written", {"dir": self.export_dir, "error": exc.strerror or exc})
        return saved  # type: ignore[return-value]

    def run_forever(self) -> None:
        interactive = self.stdin.isatty()
        self.ready.set()
        while not self._stopped:
            if interactive:
                self.stdout.write("sobria> ")
                self.stdout.flush()
            line = self.stdin.readline()
            if not line:
                break
            if line.strip() in ("quit", "exit", "/quit", "/exit"):
                break
            answer = self.handle_line(line)
            if answer is not None:
                self.stdout.write(answer + "\n\n")
                self.stdout.flush()

        self.ready.clear()

    def stop(self) -> None:
        self._stopped = True

    def serves(self, workspace_id: str) -> bool:
        return workspace_id == self.sender.workspace_id

    def post_to_channel(self, workspace_id: str, channel_id: str, reply: Reply) -> bool:
        self.stdout.write(render_text(reply, self._save_attachments(reply)) + "\n\n")
        self.stdout.flush()
        return True

    def send_direct(self, workspace_id: str, user_id: str, reply: Reply) -> bool:
        return False


def _login() -> str:
    try:
        return os.environ.get("USER") or getpass.getuser() or "console"
    except Exception:
        return "console"
