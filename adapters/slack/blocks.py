"""Reply → Slack Block Kit, and the escaping that keeps echoed text harmless.

The engine hands over plain text. Slack reads `&`, `<` and `>` as control
characters in every text object (that is how `<!channel>` or `<@U123>` ping
people), so each string is escaped here, on its way out, whatever its origin:
a template, a tool name, or a prompt the member typed. Nothing in this module
chooses words; it only places the Reply's strings into blocks and keeps them
within Block Kit's size limits (a block Slack rejects would lose the answer).
"""

from __future__ import annotations

from typing import Any

from bot.core.reply import Button, Reply, RctView

PRESENT, MISSING = "✅", "❌"
ACTION_PREFIX = "sobria:"

# Block Kit limits (api.slack.com reference); exceeding any of them makes Slack refuse the whole message.
HEADER_MAX = 150
TEXT_MAX = 3000
FIELD_MAX = 2000
FIELDS_PER_SECTION = 10
CONTEXT_ELEMENTS_MAX = 10
BUTTON_TEXT_MAX = 75
BUTTON_VALUE_MAX = 2000
BUTTONS_PER_BLOCK = 25
MESSAGE_BLOCKS_MAX = 50
HOME_BLOCKS_MAX = 100
FALLBACK_MAX = 3000
ELLIPSIS = "…"

_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))


def escape(text: str) -> str:
    """Escape the three characters Slack parses as markup (`&` first, so nothing is escaped twice)."""
    for raw, entity in _ESCAPES:
        text = text.replace(raw, entity)
    return text


def unescape(text: str) -> str:
    """Undo Slack's escaping of incoming command text, so the engine sees what the member typed.

    Slack sends `&`, `<` and `>` of a slash command's text as entities; decoding
    only those three (`&amp;` last) keeps any other `&...;` the member typed intact.
    """
    for raw, entity in reversed(_ESCAPES):
        text = text.replace(entity, raw)
    return text


def fit(text: str, limit: int) -> str:
    """Escape `text` and shorten it so the *escaped* form stays within `limit` characters.

    Cutting the raw text (never the escaped one) guarantees an entity is never
    split in half; an ellipsis shows that something was cut.
    """
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    budget = limit - len(ELLIPSIS)
    out: list[str] = []
    used = 0
    for char in text:
        piece = escape(char)
        if used + len(piece) > budget:
            break
        out.append(piece)
        used += len(piece)
    return "".join(out).rstrip() + ELLIPSIS


def _plain(text: str, limit: int = TEXT_MAX) -> dict[str, Any]:
    return {"type": "plain_text", "text": fit(text, limit), "emoji": True}


def _mrkdwn(escaped: str) -> dict[str, Any]:
    """A mrkdwn object from text that is already escaped (only our own `*` markup is added)."""
    return {"type": "mrkdwn", "text": escaped, "verbatim": True}


def _plain_sections(lines: list[str]) -> list[dict[str, Any]]:
    """Lines as plain-text sections, split so no section exceeds Slack's text limit."""
    blocks: list[dict[str, Any]] = []
    chunk: list[str] = []
    size = 0
    for line in lines:
        cost = len(escape(line)) + 1
        if chunk and size + cost > TEXT_MAX:
            blocks.append({"type": "section", "text": _plain("\n".join(chunk))})
            chunk, size = [], 0
        chunk.append(line)
        size += cost
    if chunk:
        blocks.append({"type": "section", "text": _plain("\n".join(chunk))})
    return blocks


