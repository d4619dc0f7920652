"""The engine's `Reply` as a Teams Adaptive Card (built with the Teams SDK's own card models).

The card shows what the console shows, in the same order (`adapters.console.render_text`):
the title, the lines, the facts (a FactSet), the RCT score and its parts, the
zone's line, the attached chart, the footer; and the reply's buttons as
`Action.Submit` whose data names the coach action ({"sobria": action, "value": …}).
Teams sends a pressed Action.Submit back as a message activity carrying that
data in `value`, which the adapter hands to `Coach.action`; Action.Submit
rather than Action.Execute because the answer is a new message (private or
public, as the engine decides), not a refreshed card.

Every text is the engine's plain text, which may quote the member (a prompt,
a display name): TextBlocks read Markdown, so each character Markdown gives a
meaning to is escaped with a backslash, and a line that would start a list
or a heading is escaped at its start. Cards carry no mention entities, so
`<at>…</at>` typed by a member is shown as typed (its brackets escaped) and notifies nobody.

Images: a PNG attachment (the monthly chart) is inlined as a data URI, which
Teams renders in bot cards, as long as the whole message stays under Teams'
limit for a bot message (about 28 KB, https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/format-your-bot-messages):
a chart of about 36 KB is saved again with 64 colours (about 11 KB) to fit.
One that still does not fit, and other files (exports, reports), are named with a 📎 line,
as the console does: Teams accepts files from a bot only through a consent
card and the member's OneDrive, which Sobria does not ask for.
"""

from __future__ import annotations

import base64
import io
import re
from typing import Any

from microsoft_teams.cards import (
    AdaptiveCard,
    Fact,
    FactSet,
    Image,
    SubmitAction,
    TextBlock,
)

from PIL import Image as PILImage

from bot.core.reply import Reply

ACTION_KEY = "sobria"  # the key of an Action.Submit's data that names the coach action
MAX_INLINE_IMAGE_BYTES = 20_000  # a chart larger than this would push the message past Teams' ~28 KB
CARD_VERSION = "1.5"  # what Teams renders on desktop, web and mobile

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+!|~<>])")
_LINE_START = re.compile(r"^(\s*)([-+*]|\d+[.)])(\s)", re.MULTILINE)
_STYLES = {"primary": "positive", "danger": "destructive"}


def escape(text: str) -> str:
    """Plain text that a TextBlock shows as written: every character Markdown reads (and `<`, `>`) escaped."""
    text = _MARKDOWN.sub(r"\\\1", text)
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2) + m.group(3), text)


def _block(text: str, **style: Any) -> TextBlock:
    return TextBlock(text=escape(text), wrap=True, **style)


def fit_png(png: bytes, limit: int = MAX_INLINE_IMAGE_BYTES) -> bytes | None:
    """`png` if it fits in `limit` bytes, else the same picture with fewer colours (Pillow's quantizer: a chart
    has a handful of flat colours, so 64 lose nothing visible and divide its size by three), else None."""
    if len(png) <= limit:
        return png
    try:
        picture = PILImage.open(io.BytesIO(png)).convert("RGB")
    except (OSError, ValueError):
        return None
    for colours in (64, 32, 16):
        out = io.BytesIO()
        picture.quantize(colors=colours).save(out, format="PNG", optimize=True)
        if out.tell() <= limit:
            return out.getvalue()
    return None


def _image(reply: Reply) -> tuple[list[Any], list[str]]:
    """The card's image elements and the 📎 lines of the attachments not shown."""
    images: list[Any] = []
    named: list[str] = []
    for att in reply.attachments:
        png = fit_png(att.content) if att.mime == "image/png" else None
        if png is not None:
            url = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
            images.append(Image(url=url, alt_text=att.filename))
        else:
            named.append(f"📎 {att.filename}")
    return images, named


def card(reply: Reply) -> AdaptiveCard:
    """The Adaptive Card of `reply`; see the module docstring."""
    body: list[Any] = [_block(reply.title, weight="Bolder", size="Medium")]
    body += [_block(line) for line in reply.lines]
    if reply.facts:
        body.append(FactSet(facts=[Fact(title=escape(f.label), value=escape(f.value)) for f in reply.facts]))
    if reply.rct:
        r = reply.rct
        if r.summary:
            body.append(_block(r.summary))
        for part in r.parts:
            mark = "✅" if part.present else ("➖" if part.optional else "❌")
            body.append(_block(f"{mark} {part.label}" + (f" — {part.hint}" if part.hint else "")))
        if r.rewrite:
            body.append(_block(r.rewrite, font_type="Monospace"))
        body += [_block(note, is_subtle=True) for note in r.notes]
    if reply.zone_text:
        body.append(_block(reply.zone_line()))
    images, named = _image(reply)
    body += images
    body += [_block(line) for line in named]
    if reply.footer:
        body.append(_block(reply.footer, is_subtle=True, size="Small"))
    actions = [
        SubmitAction(title=b.label, style=_STYLES.get(b.style), data={ACTION_KEY: b.action, "value": b.value})
        for b in reply.buttons
    ]
    return AdaptiveCard(version=CARD_VERSION, body=body, actions=actions or None)


def card_json(reply: Reply) -> dict[str, Any]:
    """The card as Teams receives it (camelCase keys, nothing unset)."""
    return card(reply).model_dump(by_alias=True, exclude_none=True)


def pressed(value: Any) -> tuple[str, str] | None:
    """The (action, value) of a pressed Action.Submit of ours, from a message activity's `value`; None otherwise."""
    if not isinstance(value, dict):
        return None
    action, data = value.get(ACTION_KEY), value.get("value", "")
    if not isinstance(action, str) or not action or not isinstance(data, str):
        return None
    return action[:40], data[:200]
