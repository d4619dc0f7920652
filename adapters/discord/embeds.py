"""Reply → Discord embed, buttons and files, and the escaping that keeps echoed text harmless.

The engine hands over plain text. Discord reads `*`, `_`, `~`, `` ` ``, `|`,
`>` and `#` at a line start and `[label](url)` as markdown, and `@everyone`,
`@here` or `<@123…>` as mentions; a prompt or a display name echoed back must
do neither. Every string is therefore escaped here on its way out, and every
message is sent with `NO_MENTIONS` so that even a string that slipped through
could not ping anyone. Nothing in this module chooses words: it only places
the Reply's strings into an embed and keeps them within Discord's size limits
(an embed Discord rejects would lose the whole answer).
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field

import discord
from discord import ui
from discord.utils import escape_markdown, escape_mentions

from bot.core.reply import Button, RctView, Reply

log = logging.getLogger(__name__)

ZONE_COLOUR: dict[str, discord.Colour] = {
    "green": discord.Colour.green(),
    "orange": discord.Colour.orange(),
    "red": discord.Colour.red(),
}
PRESENT, MISSING = "✅", "❌"
ACTION_PREFIX = "sobria:"
ELLIPSIS = "…"

# Discord's limits (discord.com/developers/docs/resources/message#embed-object-embed-limits and
# .../interactions/message-components); one value over a limit makes Discord refuse the message.
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
EMBED_TOTAL_MAX = 6000
BUTTON_LABEL_MAX = 80
CUSTOM_ID_MAX = 100
COMPONENTS_MAX = 25

NO_MENTIONS = discord.AllowedMentions.none()

_SAFE_FILENAME = re.compile(r"[A-Za-z0-9_.-]{1,100}")  # what `attachment://` references accept
_BUTTON_STYLES = {"primary": discord.ButtonStyle.primary, "danger": discord.ButtonStyle.danger}


def escape(text: str) -> str:
    """Neutralise markdown and mentions so `text` shows exactly as typed and pings no one."""
    return escape_mentions(escape_markdown(text))


def fit(text: str, limit: int, *, escaper=escape) -> str:
    """Escape `text` and shorten it so the *escaped* form stays within `limit` characters.

    The raw text is cut (never the escaped one), so an escape is never split in
    half and no stray backslash eats the ellipsis. Escaping is not a per-character
    mapping (line starts and links matter), hence the search on the raw prefix.
    """
    escaped = escaper(text)
    if len(escaped) <= limit:
        return escaped
    budget = limit - len(ELLIPSIS)
    low, high = 0, len(text)
    while low < high:  # the longest raw prefix whose escaped form fits the budget
        mid = (low + high + 1) // 2
        if len(escaper(text[:mid].rstrip())) <= budget:
            low = mid
        else:
            high = mid - 1
    return escaper(text[:low].rstrip()) + ELLIPSIS


def rct_text(rct: RctView) -> str:
    """An RCT view as escaped markdown: the engine's score line (when the title is not already it), then
    ✅/❌ parts, rewrite and notes."""
    out = [f"**{escape(rct.summary)}**"] if rct.summary else []
    for part in rct.parts:
        mark = PRESENT if part.present else MISSING
        label = escape(part.label)
        out.append(f"{mark} {label} — {escape(part.hint)}" if part.hint else f"{mark} {label}")
    if rct.rewrite:
        out.append("")
        out.append(escape(rct.rewrite))
    if rct.notes:
        out.append("")
        out += [f"*{escape(note)}*" for note in rct.notes]
    return "\n".join(out)


def _description(reply: Reply, limit: int) -> str:
    """Lines, zone and RCT, each block separated by a blank line, within `limit` characters."""
    blocks: list[str] = []
    if reply.lines:
        blocks.append("\n".join(escape(line) for line in reply.lines))
    zone = reply.zone_line()
    if zone:
        blocks.append(escape(zone))
    if reply.rct:
        blocks.append(rct_text(reply.rct))
    text = "\n\n".join(blocks)
    if len(text) <= limit:
        return text
    # Too long: rebuild from the plain parts so the cut never splits an escape.
    plain: list[str] = []
    if reply.lines:
        plain.append("\n".join(reply.lines))
    if zone:
        plain.append(zone)
    if reply.rct:
        if reply.rct.summary:
            plain.append(reply.rct.summary)
        plain.append("\n".join(
            f"{PRESENT if p.present else MISSING} {p.label}" + (f" — {p.hint}" if p.hint else "") for p in reply.rct.parts
        ))
        if reply.rct.rewrite:
            plain.append(reply.rct.rewrite)
    return fit("\n\n".join(plain), limit)


def zone_colour(zone: str | None) -> discord.Colour | None:
    """The embed colour of a zone; None (Discord's default) when the reply has no zone."""
    return ZONE_COLOUR.get(zone or "")


def build_embed(reply: Reply) -> discord.Embed:
    """The embed for `reply`: title, body, facts as fields, zone colour and footer."""
    embed = discord.Embed(title=fit(reply.title, TITLE_MAX) or None, colour=zone_colour(reply.zone))
    for fact in reply.facts[:FIELDS_MAX]:
        embed.add_field(name=fit(fact.label, FIELD_NAME_MAX) or ELLIPSIS, value=fit(fact.value, FIELD_VALUE_MAX) or ELLIPSIS,
                        inline=True)
    image = next((a for a in reply.attachments if a.mime.startswith("image/") and _SAFE_FILENAME.fullmatch(a.filename)), None)
    if image is not None:
        embed.set_image(url=f"attachment://{image.filename}")  # the chart shows inside the embed
    if reply.footer:
        # Footers render neither markdown nor mentions; only the length needs care.
        embed.set_footer(text=fit(reply.footer, FOOTER_MAX, escaper=escape_mentions))
    while len(embed) > EMBED_TOTAL_MAX - 1 and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    room = min(DESCRIPTION_MAX, EMBED_TOTAL_MAX - len(embed))
    description = _description(reply, room)
    if description:
        embed.description = description
    return embed


@dataclass(frozen=True)
class ButtonId:
    """What a Sobria button id says: the engine action, its value and, in a DM, the server it is about."""

    action: str
    value: str
    guild_id: int | None = None


def custom_id(action: str, value: str, guild_id: int | None = None) -> str:
    """`sobria:<action>:<value>`, or `sobria:<action>@<server>:<value>` on a message sent in a DM.

    Discord buttons carry a single id, so the value rides along. A button in a
    direct message (a weekly nudge) arrives without a server, hence the
    server id in the button itself.
    """
    where = f"@{guild_id}" if guild_id is not None else ""
    return f"{ACTION_PREFIX}{action}{where}:{value}"


def parse_custom_id(text: str) -> ButtonId | None:
    """The button id's parts, or None when it is not one of ours."""
    match = ActionButton.__discord_ui_compiled_template__.fullmatch(text)
    if match is None:
        return None
    return ButtonId(match["action"], match["value"], int(match["guild"]) if match["guild"] else None)


class ActionButton(ui.DynamicItem[ui.Button],
                   template=r"sobria:(?P<action>[a-z_]+)(?:@(?P<guild>[0-9]{1,20}))?:(?P<value>[^\n]*)"):
    """A Sobria button, answered from its id alone, so it keeps working after a restart.

    Pressing it dispatches the `sobria_action` event (interaction, ButtonId)
    on the client; the application module decides what to do with it.
    """

    def __init__(self, target: ButtonId, label: str = "", style: discord.ButtonStyle = discord.ButtonStyle.secondary) -> None:
        super().__init__(ui.Button(label=label or None, style=style,
                                   custom_id=custom_id(target.action, target.value, target.guild_id)))
        self.target = target

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: ui.Button, match: re.Match[str], /) -> "ActionButton":
        target = ButtonId(match["action"], match["value"], int(match["guild"]) if match["guild"] else None)
        return cls(target, item.label or "", item.style)

    async def callback(self, interaction: discord.Interaction) -> None:
        interaction.client.dispatch("sobria_action", interaction, self.target)


