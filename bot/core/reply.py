"""The engine's answer to a command, as plain data.

Every front-end (console, Slack, Discord) receives the same `Reply` and maps
it to its own format: plain text, Block Kit or an embed. Texts are already in
the member's language (rendered from `templates/`), and they are *plain text*:
no platform markup. Each adapter escapes them for its platform, which is how
user text echoed back (a prompt, a display name) can never ping anyone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.zones import ZONE_EMOJI


@dataclass(frozen=True)
class Fact:
    """One labelled figure, e.g. ("Énergie", "≈ 6 Wh (1 à 24)")."""

    label: str
    value: str


@dataclass(frozen=True)
class RctPart:
    """One RCT component as shown to the member (✅ present / ❌ missing)."""

    key: str  # "role" | "context" | "task" | "format"
    label: str  # localised name of the part
    present: bool
    hint: str = ""  # localised advice when missing or vague; empty otherwise
    optional: bool = False  # format is a bonus, never required


@dataclass(frozen=True)
class RctView:
    """An RCT score rendered for display."""

    score: int  # 0..100
    band: str  # "precise" | "incomplete" | "vague"
    verdict: str  # localised band label
    parts: tuple[RctPart, ...]
    rewrite: str = ""  # suggested skeleton rewrite, empty when the prompt is precise
    notes: tuple[str, ...] = ()  # e.g. "scored on the first 4,000 characters"
    # The one score line every front-end shows as is (« Score RCT : 60/100 (à compléter) »), worded by the
    # engine so that a reply never states the score twice in two forms; empty when the reply's title already
    # is that line (/ia-score).
    summary: str = ""


@dataclass(frozen=True)
class Button:
    """An interactive action attached to a reply (Slack button, Discord button)."""

    action: str  # "undo" | "details" | "improve" | "pref"
    label: str
    value: str = ""
    style: str = "default"  # "default" | "primary" | "danger"


@dataclass(frozen=True)
class Attachment:
    """A file sent with a reply (a data export, a chart, a report)."""

    filename: str
    content: bytes
    mime: str


@dataclass(frozen=True)
class Reply:
    """What the coach answers; see the module docstring."""

    kind: str  # machine name: "logged", "avoided", "score", "stats", "top", "error", ...
    title: str
    lines: tuple[str, ...] = ()
    facts: tuple[Fact, ...] = ()
    zone: str | None = None  # "green" | "orange" | "red"
    zone_text: str = ""
    rct: RctView | None = None
    buttons: tuple[Button, ...] = ()
    public: bool = False
    attachments: tuple[Attachment, ...] = ()
    footer: str = ""
    ok: bool = True
    lang: str = "fr"
    data: dict = field(default_factory=dict, compare=False)

    def zone_line(self) -> str:
        """The zone's colour emoji and the engine's sentence about the zone (plain, unescaped); nothing without
        that sentence, so that a colour always sits with the words it stands for. Every front-end shows this."""
        if not self.zone_text:
            return ""
        return " ".join(part for part in (ZONE_EMOJI.get(self.zone or "", ""), self.zone_text) if part)

    def text_parts(self) -> list[str]:
        """Every user-visible string of the reply, for tests and plain-text rendering."""
        out = [self.title, *self.lines]
        out += [f"{f.label}: {f.value}" for f in self.facts]
        if self.zone_text:
            out.append(self.zone_text)
        if self.rct:
            out.append(self.rct.summary or self.rct.verdict)
            out += [p.label for p in self.rct.parts] + [p.hint for p in self.rct.parts if p.hint]
            if self.rct.rewrite:
                out.append(self.rct.rewrite)
            out += list(self.rct.notes)
        out += [b.label for b in self.buttons]
        if self.footer:
            out.append(self.footer)
        return out