def _fact_sections(reply: Reply) -> list[dict[str, Any]]:
    sections = []
    facts = list(reply.facts)
    for start in range(0, len(facts), FIELDS_PER_SECTION):
        fields = []
        for fact in facts[start : start + FIELDS_PER_SECTION]:
            label = fit(fact.label, FIELD_MAX // 2)
            value = fit(fact.value, FIELD_MAX - len(label) - 3)
            fields.append(_mrkdwn(f"*{label}*\n{value}"))
        sections.append({"type": "section", "fields": fields})
    return sections


def _rct_blocks(rct: RctView) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    if rct.summary:  # the engine's one score line; empty when the title already says it
        blocks.append({"type": "section", "text": _mrkdwn(f"*{fit(rct.summary, TEXT_MAX - 2)}*")})
    part_lines = []
    for part in rct.parts:
        mark = PRESENT if part.present else MISSING
        part_lines.append(f"{mark} {part.label} — {part.hint}" if part.hint else f"{mark} {part.label}")
    blocks += _plain_sections(part_lines)
    if rct.rewrite:
        blocks += _plain_sections(rct.rewrite.splitlines() or [rct.rewrite])
    if rct.notes:
        blocks.append(_context(list(rct.notes)))
    return blocks


def _context(texts: list[str]) -> dict[str, Any]:
    texts = texts[:CONTEXT_ELEMENTS_MAX]
    return {"type": "context", "elements": [_plain(t, FIELD_MAX) for t in texts]}


def action_id(action: str, index: int = 0) -> str:
    """`sobria:<action>`; a second button with the same action in one block gets `.2`, `.3`…

    Slack requires action ids to be unique within a block, and a preference
    panel has several "pref" buttons; the suffix keeps them apart while
    `parse_action_id` still reads the action.
    """
    return f"{ACTION_PREFIX}{action}" if index == 0 else f"{ACTION_PREFIX}{action}.{index + 1}"


def parse_action_id(value: str) -> str | None:
    """The engine action behind a Slack action id, or None when it is not one of ours."""
    if not value.startswith(ACTION_PREFIX):
        return None
    action = value[len(ACTION_PREFIX) :].split(".", 1)[0]
    return action or None


def _button(button: Button, index: int) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "action_id": action_id(button.action, index),
        "text": _plain(button.label, BUTTON_TEXT_MAX),
    }
    if button.value:
        element["value"] = button.value[:BUTTON_VALUE_MAX]
    if button.style in ("primary", "danger"):
        element["style"] = button.style
    return element


def _button_blocks(buttons: tuple[Button, ...]) -> list[dict[str, Any]]:
    blocks = []
    for start in range(0, len(buttons), BUTTONS_PER_BLOCK):
        seen: dict[str, int] = {}
        elements = []
        for button in buttons[start : start + BUTTONS_PER_BLOCK]:
            index = seen.get(button.action, 0)
            seen[button.action] = index + 1
            elements.append(_button(button, index))
        blocks.append({"type": "actions", "elements": elements})
    return blocks


def _body_and_tail(reply: Reply) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The reply's content blocks, and its trailing buttons and footer (which are never cut)."""
    body: list[dict[str, Any]] = []
    if reply.title:
        body.append({"type": "header", "text": _plain(reply.title, HEADER_MAX)})
    body += _plain_sections(list(reply.lines))
    body += _fact_sections(reply)
    zone = reply.zone_line()
    if zone:
        body.append({"type": "section", "text": _plain(zone)})
    if reply.rct:
        body += _rct_blocks(reply.rct)
    tail = _button_blocks(reply.buttons)
    if reply.footer:
        tail.append(_context([reply.footer]))
    return body, tail


def reply_blocks(reply: Reply, limit: int = MESSAGE_BLOCKS_MAX) -> list[dict[str, Any]]:
    """Every block of a reply in reading order, within `limit` blocks.

    When a reply is too long, content blocks are dropped from the end, never
    the buttons or the footer: an "Annuler" button must stay reachable.
    """
    body, tail = _body_and_tail(reply)
    return body[: max(0, limit - len(tail))] + tail[:limit]


def fallback_text(reply: Reply) -> str:
    """The notification text (shown in alerts and by screen readers): title, then the first line."""
    parts = [reply.title, *reply.lines[:1]]
    return fit(" — ".join(p for p in parts if p), FALLBACK_MAX)


def message(reply: Reply) -> dict[str, Any]:
    """`text` + `blocks` for chat.postMessage, chat.postEphemeral or a response_url."""
    return {"text": fallback_text(reply), "blocks": reply_blocks(reply, MESSAGE_BLOCKS_MAX)}


def home_view(home: Reply, notice: Reply | None = None) -> dict[str, Any]:
    """The App Home tab: an optional notice (the answer to a button just pressed), then the home reply."""
    blocks: list[dict[str, Any]] = []
    if notice is not None:
        blocks += reply_blocks(notice, HOME_BLOCKS_MAX // 2 - 1)
        blocks.append({"type": "divider"})
    blocks += reply_blocks(home, HOME_BLOCKS_MAX - len(blocks))
    return {"type": "home", "blocks": blocks}


def all_texts(payload: Any) -> list[str]:
    """Every string Slack will display from a payload (text objects and fallback), for safety checks."""
    found: list[str] = []
    if isinstance(payload, dict):
        for key, value in payload.items():
            if key == "text" and isinstance(value, str):
                found.append(value)
            else:
                found += all_texts(value)
    elif isinstance(payload, list):
        for item in payload:
            found += all_texts(item)
    return found
