"""Reply → embed: every string escaped, every Discord limit kept, buttons that survive a restart."""

from __future__ import annotations

from dataclasses import replace

import asyncio
import re

import discord
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.discord.embeds import (
    CUSTOM_ID_MAX,
    DESCRIPTION_MAX,
    EMBED_TOTAL_MAX,
    FIELD_NAME_MAX,
    FIELD_VALUE_MAX,
    FOOTER_MAX,
    NO_MENTIONS,
    TITLE_MAX,
    ActionButton,
    ButtonId,
    build_embed,
    build_files,
    custom_id,
    escape,
    fit,
    parse_custom_id,
    render,
)
from bot.core.reply import Attachment, Button, Fact, RctPart, RctView, Reply

PING = "@everyone <@123456789012345678> @here"


def _unescape(text: str) -> str:
    """What Discord displays for escaped text: backslash escapes and zero-width joiners removed."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        out.append(text[i])
        i += 1
    return "".join(out).replace("@\u200b", "@")


def test_escape_neutralises_mentions_and_markdown() -> None:
    shown = escape(f"{PING} **gras** _it_ `code` ||spoiler|| ~~barré~~")
    assert "@everyone" not in shown and "@here" not in shown and "<@123456789012345678>" not in shown
    assert "@\u200beveryone" in shown and "<@\u200b123456789012345678>" in shown
    for mark in ("**", "_it_", "`code`", "||", "~~"):
        assert mark not in shown
    assert _unescape(shown) == f"{PING} **gras** _it_ `code` ||spoiler|| ~~barré~~"


def test_line_start_markdown_is_escaped() -> None:
    shown = escape("# Titre\n> citation\n- puce\n[lien](https://exemple.fr)")
    assert not any(line.startswith(("#", ">", "-")) for line in shown.splitlines())
    assert re.search(r"(?<!\\)\[lien\]\(", shown) is None  # a masked link is shown, not followed


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab \\*_`~|>#-@[]()\n") + ["é", "🟢"]), max_size=300),
       st.integers(min_value=2, max_value=120))
def test_fit_never_exceeds_the_limit_nor_leaves_a_dangling_escape(text: str, limit: int) -> None:
    shown = fit(text, limit)
    assert len(shown) <= limit
    if shown.endswith("…") and escape(text) != shown:
        body = shown[:-1]
        trailing = len(body) - len(body.rstrip("\\"))
        assert trailing % 2 == 0  # an escape is never cut in half


def _full_reply(**overrides) -> Reply:
    base = dict(
        kind="logged",
        title="3 images notées",
        lines=("≈ 36 Wh (6 à 90)", "Belle semaine !"),
        facts=(Fact("Énergie", "≈ 36 Wh"), Fact("CO2e", "≈ 2 g"), Fact("Eau", "≈ 160 mL")),
        zone="orange",
        zone_text="Semaine en zone orange : 42 générations",
        rct=RctView(
            score=35, band="vague", verdict="Prompt vague",
            parts=(RctPart("role", "Rôle", False, "Dites qui l'IA doit être."), RctPart("context", "Contexte", True),
                   RctPart("task", "Tâche", True), RctPart("format", "Format", False, optional=True)),
            rewrite="Tu es … Contexte : … Tâche : …", notes=("noté sur les 4 000 premiers caractères",),
            summary="Score RCT : 35/100 (Prompt vague)",
        ),
        buttons=(Button("undo", "Annuler", "ev123", "danger"), Button("improve", "Améliorer mon prompt", "ev123", "primary")),
        footer="Estimation, méthode : /ia-help methode",
    )
    base.update(overrides)
    return Reply(**base)


def test_embed_maps_every_part_of_the_reply() -> None:
    reply = _full_reply()
    embed = build_embed(reply)
    assert embed.title == "3 images notées"
    assert embed.colour == discord.Colour.orange()
    assert [(f.name, f.value, f.inline) for f in embed.fields] == [
        ("Énergie", "≈ 36 Wh", True), ("CO2e", "≈ 2 g", True), ("Eau", "≈ 160 mL", True)]
    description = embed.description or ""
    assert description.startswith("≈ 36 Wh (6 à 90)\nBelle semaine !")
    assert "🟠 Semaine en zone orange : 42 générations" in description
    assert "**Score RCT : 35/100 (Prompt vague)**" in description  # the engine's one score line, as is
    assert "❌ Rôle — Dites qui l'IA doit être." in description and "✅ Contexte" in description
    assert "Tu es … Contexte : … Tâche : …" in description
    assert "noté sur les 4 000 premiers caractères" in description
    assert embed.footer.text == "Estimation, méthode : /ia-help methode"


def test_a_score_line_is_shown_once() -> None:
    """/ia-score's title is its score line: the advice below it carries none (issue 16)."""
    rct = replace(_full_reply().rct, summary="")
    data = build_embed(_full_reply(title="Score RCT : 35/100 (Prompt vague)", rct=rct)).to_dict()
    assert "35/100" in data["title"] and "35/100" not in data["description"]


def test_zone_colours_and_no_colour_without_zone() -> None:
    assert build_embed(_full_reply(zone="green")).colour == discord.Colour.green()
    assert build_embed(_full_reply(zone="red")).colour == discord.Colour.red()
    assert build_embed(_full_reply(zone=None, zone_text="")).colour is None