def _button(button: Button, guild_id: int | None) -> ActionButton | None:
    cid = custom_id(button.action, button.value, guild_id)
    if len(cid) > CUSTOM_ID_MAX or not ActionButton.__discord_ui_compiled_template__.fullmatch(cid):
        log.warning("button %r dropped: its id does not fit Discord's %d characters", button.action, CUSTOM_ID_MAX)
        return None
    label = fit(button.label, BUTTON_LABEL_MAX, escaper=str) or ELLIPSIS
    style = _BUTTON_STYLES.get(button.style, discord.ButtonStyle.secondary)
    return ActionButton(ButtonId(button.action, button.value, guild_id), label, style)


def build_view(reply: Reply, dm_guild_id: int | None = None) -> ui.View | None:
    """The reply's buttons, or None when it has none (`dm_guild_id`: the server, for a message sent in a DM).

    The view is stopped before it is returned: its buttons are answered by
    `ActionButton`, registered once on the client, so discord.py has nothing
    to remember per message (a stopped view is sent but never stored). Build
    it inside the running event loop, as discord.py requires for that.
    """
    items = [b for b in (_button(button, dm_guild_id) for button in reply.buttons[:COMPONENTS_MAX]) if b is not None]
    if not items:
        return None
    view = ui.View(timeout=None)
    for item in items:
        view.add_item(item)
    view.stop()
    return view


def build_files(reply: Reply) -> list[discord.File]:
    """Fresh file objects for the reply's attachments (a File can be sent only once)."""
    return [discord.File(io.BytesIO(a.content), filename=a.filename) for a in reply.attachments]


@dataclass
class Outgoing:
    """Everything needed to send one Reply on Discord."""

    embed: discord.Embed
    view: ui.View | None
    files: list[discord.File] = field(default_factory=list)
    ephemeral: bool = True


def render(reply: Reply, dm_guild_id: int | None = None) -> Outgoing:
    """Reply → embed, view, files and visibility (public replies are posted for the whole channel)."""
    return Outgoing(build_embed(reply), build_view(reply, dm_guild_id), build_files(reply), ephemeral=not reply.public)