def test_user_text_in_every_slot_is_escaped() -> None:
    evil = f"{PING} **x**"
    reply = _full_reply(title=evil, lines=(evil,), facts=(Fact(evil, evil),), zone_text=evil, footer=evil,
                        rct=RctView(10, "vague", evil, (RctPart("role", evil, False, evil),), rewrite=evil, notes=(evil,)))
    data = build_embed(reply).to_dict()
    texts = [data["title"], data["description"], data["footer"]["text"]]
    texts += [f["name"] for f in data["fields"]] + [f["value"] for f in data["fields"]]
    for text in texts:
        assert "@everyone" not in text and "@here" not in text and "<@1" not in text


def test_huge_reply_stays_within_discord_limits() -> None:
    long = "mot " * 3000
    reply = _full_reply(
        title=long, lines=tuple(long for _ in range(5)),
        facts=tuple(Fact(f"{i} {long}", long) for i in range(40)), footer=long,
        rct=RctView(10, "vague", long, tuple(RctPart("role", long, False, long) for _ in range(4)), rewrite=long),
    )
    embed = build_embed(reply)
    assert len(embed.title or "") <= TITLE_MAX
    assert len(embed.description or "") <= DESCRIPTION_MAX
    assert len(embed.footer.text or "") <= FOOTER_MAX
    assert len(embed.fields) <= 25
    assert all(len(f.name) <= FIELD_NAME_MAX and len(f.value) <= FIELD_VALUE_MAX for f in embed.fields)
    assert len(embed) <= EMBED_TOTAL_MAX
    assert embed.description  # the body is shortened, not dropped


def test_custom_ids_round_trip_and_reject_foreign_ids() -> None:
    assert custom_id("pref", "nudges on") == "sobria:pref:nudges on"
    assert parse_custom_id("sobria:pref:nudges on") == ButtonId("pref", "nudges on")
    assert parse_custom_id("sobria:undo:ab12") == ButtonId("undo", "ab12")
    assert custom_id("pref", "nudges off", 111111111111111111) == "sobria:pref@111111111111111111:nudges off"
    assert parse_custom_id("sobria:pref@111111111111111111:nudges off") == ButtonId("pref", "nudges off",
                                                                                   111111111111111111)
    assert parse_custom_id("autre:undo:ab12") is None
    assert parse_custom_id("sobria:Undo:x") is None
    assert parse_custom_id("sobria:pref@abc:x") is None


def test_buttons_of_a_dm_message_name_their_server() -> None:
    async def build():
        return render(_full_reply(buttons=(Button("pref", "Couper les rappels", "nudges off"),)), dm_guild_id=42)

    out = asyncio.run(build())
    assert [c.custom_id for c in out.view.children] == ["sobria:pref@42:nudges off"]


def test_a_chart_shows_inside_the_embed() -> None:
    chart = Attachment("sobria-2026-11.png", b"\x89PNG", "image/png")
    assert build_embed(_full_reply(attachments=(chart,))).image.url == "attachment://sobria-2026-11.png"
    odd = Attachment("bilan de novembre.png", b"\x89PNG", "image/png")  # not addressable: sent beside the embed
    assert build_embed(_full_reply(attachments=(odd,))).image.url is None
    data = Attachment("export.json", b"{}", "application/json")
    assert build_embed(_full_reply(attachments=(data,))).image.url is None


def test_view_holds_the_buttons_stopped_so_discord_py_keeps_nothing_per_message() -> None:
    async def build():
        return render(_full_reply())

    out = asyncio.run(build())
    assert out.view is not None and out.view.is_finished()
    buttons = [c for row in out.view.to_components() for c in row["components"]]
    assert [(b["label"], b["custom_id"], b["style"]) for b in buttons] == [
        ("Annuler", "sobria:undo:ev123", discord.ButtonStyle.danger.value),
        ("Améliorer mon prompt", "sobria:improve:ev123", discord.ButtonStyle.primary.value),
    ]
    assert all(isinstance(item, ActionButton) for item in out.view.children)
    assert out.ephemeral is True


def test_a_button_whose_id_cannot_fit_is_dropped_not_sent_broken() -> None:
    async def build():
        return render(_full_reply(buttons=(Button("pref", "Trop long", "x" * CUSTOM_ID_MAX), Button("undo", "Annuler", "e1"))))

    out = asyncio.run(build())
    assert out.view is not None
    assert [c.custom_id for c in out.view.children] == ["sobria:undo:e1"]


def test_public_replies_and_attachments() -> None:
    async def build():
        return render(_full_reply(public=True, buttons=(), attachments=(Attachment("export.json", b"{}", "application/json"),)))

    out = asyncio.run(build())
    assert out.ephemeral is False and out.view is None
    files = build_files(_full_reply(attachments=(Attachment("a.json", b"[1]", "application/json"),)))
    assert [(f.filename, f.fp.read()) for f in files] == [("a.json", b"[1]")]


def test_no_mentions_allows_nothing() -> None:
    assert NO_MENTIONS.to_dict() == {"parse": []}
